"""rasa_addons.tracker_store: a saved tracker is reused, and never when the stored events moved on.

Two store objects on one database play two Rasa instances; a store with ``cached_conversations=0``
reads every conversation in full, as Rasa's own store does, and is the reference.
"""

from __future__ import annotations

import uuid
from typing import Any

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
