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

It also keeps the trackers it saved (the most recent ``cached_conversations``, 100 unless
endpoints.yml says otherwise), so the next message of a conversation reads only the events stored
after it instead of reading and replaying the whole conversation. Safe with several Rasa
instances and the lock store (one instance handles a conversation's message at a time): a cached
tracker is taken out of the cache when it is used, is brought up to date with the events another
instance stored meanwhile, and is dropped (the conversation is read in full) when the stored
events no longer match it: a conversation deleted or changed elsewhere, a new session, or a
tracker changed after it was saved. A tracker whose save stored a session start after its first
event is not kept: Rasa's save finds the new events by counting the stored events of the latest
session, so a kept tracker that also holds events from before that session start (after a
restart, or the session start's own action, stored just before it) would have those stored again
at its next save. The next message then reads the latest session in full, as Rasa does.

The rows it writes are compact (``rasa_addons/event_codec.py``: the model id on the first event of
each saved batch only, no null or default keys, no text stored twice), and every read expands them
back to the dicts Rasa wrote; rows written before (full JSON) read as they are.

Applied when Rasa loads this tracker store or imports the channels (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
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
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

import rasa_addons
from rasa_addons.event_codec import Carried, Expander, carried_by, compact, dumps, needs_carried
from rasa_addons.replies import reply_text

__all__ = ["SQLTrackerStore", "StorageUnavailable", "refuse_when_storage_is_down"]

logger = logging.getLogger(__name__)


class StorageUnavailable(RasaException):
    """The tracker store's database failed: the message was not processed and nothing was stored."""


@dataclass(frozen=True)
class _Saved:
    """A tracker as it was saved, and where the conversation's stored events stood then."""

    tracker: DialogueStateTracker
    events: int  # len(tracker.events) when saved: more means it was changed afterwards
    last_id: int
    stored: int  # the conversation's rows in the events table


class _TrackerCache:
    """The most recently saved trackers, at most ``size``; taking one removes it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._saved: OrderedDict[str, _Saved] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, sender_id: str) -> _Saved | None:
        with self._lock:
            return self._saved.pop(sender_id, None)

    def put(self, sender_id: str, saved: _Saved) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._saved.pop(sender_id, None)
            self._saved[sender_id] = saved
            while len(self._saved) > self.size:
                self._saved.popitem(last=False)


class SQLTrackerStore(RasaSQLTrackerStore):
    """Rasa's SQL tracker store that refuses to start without its database, pings pooled connections,
    and reads only the new events of a conversation whose tracker it saved."""

    def __init__(self, *args: Any, cached_conversations: int = 100, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache = _TrackerCache(int(cached_conversations))
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

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The saved tracker brought up to date, or the conversation read in full."""
        saved = self._cache.take(sender_id)
        tracker = self._up_to_date(sender_id, saved) if saved is not None else None
        return tracker if tracker is not None else await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save``, with the new events written as compact rows."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            # only store recent events
            events = list(self._additional_events(session, tracker))
            dicts = [event.as_dict() for event in events]
            for event, data, row in zip(events, dicts, compact(dicts), strict=True):
                # noinspection PyArgumentList
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=dumps(row),
                    )
                )
            session.commit()
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")
        first = len(tracker.events) - len(events)  # the index of the first event stored now
        if any(  # a session start after the tracker's first event: see the module's docstring
            isinstance(event, SessionStarted) and first + index > 0 for index, event in enumerate(events)
        ):
            self._cache.take(tracker.sender_id)
            return
        last_id, stored = self._position(tracker.sender_id)
        self._cache.put(tracker.sender_id, _Saved(tracker, len(tracker.events), last_id, stored))

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``SQLTrackerStore._retrieve``, with the stored rows expanded."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = self._expanded(sender_id, rows)
            if self.domain and len(events) > 0:
                logger.debug(f"Recreating tracker from sender id '{sender_id}'")
                return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
            logger.debug(
                f"Can't retrieve tracker matching sender id '{sender_id}' from SQL storage. "
                f"Returning `None` instead."
            )
            return None

    def _expanded(self, sender_id: str, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """The event dicts of these rows (``id`` and ``data``, in stored order) of one conversation.
        A read that starts inside a saved batch (the latest session starts at its session start)
        takes the carried model id from the nearest earlier row that has it."""
        stored = [json.loads(row.data) for row in rows]
        carried = None
        if needs_carried(stored):
            carried = self._carried_before(sender_id, rows[0].id)
            if carried is None:  # not written by this store: read without the model id
                logger.warning(
                    "Conversation %r: no stored row gives the model id its events carry.", sender_id
                )
        expander = Expander(carried, strict=False)
        return [expander(row) for row in stored]

    def _carried_before(self, sender_id: str, before_id: int, chunk: int = 50) -> Carried | None:
        """What the nearest row before ``before_id`` that gives the carried model id gives."""
        table = self.SQLEvent.__table__
        with self.engine.connect() as connection:
            while True:
                query = (
                    sa.select(table.c.id, table.c.data)
                    .where(table.c.sender_id == sender_id, table.c.id < before_id)
                    .order_by(table.c.id.desc())
                    .limit(chunk)
                )
                rows = connection.execute(query).all()
                for row in rows:
                    carried = carried_by(json.loads(row.data))
                    if carried is not None:
                        return carried
                if len(rows) < chunk:
                    return None
                before_id = rows[-1].id

    def _position(self, sender_id: str) -> tuple[int, int]:
        """The last event id and the number of events stored for the conversation."""
        table = self.SQLEvent.__table__
        query = sa.select(sa.func.max(table.c.id), sa.func.count(table.c.id)).where(
            table.c.sender_id == sender_id
        )
        with self.engine.connect() as connection:
            last_id, stored = connection.execute(query).one()
        return int(last_id or 0), int(stored)

    def _up_to_date(self, sender_id: str, saved: _Saved) -> DialogueStateTracker | None:
        """The saved tracker with the events stored after it; None when it no longer matches."""
        if len(saved.tracker.events) != saved.events:
            return None
        table = self.SQLEvent.__table__
        newer = (
            sa.select(table.c.id, table.c.type_name, table.c.data)
            .where(table.c.sender_id == sender_id, table.c.id > saved.last_id)
            .order_by(table.c.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(newer).all()
        last_id, stored = self._position(sender_id)
        if stored != saved.stored + len(rows) or any(
            row.type_name == SessionStarted.type_name for row in rows
        ):
            return None
        for event in self._expanded(sender_id, rows):
            saved.tracker.update(Event.from_parameters(event))
        return saved.tracker


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


rasa_addons.apply_patches()  # all of them, also when the package was imported without Rasa (web app)
