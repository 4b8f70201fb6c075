"""A tracker store that never loses a conversation silently.

Rasa wraps every tracker store in a ``FailSafeTrackerStore``: when the database fails, it logs
an error and carries on in memory, so the transcript of everything that follows is lost when
Rasa stops, and a conversation that was stored looks new. Here, instead:

* ``SQLTrackerStore`` (named in endpoints.yml) refuses to start when the database cannot be
  reached, and checks a pooled connection before using it (after a database restart the first
  message is stored, not refused);
* the fail-safe wrapper raises ``StorageUnavailable`` instead of falling back to memory, so the
  message is not processed at all;
* ``refuse_when_storage_is_down`` wraps a channel's message handler: the user then gets a Dutch
  reply saying the message was not processed and should be sent again (``utter_storage_unavailable``),
  and the error is logged. The message stays visible in the chat, above the reply.

Applied when Rasa loads this tracker store or imports the channels (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from rasa.core import agent
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    TrackerStore,
    create_engine_kwargs,
)
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.exceptions import RasaException

from rasa_addons.replies import reply_text

__all__ = ["SQLTrackerStore", "StorageUnavailable", "refuse_when_storage_is_down"]

logger = logging.getLogger(__name__)


class StorageUnavailable(RasaException):
    """The tracker store's database failed: the message was not processed and nothing was stored."""


class SQLTrackerStore(RasaSQLTrackerStore):
    """Rasa's SQL tracker store that refuses to start without its database and pings pooled connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        try:
            with self.engine.connect():
                pass
            missing = {"events"} - set(sa.inspect(self.engine).get_table_names())
        except sa.exc.SQLAlchemyError as error:
            raise StorageUnavailable(
                f"The conversation database {url!r} cannot be reached, so Rasa does not start "
                f"(it would otherwise keep conversations in memory only): {error}"
            ) from error
        if missing:
            raise StorageUnavailable(f"The conversation database {url!r} has no 'events' table.")


def _raise_storage_unavailable(error: Exception) -> None:
    logger.error("The conversation database failed; the message is refused, not kept in memory: %s", error)
    raise StorageUnavailable(str(error)) from error


def _create_tracker_store(store: TrackerStore | None, domain: Any) -> TrackerStore:
    """What ``Agent._create_tracker_store`` does, with errors raised instead of swallowed."""
    if store is None:  # no tracker store configured (story tests): memory is what was asked for
        store = InMemoryTrackerStore(domain)
    store.domain = domain
    return FailSafeTrackerStore(store, on_tracker_store_error=_raise_storage_unavailable)


agent.Agent._create_tracker_store = staticmethod(_create_tracker_store)  # type: ignore[method-assign]


def refuse_when_storage_is_down(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> Callable[[UserMessage], Awaitable[Any]]:
    """``on_new_message`` that answers in Dutch when the message could not be stored."""

    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except StorageUnavailable:
            await message.output_channel.send_text_message(
                message.sender_id, reply_text("utter_storage_unavailable")
            )
            return None

    return handle
