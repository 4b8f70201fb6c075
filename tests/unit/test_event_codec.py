"""rasa_addons.event_codec: compact rows expand to exactly the event dicts Rasa wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from rasa_addons.event_codec import (
    MARKER,
    Expander,
    MissingCarried,
    carried_by,
    compact,
    dumps,
    expand,
    needs_carried,
)
from tests.web.conftest import recorded_events

RECORDED = recorded_events()
MODEL = {"model_id": "e827ef10e54c43f6bfb5b9527bc3a317", "assistant_id": "waardecoach"}


def batches(events: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The events as Rasa saves them: one batch per message, ending with the action_listen that waits
    for the next one."""
    batch: list[dict[str, Any]] = []
    for event in events:
        batch.append(event)
        if event["event"] == "action" and event.get("name") == "action_listen":
            yield batch
            batch = []
    if batch:
        yield batch


def stored(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as written to and read from the data column."""
    return [json.loads(dumps(row)) for row in rows]


def assert_exact(expanded: list[dict[str, Any]], original: list[dict[str, Any]]) -> None:
    assert expanded == original
    # the same JSON Rasa wrote, key order included
    assert [json.dumps(event) for event in expanded] == [json.dumps(event) for event in original]
    for back, event in zip(expanded, original, strict=True):
        assert Event.from_parameters(back) == Event.from_parameters(event)
        assert Event.from_parameters(back).as_dict() == Event.from_parameters(event).as_dict()


def carried_before(rows: list[dict[str, Any]], index: int) -> dict[str, Any] | None:
    """What the tracker store looks back for: the nearest earlier row that gives the model id."""
    for row in reversed(rows[:index]):
        if carried_by(row) is not None:
            return carried_by(row)
    return None


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_every_recorded_batch_expands_to_the_events_rasa_wrote(sender_id):
    events = RECORDED[sender_id]
    split = list(batches(events))
    assert len(split) > 5
    for batch in split:
        rows = stored(compact(batch))
        assert all(MARKER in row for row in rows)  # nothing fell back to the full format here
        assert sum("model_id" in row.get("metadata", {}) for row in rows) == 1
        assert_exact(expand(rows), batch)
    # the whole conversation as one batch, and every event on its own
    assert_exact(expand(stored(compact(events))), events)
    for event in events:
        assert_exact(expand(stored(compact([event]))), [event])


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_compact_rows_are_smaller(sender_id):
    events = RECORDED[sender_id]
    full = sum(len(json.dumps(event)) for event in events)
    small = sum(len(dumps(row)) for batch in batches(events) for row in compact(batch))
    assert small < 0.7 * full


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_reading_from_any_later_row(sender_id):
    events = RECORDED[sender_id]
    rows: list[dict[str, Any]] = []
    starts = []
    for batch in batches(events):
        starts.append(len(rows))
        rows += stored(compact(batch))
    for start in starts:  # a batch's first row: nothing earlier is needed (the incremental read)
        assert not needs_carried(rows[start:])
        assert_exact(expand(rows[start:]), events[start:])
    for start in range(1, len(rows)):  # any row: the model id of the nearest earlier row that has it
        carried = carried_before(rows, start) if needs_carried(rows[start:]) else None
        assert_exact(expand(rows[start:], carried), events[start:])
        if needs_carried(rows[start:]):
            with pytest.raises(MissingCarried):
                expand(rows[start:])
            loose = expand(rows[start:], strict=False)  # what the web app reads: no model id, all else
            assert [{**event, "metadata": None} for event in loose] == [
                {**event, "metadata": None} for event in events[start:]
            ]


def test_the_latest_session_after_a_restart_starts_inside_a_batch():
    events = RECORDED["rest-opnieuw-html"]
    rows = [row for batch in batches(events) for row in stored(compact(batch))]
    # what Rasa's latest-session query reads: from the last session start's timestamp on
    started = max(event["timestamp"] for event in events if event["event"] == "session_started")
    first = next(index for index, event in enumerate(events) if event["timestamp"] >= started)
    assert events[first]["event"] == "session_started"
    assert needs_carried(rows[first:])
    assert_exact(expand(rows[first:], carried_before(rows, first)), events[first:])


def test_rows_rasa_wrote_read_as_they_are():
    events = RECORDED["rest-promotor-ziekenhuis"]
    assert all(MARKER not in event for event in events)
    assert_exact(expand(events), events)
    # old full rows, then rows this codec wrote
    old, new = events[:40], events[40:]
    assert_exact(expand([*old, *stored(compact(new))]), events)


def test_the_first_row_of_a_batch_keeps_the_model_id_and_the_others_carry_it():
    batch = list(batches(RECORDED["rest-promotor-ziekenhuis"]))[3]
    rows = compact(batch)
    assert rows[0]["metadata"] == MODEL and rows[0][MARKER] == ""
    assert all(row[MARKER].startswith("m") and "model_id" not in row.get("metadata", {}) for row in rows[1:])
    user = next(row for row in rows if row["event"] == "user")
    assert "text" not in user["parse_data"] and "message_id" not in user["parse_data"]
    assert "intent" not in user["parse_data"]  # the first of intent_ranking
    bot = next(row for row in rows if row["event"] == "bot")
    assert "data" not in bot or None not in bot["data"].values()
    action = next(row for row in rows if row["event"] == "action")
    assert "action_text" not in action


def as_dicts(*events: Event, model: dict[str, Any] | None = MODEL) -> list[dict[str, Any]]:
    dicts = []
    for event in events:
        if model is not None:
            event.metadata = {**event.metadata, **model}
        dicts.append(event.as_dict())
    return dicts


def test_other_shapes_expand_exactly():
    user = UserUttered(
        "hallo",
        {"name": "greet", "confidence": 0.9},
        [{"entity": "amount", "value": "12"}],
        {"intent_ranking": [{"name": "greet", "confidence": 0.8}]},
        input_channel="socketio",
        message_id="abc",
    )
    events = [
        *as_dicts(SessionStarted(), model=None),  # no model id (a tracker without a model)
        *as_dicts(
            ActionExecuted("action_listen"),
            user,
            UserUttered("", metadata={"x": 1}),
            BotUttered("kies", {"buttons": [{"title": "Ja", "payload": "/affirm"}], "custom": {"a": None}}),
            BotUttered(None, metadata={"utter_action": "utter_x", "template": "utter_y"}),
            BotUttered("leeg"),
            SlotSet("value_lines", [{"amount": "12.000", "note": "café – €"}]),
            ActionExecuted(action_text="tekst", policy="TEDPolicy", confidence=0.5, hide_rule_turn=True),
        ),
        *as_dicts(UserUttered("zonder model"), model=None),  # empty metadata: Rasa writes it last
        *as_dicts(ActionExecuted("action_listen"), model={**MODEL, "model_id": "other"}),
        *as_dicts(SlotSet("price", 12), SlotSet("price", None, metadata={"extra": True})),
        {"event": "action", "name": "odd", "timestamp": 1.0, "metadata": MODEL},  # Rasa's order differs
        {"event": "unknown_kind", "timestamp": 2.0, "metadata": MODEL, "_c": "not ours"},
        {"event": "slot", "timestamp": 3.0, "metadata": MODEL, "name": "lone", "value": "\ud800"},
    ]
    rows = compact(events)
    assert MARKER not in rows[-3]  # cannot be reproduced: written in full
    assert rows[-2][MARKER] == "="  # holds the marker key itself: kept verbatim
    assert "\\ud800" in dumps(rows[-1])  # not UTF-8: escaped
    assert "é" in dumps(rows[7])  # otherwise kept as it is
    assert rows[10]["metadata"] == {**MODEL, "model_id": "other"}  # another model: written again
    assert expand(stored(rows)) == events
    assert [json.dumps(event) for event in expand(stored(rows))] == [json.dumps(event) for event in events]


def test_an_expander_carries_over_rows_read_one_at_a_time():
    events = RECORDED["rest-belofte-klachten"]
    rows = [row for batch in batches(events) for row in stored(compact(batch))]
    expander = Expander()
    assert [expander(row) for row in rows] == events
    assert expander.carried == MODEL
