"""Tests for :mod:`bot.slot_shapes`: every stored shape reads back as written, through JSON, and the
readers are as strict (value lines, the rehearsal state) or as lenient (flags, scorecards) as said.

Conversations stored by an earlier version are read in ``tests/web/test_stored_database.py``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.roleplay import RoleplayState
from bot.slot_shapes.coaching_flags import Flag, flags_from_slot, flags_to_slot
from bot.slot_shapes.roleplay_state import state_from_slot, state_to_slot
from bot.slot_shapes.scorecard import RecordedFlag, scorecard_from_slot, scorecard_to_slot
from bot.slot_shapes.value_lines import line_from_slot, line_to_slot
from bot.value_model import Category, Frequency, ValueLine
from tests.unit.test_roleplay import ASK_ALL, HOSPITAL, play
from tests.unit.test_scorecard import REHEARSALS, _rehearse, _script


def through_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


# -- coaching flags -----------------------------------------------------------------------

FLAGS = (
    Flag("asap", "zo snel mogelijk", "Geen moment.", "Noem een moment.", "next_step_moment"),
    Flag("overpromise", "altijd", "Te veel beloofd.", "Beloof wat je kunt.", "promise_text"),
)


def test_coaching_flags_read_back_as_written() -> None:
    slot = through_json(flags_to_slot(FLAGS))
    assert [list(item) for item in slot] == [["rule", "quote", "problem", "suggestion", "step"]] * 2
    assert flags_from_slot(slot) == FLAGS


def test_coaching_flags_stored_oddly_read_what_they_can() -> None:
    assert flags_from_slot(None) == flags_from_slot({"rule": "asap"}) == ()
    stored = ["asap", {"rule": "asap", "quote": 3}, {"step": "promise_text", "extra": True}]
    assert flags_from_slot(stored) == (Flag("asap", "", "", "", ""), Flag("", "", "", "", "promise_text"))


# -- value lines --------------------------------------------------------------------------

LINES = [
    ValueLine("schoonmaak", Decimal("12000"), Frequency.YEAR, Category.COST_SAVING, Decimal("0.75")),
    ValueLine("2 uur x € 55", Decimal("110.00"), Frequency.WEEK, Category.TIME_SAVED, Decimal("0.5")),
    ValueLine("inwerken", Decimal("5000"), Frequency.ONE_OFF, Category.COST_SAVING),
]


@pytest.mark.parametrize("line", LINES, ids=lambda line: line.description)
def test_a_value_line_reads_back_as_written(line: ValueLine) -> None:
    slot = through_json(line_to_slot(line))
    assert list(slot) == ["description", "amount", "frequency", "category", "certainty"]
    assert all(isinstance(value, str) for value in slot.values())  # money stays an exact decimal string
    assert line_from_slot(slot) == line


def test_a_value_line_stored_before_certainties_is_certain() -> None:
    slot = line_to_slot(LINES[0])
    del slot["certainty"]
    assert line_from_slot(slot).certainty == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda slot: slot.pop("amount"), KeyError),
        (lambda slot: slot.update(frequency="daily"), ValueError),
        (lambda slot: slot.update(amount="veel"), ArithmeticError),
    ],
)
def test_a_value_line_the_actions_did_not_write_raises(change: Any, error: type[Exception]) -> None:
    slot = line_to_slot(LINES[0])
    change(slot)
    with pytest.raises(error):
        line_from_slot(slot)


# -- the rehearsal: its state and its scorecard -------------------------------------------


@pytest.mark.parametrize("path", REHEARSALS, ids=lambda path: path.stem)
def test_a_rehearsal_state_and_its_scorecard_read_back_as_written(path: Path) -> None:
    state, card = _rehearse(_script(path))
    assert state_from_slot(through_json(state_to_slot(state))) == state
    card = replace(card, salesperson="Sanne")
    slot = through_json(scorecard_to_slot(card))
    assert scorecard_from_slot(slot) == card
    assert scorecard_to_slot(card) == slot


def test_the_state_keeps_money_as_decimal_strings() -> None:
    state, _ = play(HOSPITAL.id, *ASK_ALL, "Dat scheelt u € 54.000 per jaar.")
    data = state_to_slot(state)
    assert (data["values"][0]["amount"], data["values"][0]["frequency"]) == ("54000", "year")


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data.pop("turn"),
        lambda data: data.update(extra=1),
        lambda data: data["values"][0].update(amount=54000.0),
        lambda data: data["values"][0].update(frequency="daily"),
        lambda data: data["values"][0].update(amount="veel"),
        lambda data: data.update(facts="none"),
    ],
)
def test_a_state_the_actions_did_not_write_raises(change: Any) -> None:
    state, _ = play(HOSPITAL.id, *ASK_ALL, "Dat scheelt u € 54.000 per jaar.")
    data = state_to_slot(state)
    change(data)
    with pytest.raises(ValueError, match="not a rehearsal state"):
        state_from_slot(data)


def test_a_state_stored_before_the_variations_still_loads() -> None:
    data = state_to_slot(RoleplayState(HOSPITAL.id))
    del data["said"], data["last_line"]
    assert state_from_slot(data) == RoleplayState(HOSPITAL.id)


def test_the_scorecard_slot_has_the_stored_keys_in_order() -> None:
    _, card = _rehearse(_script(REHEARSALS[0]))
    slot = scorecard_to_slot(card)
    assert list(slot) == [
        "persona_id",
        "score",
        "criteria",
        "coaching",
        "practise_next",
        "value_check",
        "salesperson",
        "persona_name",
    ]
    assert list(slot["criteria"][0]) == [
        "id",
        "name",
        "points",
        "max_points",
        "status",
        "case",
        "quotes",
        "feedback",
        "alternative",
    ]
    assert list(slot["coaching"]) == ["name", "penalty", "max_penalty", "flags", "feedback", "alternative"]


def test_a_scorecard_stored_oddly_reads_what_it_can() -> None:
    for not_a_card in (None, "62", {}, {"score": "62"}, {"score": True}):
        assert scorecard_from_slot(not_a_card) is None
    card = scorecard_from_slot(
        {
            "score": 140,
            "persona_id": "hospital_facility_manager",
            "salesperson": "  Piet \n Jansen ",
            "criteria": [
                {"id": "x", "points": "7", "status": "good", "quotes": ["a", 3, ""]},
                "x",
                {"name": "n"},
            ],
            "coaching": {"penalty": -5, "flags": [{"rule": "asap", "quote": "zsm", "turn": 2.0}, 7]},
            "practise_next": "x",
            "value_check": {"ratio": "0,5", "years": 3, "payback_months": None, "rate": 0.5, "bad": [1]},
        },
        unnamed_penalty="the wording",
    )
    assert card is not None
    assert (card.score, card.persona_name, card.salesperson) == (
        100,
        "hospital_facility_manager",
        "Piet Jansen",
    )
    assert [(c.id, c.name, c.points, c.status, c.quotes) for c in card.criteria] == [
        ("x", "x", 0, "not", ("a",))
    ]
    assert (card.coaching.name, card.coaching.penalty) == ("the wording", 0)
    assert card.coaching.flags == (
        RecordedFlag("asap", "zsm", "", "", 2),
    )  # older cards named the rule "rule"
    assert card.practise_next == ()
    assert card.value_check == {"ratio": "0,5", "years": 3, "payback_months": None, "rate": "0.5"}
