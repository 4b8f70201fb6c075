"""A tracker store that never loses a conversation silently.

Rasa wraps every tracker store in a ``FailSafeTrackerStore``: when the database fails, it logs
an error and carries on in memory, so the transcript of everything that follows is lost when
Rasa stops, and a conversation that was stored looks new. Here, instead:

* ``SQLTrackerStore`` (named in endpoints.yml) refuses to start when the database cannot be
  reached, and checks a pooled connection that waited in the pool for a second or more before
  using it (after a database restart the first message is stored, not refused); a connection
  used a moment ago is not checked (a round trip per query otherwise: 4% of an instance's time
  under load);
* the fail-safe wrapper raises ``StorageUnavailable`` instead of falling back to memory, so the
  message is not processed at all;
* the channels catch it (``rasa_addons.failure_reply``): the user then gets a Dutch reply saying
  the message was not processed and should be sent again (``utter_storage_unavailable``), and the
  error is logged. The message stays visible in the chat, above the reply.

It also keeps the trackers it saved (the most recent ``cached_conversations``, 100 unless
endpoints.yml says otherwise), so the next message of a conversation reads only the events stored
after it instead of reading and replaying the whole conversation, and a message of a kept
conversation sends no count and no read of the session. Safe with several Rasa instances and the
lock store (one instance handles a conversation's message at a time):

* a cached tracker is taken out of the cache when it is used, and is brought up to date with the
  rows stored after its last one (one query, ``id >= last_id``: on SQLite a range of the index on
  ``sender_id``, which holds the rowid; PostgreSQL ANDs the primary key's range with that index,
  still reading the conversation's index entries but no more of its rows);
  the conversation is read in full instead when that row is gone or is another event (a
  conversation deleted or changed elsewhere; the timestamp tells a reused SQLite id apart), when
  the newer rows hold a session start, or when the tracker was changed after it was saved. Rows
  deleted before that row while it stays are not noticed (no count: that grows with the
  conversation);
* ``retrieve`` remembers the tracker it hands out, with its number of events (all of them stored
  then) and the id of the last stored row, for as many conversations as the cache keeps. When
  ``save`` gets that same tracker object, the new events are the ones after that number: no count
  of the stored events. ``save`` records the tracker it saved in the same way (the processor saves
  a new conversation's empty tracker, then the same object with the message's events). Any other
  tracker (one read by ``retrieve_full_tracker``, or one whose record another ``retrieve`` of the
  conversation replaced meanwhile) is saved as Rasa saves it: the events after as many as the
  latest session has stored (a count). The id of the last row comes from the rows inserted (when
  none were, from the record, else ``max(id)``).

A tracker whose last stored row was deleted after it was read (a privacy delete while its turn
ran) is not saved: the turn's reply was sent, but the deleted conversation is not written back.
Only for a tracker handed out here (see above): one that is not, e.g. when more conversations than
the cache keeps were retrieved in between, is saved as Rasa saves it.

A tracker whose save stored a session start after its first event is not kept: if its next save
fell back to Rasa's count, which counts the latest session's events only, the events it holds from
before that session start (after a restart, or the session start's own action, stored just before
it) would be stored again. The next message then reads the latest session in full, as Rasa does.

The rows it writes are compact (``rasa_addons/event_codec.py``: the model id on the first event of
each saved batch only, no null or default keys, no text stored twice, a list or dict slot that
changed in part as a delta against its previous value), and every read expands them back to the
dicts Rasa wrote; rows written before (full JSON) read as they are. The previous slot values come
from the tracker's events when writing and in the incremental read (a scan of them in Python, the
one cost of a save that still grows with the conversation), and from the rows read otherwise
(looking back when a read starts inside a session).

Applied when Rasa loads this tracker store or imports the channels (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core import agent
from rasa.core.tracker_store import (
    FailSafeTrackerStore,
    InMemoryTrackerStore,
    TrackerStore,
    create_engine_kwargs,
)
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

import rasa_addons
from rasa_addons.event_codec import (
    RESETS,
    Expander,
    Needs,
    SlotHistory,
    compact,
    dumps,
    gives,
    needs_before,
)

__all__ = ["SQLTrackerStore", "StorageUnavailable"]

logger = logging.getLogger(__name__)


class StorageUnavailable(RasaException):
    """The tracker store's database failed: the message was not processed and nothing was stored."""


@dataclass(frozen=True)
class _Saved:
    """A tracker whose events were all stored, and the id of the row of its last event."""

    tracker: DialogueStateTracker
    events: int  # len(tracker.events) then: more means it was changed afterwards
    last_id: int  # 0: no row stored yet


class _TrackerCache:
    """The most recently put trackers, at most ``size``, one per conversation; taking one removes it."""

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
    """Rasa's SQL tracker store that refuses to start without its database, pings idle pooled connections,
    reads only the new events of a conversation whose tracker it saved, and saves the tracker it
    handed out without counting the stored events."""

    def __init__(self, *args: Any, cached_conversations: int = 100, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache = _TrackerCache(int(cached_conversations))  # saved, ready for the next message
        self._handed_out = _TrackerCache(int(cached_conversations))  # in use: retrieved, to be saved
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **create_engine_kwargs(url))
        _ping_after_idle(self.engine)
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
        current = self._up_to_date(sender_id, saved) if saved is not None else None
        if current is None:
            tracker, last_id = self._read(sender_id, fetch_events_from_all_sessions=False)
            if tracker is None:
                return None
            current = _Saved(tracker, len(tracker.events), last_id)
        self._handed_out.put(sender_id, current)
        return current.tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save``, with the new events written as compact rows, and found
        without a query when the tracker is the one ``retrieve`` handed out (see the docstring)."""
        sender_id = tracker.sender_id
        record = self._handed_out.take(sender_id)  # before stream_events: its retrieve would replace it
        if record is not None and not _only_appended(record, tracker):
            record = None
        await self.stream_events(tracker)
        with self.session_scope() as session:
            if record is not None and not self._still_stored(session, sender_id, record.last_id):
                # deleted (a privacy request) while this turn ran: do not write any of it back
                logger.warning(f"Conversation '{sender_id}' was deleted during the turn: not stored")
                self._handed_out.put(sender_id, record)  # another save of this tracker: refused too
                self._cache.take(sender_id)
                return
            if record is not None:
                events = list(itertools.islice(tracker.events, record.events, None))
            else:  # only store recent events
                events = list(self._additional_events(session, tracker))
            first = len(tracker.events) - len(events)  # the index of the first event stored now
            dicts = [event.as_dict() for event in events]
            history = _slot_history(tracker.events, first)
            rows = [
                # noinspection PyArgumentList
                self.SQLEvent(
                    sender_id=sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=dumps(row),
                )
                for event, data, row in zip(events, dicts, compact(dicts, history), strict=True)
            ]
            session.add_all(rows)
            session.flush()  # gives the rows their ids; read before the commit expires them
            last_id = rows[-1].id if rows else record.last_id if record is not None else None
            session.commit()
        logger.debug(f"Tracker with sender_id '{sender_id}' stored to database")
        if last_id is None:  # nothing new, and not a tracker handed out here
            last_id = self._last_id(sender_id)
        saved = _Saved(tracker, len(tracker.events), int(last_id))
        self._handed_out.put(sender_id, saved)  # saved again (e.g. after create_tracker): no count
        if any(  # a session start after the tracker's first event: see the module's docstring
            isinstance(event, SessionStarted) and first + index > 0 for index, event in enumerate(events)
        ):
            self._cache.take(sender_id)
            return
        if saved.last_id and saved.events:
            self._cache.put(sender_id, saved)
        else:
            self._cache.take(sender_id)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``SQLTrackerStore._retrieve``, with the stored rows expanded."""
        return self._read(sender_id, fetch_events_from_all_sessions)[0]

    def _read(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> tuple[DialogueStateTracker | None, int]:
        """The tracker ``_retrieve`` gives, and the id of the last row read (0: none)."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = self._expanded(sender_id, rows)
            if self.domain and len(events) > 0:
                logger.debug(f"Recreating tracker from sender id '{sender_id}'")
                tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
                return tracker, int(rows[-1].id)
            logger.debug(
                f"Can't retrieve tracker matching sender id '{sender_id}' from SQL storage. "
                f"Returning `None` instead."
            )
            return None, 0

    def _expanded(
        self, sender_id: str, rows: Sequence[Any], slots: SlotHistory | None = None
    ) -> list[dict[str, Any]]:
        """The event dicts of these rows (``id`` and ``data``, in stored order) of one conversation.
        A read that starts inside a saved batch (the latest session starts at its session start)
        takes the carried model id from the nearest earlier row that has it, and a slot delta whose
        previous value is not among the rows read (nor in ``slots``, the slot values before them)
        the value the earlier rows give."""
        stored = [json.loads(row.data) for row in rows]
        needs = needs_before(stored)
        if slots is not None:
            needs.slots -= slots.names()
        expander = Expander(strict=False, slots=slots)
        if needs:
            expander = self._expander_before(sender_id, rows[0].id, needs, slots)
            if needs.carried and expander.carried is None:  # not written by this store
                logger.warning(
                    "Conversation %r: no stored row gives the model id its events carry.", sender_id
                )
            missing = needs.slots - expander.slots.names()
            if missing:
                logger.error(
                    "Conversation %r: no stored row gives the previous value of the slots %s.",
                    sender_id,
                    sorted(missing),
                )
        return [expander(row) for row in stored]

    def _expander_before(
        self, sender_id: str, before_id: int, needs: Needs, slots: SlotHistory | None, chunk: int = 200
    ) -> Expander:
        """An expander that continues after the row ``before_id``: the rows before it are read back
        until they give what ``needs`` asks for (the carried model id, the slots' last whole
        values), then expanded in order."""
        table = self.SQLEvent.__table__
        earlier: list[Any] = []
        wanted = needs
        with self.engine.connect() as connection:
            while wanted:
                query = (
                    sa.select(table.c.id, table.c.data)
                    .where(table.c.sender_id == sender_id, table.c.id < before_id)
                    .order_by(table.c.id.desc())
                    .limit(chunk)
                )
                rows = connection.execute(query).all()
                for row in rows:
                    data = json.loads(row.data)
                    earlier.append(data)
                    wanted = gives(data, wanted)
                    if not wanted:
                        break
                if len(rows) < chunk:
                    break
                before_id = rows[-1].id
        replay = Expander(strict=False)
        for data in reversed(earlier):
            replay(data)
        history = slots if slots is not None else SlotHistory()
        for name in needs.slots & replay.slots.names():
            history.set(name, replay.slots.base(name), fresh=True)
        return Expander(replay.carried, strict=False, slots=history)

    def _still_stored(self, session: Any, sender_id: str, last_id: int) -> bool:
        """Whether the row a tracker was read or saved up to is still stored (0: none was). The row
        is locked until the save commits (PostgreSQL), so a delete running meanwhile waits for it,
        and one that ran first has removed it."""
        if not last_id:
            return True
        table = self.SQLEvent.__table__
        query = (
            sa.select(table.c.id)
            .where(table.c.id == last_id, table.c.sender_id == sender_id)
            .with_for_update(read=True)
        )
        return session.execute(query).first() is not None

    def _last_id(self, sender_id: str) -> int:
        """The id of the conversation's last stored row (0: none); one step down the index on
        ``sender_id``. Only when a save stored nothing for a tracker not handed out here."""
        table = self.SQLEvent.__table__
        query = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    def _up_to_date(self, sender_id: str, saved: _Saved) -> _Saved | None:
        """The saved tracker with the events stored after it; None when it no longer matches."""
        tracker = saved.tracker
        if len(tracker.events) != saved.events or not saved.events:
            return None
        table = self.SQLEvent.__table__
        # its own last row and the newer ones: no query whose cost grows with the conversation
        query = (
            sa.select(table.c.id, table.c.type_name, table.c.timestamp, table.c.data)
            .where(table.c.sender_id == sender_id, table.c.id >= saved.last_id)
            .order_by(table.c.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        if (
            not rows
            or rows[0].id != saved.last_id
            or rows[0].timestamp != tracker.events[-1].timestamp  # an SQLite id reused after a delete
        ):
            return None  # deleted or changed elsewhere
        newer = rows[1:]
        if any(row.type_name == SessionStarted.type_name for row in newer):
            return None
        if newer:
            history = _slot_history(tracker.events, len(tracker.events))
            for event in self._expanded(sender_id, newer, history):
                tracker.update(Event.from_parameters(event))
        return _Saved(tracker, len(tracker.events), int(rows[-1].id))


def _only_appended(record: _Saved, tracker: DialogueStateTracker) -> bool:
    """Whether ``tracker`` is the one ``record`` describes, with events only added since (a deque
    with a maximum length drops its first events)."""
    return (
        record.tracker is tracker
        and len(tracker.events) >= record.events
        and getattr(tracker.events, "maxlen", None) is None
    )


def _slot_history(events: Sequence[Event], stored: int) -> SlotHistory:
    """The slot values the first ``stored`` events leave for the next slot delta (as the rows give
    them to a reader: see ``event_codec.SlotHistory``)."""
    history = SlotHistory()
    for event in list(events)[:stored]:
        kind = event.type_name
        if kind in RESETS:  # session_started, restart, reset_slots
            history.reset()
        elif kind == SlotSet.type_name:
            history.set(event.key, event.value)  # type: ignore[attr-defined]
    return history


IDLE_BEFORE_PING = 1.0  # seconds a pooled connection waited before it is checked on checkout


def _ping_after_idle(engine: sa.engine.Engine) -> None:
    """SQLAlchemy's pessimistic disconnect handling (``pool_pre_ping``), for connections that waited
    in the pool at least ``IDLE_BEFORE_PING``: a dead one is replaced before use (the pool retries
    on ``DisconnectionError``)."""

    @sa.event.listens_for(engine, "checkin")
    def checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_BEFORE_PING:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as error:  # the driver's own error type: any failure means a dead connection
            raise sa.exc.DisconnectionError() from error


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


rasa_addons.apply_patches()  # all of them, also when the package was imported without Rasa (web app)
