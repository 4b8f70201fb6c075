"""rasa_addons.tracker_store: a saved tracker is reused, and never when the stored events moved on;
the tracker it handed out is saved without counting the stored events, each event once.

Two store objects on one database play two Rasa instances; a store with ``cached_conversations=0``
reads every conversation in full, as Rasa's own store does, and is the reference.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa_addons.tracker_store import SQLTrackerStore
from tests.storage.conftest import DOMAIN, run, store


def turn(tracker: DialogueStateTracker, text: str) -> None:
    for event in (
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "inform", "confidence": 1.0}),
        SlotSet("engagement", text),
        BotUttered(f"je zei {text}"),
    ):
        tracker.update(event)


def state(tracker: DialogueStateTracker | None) -> Any:
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


def new_conversation(first: SQLTrackerStore) -> str:
    sender = f"cache-{uuid.uuid4().hex}"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(SessionStarted())
    turn(tracker, "een")
    run(first.save(tracker))
    return sender


def test_the_saved_tracker_is_reused_and_equals_a_full_read(database_url: str) -> None:
    first, reference = store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    assert state(tracker) == state(run(reference.retrieve(sender)))
    turn(tracker, "twee")
    run(first.save(tracker))
    assert run(first.retrieve(sender)) is tracker  # no read of the whole conversation
    assert state(tracker) == state(run(reference.retrieve(sender)))


def test_events_stored_by_another_instance_are_added(database_url: str) -> None:
    first, second, reference = store(database_url), store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    elsewhere = run(second.retrieve(sender))
    turn(elsewhere, "twee, via de andere instantie")
    run(second.save(elsewhere))
    tracker = run(first.retrieve(sender))
    assert tracker.get_slot("engagement") == "twee, via de andere instantie"
    assert state(tracker) == state(run(reference.retrieve(sender)))


def test_a_deleted_conversation_is_not_brought_back(database_url: str) -> None:
    first = store(database_url)
    sender = new_conversation(first)
    with sa.create_engine(database_url).begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
    assert run(first.retrieve(sender)) is None


def test_a_tracker_changed_after_saving_is_read_again(database_url: str) -> None:
    first, reference = store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    run(first.save(tracker))
    turn(tracker, "niet opgeslagen")  # e.g. a turn that failed before it was saved
    again = run(first.retrieve(sender))
    assert again is not tracker and again.get_slot("engagement") == "een"
    assert state(again) == state(run(reference.retrieve(sender)))


def test_a_new_session_stored_elsewhere_is_read_in_full(database_url: str) -> None:
    first, second, reference = store(database_url), store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    elsewhere = run(second.retrieve(sender))
    elsewhere.update(ActionExecuted("action_session_start"))
    elsewhere.update(SessionStarted())
    turn(elsewhere, "nieuwe sessie")
    run(second.save(elsewhere))
    tracker = run(first.retrieve(sender))
    assert state(tracker) == state(run(reference.retrieve(sender)))
    assert sum(isinstance(e, UserUttered) for e in tracker.events) == 1  # the latest session only


def test_the_cache_keeps_at_most_its_size(database_url: str) -> None:
    small = store(database_url, cached=2)
    senders = [new_conversation(small) for _ in range(3)]
    kept = [sender for sender in senders if small._cache.take(sender) is not None]
    assert kept == senders[1:]
    handed_out = [sender for sender in senders if small._handed_out.take(sender) is not None]
    assert handed_out == senders[1:]


def test_a_tracker_restarted_in_its_message_is_not_kept(database_url: str) -> None:
    """Rasa's save stores the events after the latest session's stored ones: a kept tracker that also
    holds the session before a restart would have those stored again at its next save."""
    first, reference = store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    for event in (Restarted(), ActionExecuted("action_session_start"), SessionStarted()):
        tracker.update(event)
    turn(tracker, "opnieuw begonnen")
    run(first.save(tracker))
    again = run(first.retrieve(sender))
    assert again is not tracker  # the latest session, read in full
    turn(again, "verder")
    run(first.save(again))
    with sa.create_engine(database_url).connect() as connection:
        stored = connection.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
        ).scalar_one()
    assert stored == 5 + 3 + 4 + 4  # each event once
    assert state(run(first.retrieve(sender))) == state(run(reference.retrieve(sender)))


def stored(url: str, sender: str) -> list[str]:
    """The conversation's stored events in order, as Rasa writes them, read by a store that reads in full."""
    full = run(store(url, cached=0).retrieve_full_tracker(sender))
    return [] if full is None else [json.dumps(event.as_dict()) for event in full.events]


def test_each_event_is_stored_once_across_session_starts_and_a_restart(database_url: str) -> None:
    """The saves that take the new events from the tracker retrieve handed out (or save saved) store
    each event exactly once, as Rasa's counting save does."""
    first, reference = store(database_url), store(database_url, cached=0)
    sender = f"once-{uuid.uuid4().hex}"
    added: list[Any] = []

    def add(tracker: DialogueStateTracker, *events: Any) -> None:
        for event in events:
            tracker.update(event)
            added.append(event)

    def add_turn(tracker: DialogueStateTracker, text: str) -> None:
        before = len(tracker.events)
        turn(tracker, text)
        added.extend(list(tracker.events)[before:])

    session_start = (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    )
    # a new conversation as the processor begins it: saved empty, then the message's events
    tracker = run(first.create_tracker(sender, append_action_listen=False))
    add(tracker, *session_start)
    add_turn(tracker, "een")
    run(first.save(tracker))
    run(first.save(tracker))  # nothing new: nothing stored
    tracker = run(first.retrieve(sender))  # a session start after the first event: read in full
    add_turn(tracker, "twee")
    run(first.save(tracker))
    assert run(first.retrieve(sender)) is tracker
    add_turn(tracker, "drie")
    add(tracker, *session_start)  # the session expired: a new one within the message
    add_turn(tracker, "vier")
    run(first.save(tracker))
    tracker = run(first.retrieve(sender))
    add_turn(tracker, "vijf")
    add(tracker, Restarted(), *session_start)
    add_turn(tracker, "zes")
    run(first.save(tracker))
    tracker = run(first.retrieve(sender))
    add_turn(tracker, "zeven")
    run(first.save(tracker))
    assert stored(database_url, sender) == [json.dumps(event.as_dict()) for event in added]
    assert state(run(first.retrieve(sender))) == state(run(reference.retrieve(sender)))


def test_a_tracker_whose_record_another_retrieve_replaced_is_saved_as_rasa_saves_it(
    database_url: str,
) -> None:
    first = store(database_url)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    assert run(first.retrieve(sender)) is not tracker  # e.g. the HTTP API read the conversation meanwhile
    turn(tracker, "twee")
    run(first.save(tracker))
    assert stored(database_url, sender) == [json.dumps(event.as_dict()) for event in tracker.events]


@contextmanager
def statements(target: SQLTrackerStore) -> Iterator[list[str]]:
    """The SQL statements ``target`` sends while in the block."""
    sent: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(" ".join(statement.split()))

    sa.event.listen(target.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(target.engine, "before_cursor_execute", record)


def test_a_message_of_a_kept_conversation_sends_the_same_queries_at_any_length(database_url: str) -> None:
    """No count of the stored events, no read of the session: what a message costs in queries does
    not depend on the length of the conversation (a behaviour test, not a timing test)."""
    first = store(database_url)
    sender = new_conversation(first)
    sent: dict[int, list[str]] = {}
    tracker = run(first.retrieve(sender))
    turn(tracker, "twee")
    run(first.save(tracker))
    for number in range(3, 31):
        with statements(first) as sent[number]:
            assert run(first.retrieve(sender)) is tracker  # kept: no read of the session
            turn(tracker, f"beurt {number}")
            run(first.save(tracker))
    assert sent[30] == sent[4]
    assert not [statement for statement in sent[30] if "count(" in statement.lower()]
    assert not [statement for statement in sent[30] if "max(" in statement.lower()]
    kinds = [statement.split()[0] for statement in sent[30]]
    # the newer rows; the tracker's last row still stored (not deleted meanwhile); the turn's rows
    assert kinds[:2] == ["SELECT", "SELECT"] and set(kinds[2:]) == {"INSERT"}


def test_a_conversation_deleted_and_begun_again_elsewhere_is_read_in_full(database_url: str) -> None:
    """On SQLite the new rows take the ids of the deleted ones (the highest in the table), so the
    kept tracker's last id exists again, as another event of the conversation."""
    first, second, reference = store(database_url), store(database_url), store(database_url, cached=0)
    sender = new_conversation(first)
    find = sa.text("SELECT max(id) FROM events WHERE sender_id = :sender")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        last_id = connection.execute(find, {"sender": sender}).scalar_one()
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
    again = DialogueStateTracker(sender, DOMAIN.slots)
    again.update(SessionStarted())
    turn(again, "opnieuw")
    turn(again, "en verder")
    run(second.save(again))
    with engine.connect() as connection:
        reused = connection.execute(
            sa.text("SELECT count(*) FROM events WHERE id = :id AND sender_id = :sender"),
            {"id": last_id, "sender": sender},
        ).scalar_one()
    engine.dispose()
    assert reused == database_url.startswith("sqlite")  # PostgreSQL's sequence gives new ids
    tracker = run(first.retrieve(sender))
    assert [event.text for event in tracker.events if isinstance(event, UserUttered)] == [
        "opnieuw",
        "en verder",
    ]
    assert state(tracker) == state(run(reference.retrieve(sender)))


def test_a_connection_killed_while_idle_in_the_pool_is_replaced(database_url: str, monkeypatch: Any) -> None:
    """Pooled connections are checked on checkout only after waiting in the pool (no round trip per
    query under load); one the database ended meanwhile is replaced, and the message is stored."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server that could end a connection")
    first = store(database_url)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    with sa.create_engine(database_url).connect() as admin:  # what a database restart does to the pool
        admin.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
        )
    monkeypatch.setattr("rasa_addons.tracker_store.IDLE_BEFORE_PING", 0.0)  # as after a second of rest
    turn(tracker, "twee")
    run(first.save(tracker))
    reference = store(database_url, cached=0)
    assert state(run(reference.retrieve(sender))) == state(tracker)
