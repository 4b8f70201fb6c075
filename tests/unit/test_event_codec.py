"""rasa_addons.event_codec: compact rows expand to exactly the event dicts Rasa wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    AllSlotsReset,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from rasa_addons.event_codec import (
    FULL_EVERY,
    MARKER,
    Expander,
    MissingBase,
    MissingCarried,
    Needs,
    SlotHistory,
    carried_by,
    compact,
    dumps,
    expand,
    gives,
    needs_before,
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


# --- slot deltas ---------------------------------------------------------------------------------


def compact_by_message(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the tracker store writes: one batch per message, each against the slot values of
    the events saved before it."""
    history = SlotHistory()
    return [row for batch in batches(events) for row in stored(compact(batch, history))]


def expander_before(rows: list[dict[str, Any]], index: int) -> Expander:
    """What the tracker store does for a read that starts at ``rows[index]``: looks back for what
    the rows need (the carried model id, the slots' last whole values) and expands from there."""
    wanted = needs = needs_before(rows[index:])
    earlier = []
    for row in reversed(rows[:index]):
        if not wanted:
            break
        earlier.append(row)
        wanted = gives(row, wanted)
    assert not wanted  # the rows before always give what is needed
    replay = Expander(strict=False)
    for row in reversed(earlier):
        replay(row)
    slots = SlotHistory()
    for name in needs.slots:
        slots.set(name, replay.slots.base(name), fresh=True)
    return Expander(replay.carried, slots=slots)


def deltas(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if "d" in row.get(MARKER, "")]


def line(number: int) -> dict[str, Any]:
    return {
        "description": f"ze besparen {number * 100} per maand op post {number}",
        "amount": str(number * 100),
        "frequency": "month",
        "category": "cost_saving",
        "certainty": "0.80",
    }


BOT_DATA = dict.fromkeys(("elements", "quick_replies", "buttons", "attachment", "image", "custom"))


def long_conversation(turns: int = 50, restart_at: tuple[int, ...] = (30,)) -> list[dict[str, Any]]:
    """A rehearsal-like conversation: each turn a user message, the rehearsal state (a dict with a
    growing list of moves), a value line added (a growing list of dicts), now and then a line
    corrected or removed, a coaching flag, a restart; one saved batch per turn."""
    events = as_dicts(
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")
    )
    lines: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []
    for turn in range(turns):
        if turn in restart_at:
            events += as_dicts(
                Restarted(),
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            )
            lines, moves, flags = [], [], []
        moves = [*moves, {"turn": turn, "move": "discovery", "text": f"vraag {turn} – waarde"}]
        state = {"persona": "ziekenhuis", "turn": turn, "moves": moves, "objections": {"te_duur": turn > 5}}
        if turn % 7 == 3:
            state["pending"] = ["budget"]
        lines = lines[:-1] if turn % 11 == 10 else [*lines, line(turn)]
        if turn % 13 == 12 and lines:
            lines = [*lines[:-1], {**lines[-1], "amount": "15000"}]
        turn_events = [
            UserUttered(f"vraag {turn}", {"name": "inform", "confidence": 0.9}, message_id=f"m{turn}"),
            SlotSet("roleplay_state", state),
            SlotSet("value_lines", lines),
            SlotSet("requested_slot", None),
        ]
        if turn % 9 == 4:
            flags = [*flags, {"rule": "zo_snel_mogelijk", "quote": "zo snel mogelijk", "turn": turn}]
            turn_events.append(SlotSet("coaching_flags", flags))
        events += as_dicts(
            *turn_events, BotUttered(f"antwoord {turn}", BOT_DATA), ActionExecuted("action_listen")
        )
    return events


CONVERSATIONS = {**RECORDED, "synthetic-long": long_conversation()}


@pytest.mark.parametrize("sender_id", sorted(CONVERSATIONS))
def test_every_conversation_round_trips_with_deltas(sender_id):
    events = CONVERSATIONS[sender_id]
    rows = compact_by_message(events)
    assert all(MARKER in row for row in rows)
    assert_exact(expand(rows), events)
    expander = Expander()
    assert [expander(row) for row in rows] == events  # one row at a time, as the web app reads


@pytest.mark.parametrize("sender_id", sorted(CONVERSATIONS))
def test_reading_from_any_later_row_with_deltas(sender_id):
    events = CONVERSATIONS[sender_id]
    rows = compact_by_message(events)
    for start in range(1, len(rows)):
        expander = expander_before(rows, start)
        assert_exact([expander(row) for row in rows[start:]], events[start:])
        if needs_before(rows[start:]).slots:
            with pytest.raises(MissingBase):
                expand(rows[start:], carried_before(rows, start))
    # the incremental read: the slot values of the events already read (the kept tracker's)
    for start in range(1, len(rows)):
        history = SlotHistory()
        for event in events[:start]:
            history.update(event)
        assert_exact(expand(rows[start:], carried_before(rows, start), slots=history), events[start:])


def test_the_long_conversation_stores_deltas_and_whole_values_where_a_read_starts():
    events = long_conversation()
    rows = compact_by_message(events)
    kinds = {(row["name"], "d" in row[MARKER]) for row in rows if row["event"] == "slot"}
    assert {("value_lines", True), ("roleplay_state", True), ("coaching_flags", True)} <= kinds
    assert ("requested_slot", True) not in kinds  # not a list or dict
    # whole at the first set after every session start, and at every 20th set after it
    sets: dict[str, int] = {}
    for row in rows:
        if row["event"] in ("session_started", "restart"):
            sets.clear()
        elif row["event"] == "slot":
            count = sets.get(row["name"], 0)
            if count % FULL_EVERY == 0:
                assert "delta" not in row and "d" not in row[MARKER]
            sets[row["name"]] = count + 1
    # reading from each session start needs nothing earlier
    for start, row in enumerate(rows):
        if row["event"] == "session_started":
            assert not needs_before(rows[start:]).slots
    # much smaller than whole values
    whole = sum(len(dumps(row)) for batch in batches(events) for row in compact(batch))
    assert sum(len(dumps(row)) for row in rows) < 0.5 * whole


def test_a_list_delta_keeps_a_prefix_and_adds():
    before = [line(1), line(2), line(3)]
    cases = {
        "appended": ([*before, line(4)], {"keep": 3, "add": [line(4)]}),
        "last removed": (before[:2], {"keep": 2}),
        "last changed": (
            [*before[:2], {**line(3), "amount": "9"}],
            {"keep": 2, "add": [{**line(3), "amount": "9"}]},
        ),
        "unchanged": (list(before), {"keep": 3}),
    }
    for name, (after, delta) in cases.items():
        events = as_dicts(SlotSet("value_lines", before), SlotSet("value_lines", after))
        rows = stored(compact(events))
        assert rows[1]["delta"] == delta and rows[1][MARKER] == "md" and "value" not in rows[1], name
        assert list(rows[1]) == ["event", "timestamp", "name", "delta", MARKER]  # where "value" was
        assert_exact(expand(rows), events)


def test_a_dict_delta_sets_unsets_and_changes_keys():
    brief = "Ruud Hermans, senior inkoopadviseur bij de gemeente, openbare aanbesteding"
    before = {
        "persona": "gemeente",
        "brief": brief,
        "turn": 3,
        "moves": [{"move": "a"}, {"move": "b"}],
        "pending": ["x"],
        "n": None,
    }
    after = {
        "persona": "gemeente",
        "brief": brief,
        "turn": 4,
        "moves": [{"move": "a"}, {"move": "b"}, {"move": "c"}],
        "n": None,
    }
    after["new"] = {"k": 1}
    events = as_dicts(SlotSet("roleplay_state", before), SlotSet("roleplay_state", after))
    rows = stored(compact(events))
    assert rows[1]["delta"] == {
        "set": {"turn": 4, "new": {"k": 1}},
        "unset": ["pending"],
        "change": {"moves": {"keep": 2, "add": [{"move": "c"}]}},
    }
    assert_exact(expand(rows), events)
    # nothing changed: an empty delta
    same = as_dicts(SlotSet("roleplay_state", before), SlotSet("roleplay_state", dict(before)))
    rows = stored(compact(same))
    assert rows[1]["delta"] == {}
    assert_exact(expand(rows), same)


def test_whole_values_where_a_delta_would_not_round_trip_or_not_pay():
    base = {"a": 1, "b": [1, 2, 3], "c": "x" * 50}
    cases = [
        {"b": [1, 2, 3], "a": 1, "c": "x" * 50},  # same keys, other order: a delta would reorder them
        [1, 2, 3],  # another type
        {"z": 1},  # everything changed: the delta is no smaller
        {"a": True, "b": [1, 2, 3], "c": "x" * 50},  # True == 1 in Python, not in JSON
        None,
    ]
    for value in cases:
        events = as_dicts(SlotSet("state", base), SlotSet("state", value))
        rows = stored(compact(events))
        if value == {"a": True, "b": [1, 2, 3], "c": "x" * 50}:
            assert rows[1].get("delta") in (None, {"set": {"a": True}})
        else:
            assert "delta" not in rows[1] and "d" not in rows[1][MARKER], value
        assert_exact(expand(rows), events)
    # a key "delta" of its own, and a tuple (JSON makes it a list): still exact
    odd = [
        *as_dicts(SlotSet("state", [line(1), line(2)])),
        {**as_dicts(SlotSet("state", [line(1), line(2), line(3)]))[0], "delta": 5},
        *as_dicts(SlotSet("state", (line(1), line(2), line(3), line(4)))),
    ]
    rows = stored(compact(odd))
    assert "d" not in rows[1].get(MARKER, "") and rows[2]["delta"] == {"keep": 3, "add": [line(4)]}
    assert [json.dumps(event) for event in expand(rows)] == [json.dumps(event) for event in odd]


def test_no_delta_without_a_previous_value_in_the_session():
    first = as_dicts(SlotSet("value_lines", [line(1)]))
    assert "value" in compact(first)[0]  # no history: whole
    history = SlotHistory()
    history.update(as_dicts(SlotSet("value_lines", [line(1)]))[0])
    assert "delta" in compact(as_dicts(SlotSet("value_lines", [line(1), line(2)])), history)[0]
    for reset in (SessionStarted(), Restarted(), AllSlotsReset()):
        history = SlotHistory()
        for event in as_dicts(SlotSet("value_lines", [line(1)]), reset):
            history.update(event)
        assert "value" in compact(as_dicts(SlotSet("value_lines", [line(1), line(2)])), history)[0]


def test_a_delta_without_its_previous_value():
    events = as_dicts(SlotSet("value_lines", [line(1)]), SlotSet("value_lines", [line(1), line(2)]))
    rows = stored(compact(events))
    with pytest.raises(MissingBase):
        expand(rows[1:])
    loose = expand(rows[1:], strict=False)  # the web app on a lone row: the value is not known
    assert loose == [{**events[1], "metadata": {}, "value": None}]  # nor the model id
    assert needs_before(rows[1:]).slots == {"value_lines"}
    assert needs_before(rows[1:]).carried
    assert gives(rows[0], Needs(slots={"other", "value_lines"})) == Needs(slots={"other"})
    assert not gives(rows[0], needs_before(rows[1:]))


def test_old_whole_rows_give_the_previous_value():
    events = long_conversation(turns=30, restart_at=())
    split = list(batches(events))
    old = sum(map(len, split[:10]))
    history = SlotHistory()
    for event in events[:old]:
        history.update(event)
    rows = [*events[:old], *(row for batch in split[10:] for row in stored(compact(batch, history)))]
    assert deltas(rows[old:]) and all(MARKER not in row for row in rows[:old])
    assert_exact(expand(rows), events)
