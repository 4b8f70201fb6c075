"""rasa_addons.tracker_store writes compact rows (rasa_addons.event_codec) and reads back the trackers
it saved, rows Rasa's own store wrote, and only the newer rows of a tracker it keeps; on SQLite and
PostgreSQL. The conversations are the four recorded ones (tests/web/fixtures/events.json), saved one
message at a time as Rasa saves them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons.event_codec import MARKER
from tests.storage.conftest import DOMAIN, run, store
from tests.unit.test_event_codec import CONVERSATIONS, batches, long_conversation
from tests.web.conftest import recorded_events

RECORDED = recorded_events()
LONG = long_conversation()


def as_written(events: list[Event]) -> list[str]:
    """The events as Rasa's store writes them (json.dumps of as_dict), key order included."""
    return [json.dumps(event.as_dict()) for event in events]


def latest_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Rasa's store reads: the events from the latest session start's timestamp on."""
    starts = [event["timestamp"] for event in events if event["event"] == SessionStarted.type_name]
    return [event for event in events if not starts or event["timestamp"] >= max(starts)]


def save_by_message(target: Any, sender: str, events: list[dict[str, Any]]) -> DialogueStateTracker:
    """Saves the conversation one message (batch) at a time, as Rasa does; returns the tracker."""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for batch in batches(events):
        for event in batch:
            tracker.update(Event.from_parameters(event))
        run(target.save(tracker))
        # the next message starts from the tracker Rasa reads back (or this store keeps)
        tracker = run(target.retrieve(sender))
    return tracker


def stored_rows(url: str, sender: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
        ).all()
    engine.dispose()
    return [json.loads(row.data) for row in rows]


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_a_saved_conversation_reads_back_the_same(database_url: str, name: str) -> None:
    events = CONVERSATIONS[name]
    sender = f"{name}-{uuid.uuid4().hex}"
    save_by_message(store(database_url), sender, events)
    reader = store(database_url, cached=0)  # reads every conversation in full
    full = run(reader.retrieve_full_tracker(sender))
    assert as_written(full.events) == [json.dumps(event) for event in events]
    latest = run(reader.retrieve(sender))
    assert as_written(latest.events) == [json.dumps(event) for event in latest_session(events)]
    reference = DialogueStateTracker.from_dict(sender, latest_session(events), DOMAIN.slots)
    assert latest.current_state() == reference.current_state()
    rows = stored_rows(database_url, sender)
    assert len(rows) == len(events) and all(MARKER in row for row in rows)
    assert sum("model_id" in row.get("metadata", {}) for row in rows) == len(list(batches(events)))
    assert sum(map(len, map(json.dumps, rows))) < 0.7 * sum(map(len, map(json.dumps, events)))


def test_rows_rasa_wrote_read_the_same_and_the_conversation_goes_on(database_url: str) -> None:
    events = RECORDED["rest-promotor-ziekenhuis"]
    split = list(batches(events))
    sender = f"old-{uuid.uuid4().hex}"
    old = sum(map(len, split[:6]))
    save_by_message(store(database_url, kind=RasaSQLTrackerStore), sender, events[:old])
    assert all(MARKER not in row for row in stored_rows(database_url, sender))  # Rasa's full rows
    ours = store(database_url)
    tracker = run(ours.retrieve(sender))
    assert as_written(tracker.events) == [json.dumps(event) for event in latest_session(events[:old])]
    for batch in split[6:]:
        for event in batch:
            tracker.update(Event.from_parameters(event))
        run(ours.save(tracker))
        tracker = run(ours.retrieve(sender))
    assert as_written(run(store(database_url, cached=0).retrieve_full_tracker(sender)).events) == [
        json.dumps(event) for event in events
    ]
    rows = stored_rows(database_url, sender)
    assert [MARKER in row for row in rows] == [False] * old + [True] * (len(events) - old)


def test_the_incremental_read_expands_the_rows_another_instance_stored(database_url: str) -> None:
    events = RECORDED["rest-ontevreden-advocaten"]
    split = list(batches(events))
    sender = f"two-{uuid.uuid4().hex}"
    first, second = store(database_url), store(database_url)
    half = sum(map(len, split[: len(split) // 2]))
    kept = save_by_message(first, sender, events[:half])
    run(first.save(kept))  # kept again by the first instance
    elsewhere = run(second.retrieve(sender))
    for batch in split[len(split) // 2 :]:
        for event in batch:
            elsewhere.update(Event.from_parameters(event))
        run(second.save(elsewhere))
        elsewhere = run(second.retrieve(sender))
    tracker = run(first.retrieve(sender))
    assert tracker is kept  # only the newer rows were read, expanded
    assert as_written(tracker.events) == [json.dumps(event) for event in latest_session(events)]
    assert tracker.current_state() == run(store(database_url, cached=0).retrieve(sender)).current_state()


def test_after_a_restart_the_latest_session_reads_from_inside_a_batch(database_url: str) -> None:
    events = RECORDED["rest-opnieuw-html"]
    sender = f"restart-{uuid.uuid4().hex}"
    writer = store(database_url)
    save_by_message(writer, sender, events)
    rows = stored_rows(database_url, sender)
    latest = latest_session(events)
    assert rows[len(events) - len(latest)].get(MARKER, "").startswith("m")  # needs an earlier row
    tracker = run(store(database_url, cached=0).retrieve(sender))
    assert as_written(tracker.events) == [json.dumps(event) for event in latest]
    assert len(rows) == len(events)  # nothing stored twice after the restart


def test_slot_deltas_read_back_in_full_in_the_latest_session_and_from_any_row(database_url: str) -> None:
    sender = f"deltas-{uuid.uuid4().hex}"
    writer = store(database_url)
    save_by_message(writer, sender, LONG)
    rows = stored_rows(database_url, sender)
    deltas = [row for row in rows if "d" in row.get(MARKER, "")]
    assert {row["name"] for row in deltas} == {"value_lines", "roleplay_state", "coaching_flags"}
    reader = store(database_url, cached=0)
    assert as_written(run(reader.retrieve_full_tracker(sender)).events) == [
        json.dumps(event) for event in LONG
    ]
    assert as_written(run(reader.retrieve(sender)).events) == [
        json.dumps(event) for event in latest_session(LONG)
    ]
    # a read that starts anywhere looks back for the carried model id and the slots' previous values
    with reader.session_scope() as session:
        stored = reader._event_query(session, sender, fetch_events_from_all_sessions=True).all()
        for start in range(1, len(stored), 7):
            expanded = reader._expanded(sender, stored[start:])
            assert [json.dumps(event) for event in expanded] == [json.dumps(event) for event in LONG[start:]]


def test_the_incremental_read_expands_slot_deltas_from_the_kept_tracker(database_url: str) -> None:
    split = list(batches(LONG))
    sender = f"two-deltas-{uuid.uuid4().hex}"
    first, second = store(database_url), store(database_url)
    # before the restart: the incremental read continues inside one session
    half = sum(map(len, split[:20]))
    kept = save_by_message(first, sender, LONG[:half])
    run(first.save(kept))
    elsewhere = run(second.retrieve(sender))
    upto = sum(map(len, split[:28]))
    for batch in split[20:28]:
        for event in batch:
            elsewhere.update(Event.from_parameters(event))
        run(second.save(elsewhere))
        elsewhere = run(second.retrieve(sender))
    newer = stored_rows(database_url, sender)[half:upto]
    assert any("d" in row.get(MARKER, "") for row in newer)  # deltas against rows read before
    tracker = run(first.retrieve(sender))
    assert tracker is kept  # only the newer rows were read, expanded against the kept tracker's slots
    assert as_written(tracker.events) == [json.dumps(event) for event in latest_session(LONG[:upto])]
    reference = run(store(database_url, cached=0).retrieve(sender))
    assert tracker.current_state() == reference.current_state()
    assert tracker.get_slot("value_lines") == reference.get_slot("value_lines")
    assert tracker.get_slot("roleplay_state") == reference.get_slot("roleplay_state")
