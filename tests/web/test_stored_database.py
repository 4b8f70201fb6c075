"""Conversations stored by an earlier version still read the same on the trainer pages.

``fixtures/stored_a03d6ab.sqlite3`` is the SQLite database that the bot of commit a03d6ab wrote (the
real actions and tracker store, over REST: ``python -m tests.web.record_stored_database``), before
the stored slot shapes (coaching flags, value lines, rehearsal state, scorecard) were given one
definition (issue 16); ``fixtures/stored_a03d6ab.pages.json`` holds what that version's trainer pages
showed for it. Every page, list row and export must still be the same; the second test names the
figures that matter, so a failure says what changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.web.record_stored_database import CONVERSATIONS, trainer_view
from web.store import load_conversations
from web.transcript import Conversation

FIXTURES = Path(__file__).parent / "fixtures"
DATABASE = FIXTURES / "stored_a03d6ab.sqlite3"
PAGES = FIXTURES / "stored_a03d6ab.pages.json"


def _lines(value: Any) -> Any:
    """Texts as lists of lines, so that a difference shows the line."""
    if isinstance(value, str):
        return value.split("\n")
    if isinstance(value, dict):
        return {key: _lines(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lines(item) for item in value]
    return value


@pytest.fixture(scope="module")
def view() -> dict[str, Any]:
    return trainer_view(DATABASE)


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    return json.loads(PAGES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("part", ["list", "progress", "summaries", "rehearsals", "pages", "exports"])
def test_the_trainer_pages_show_what_they_showed_when_it_was_stored(
    part: str, view: dict[str, Any], stored: dict[str, Any]
) -> None:
    assert _lines(view[part]) == _lines(stored[part])


@pytest.fixture(scope="module")
def conversations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Conversation]:
    copy = tmp_path_factory.mktemp("stored") / DATABASE.name  # the web app changes what it opens
    shutil.copyfile(DATABASE, copy)
    return {c.id: c for c in load_conversations(f"sqlite:///{copy}", CONVERSATIONS)}


def test_list_rows_flags_and_scorecards(conversations: dict[str, Conversation]) -> None:
    rows = {
        c.id: (
            c.verdict.outcome if c.verdict else None,
            c.flag_count,
            c.scorecard.score if c.scorecard else None,
        )
        for c in conversations.values()
    }
    assert rows == {
        "waarde-promotor": ("promoter", 1, None),
        "waarde-ontevreden": ("dissatisfied", 0, None),
        "belofte": (None, 2, None),
        "oefening-goed": (None, 0, 90),
        "oefening-woordkeuze": (None, 4, 0),
    }
    flags = {
        c.id: [(m.text, f.rule, f.step) for m in c.messages for f in m.flags] for c in conversations.values()
    }
    assert flags["waarde-promotor"] == [("zo snel mogelijk", "asap", "next_step_moment")]
    assert [rule for _, rule, _ in flags["belofte"]] == ["overpromise", "telling_client_what_to_do"]
    assert conversations["belofte"].flags[0].quote == "altijd"

    good = conversations["oefening-goed"].scorecards
    assert [(c.id, c.points, c.max_points, c.status) for c in good[0].criteria] == [
        ("value_question", 15, 15, "met"),
        ("hidden_facts", 20, 20, "met"),
        ("value_vs_price", 10, 20, "partly"),
        ("objections", 15, 15, "met"),
        ("options", 10, 10, "met"),
        ("next_step", 10, 10, "met"),
        ("promise", 10, 10, "met"),
    ]
    assert (good[0].salesperson, good[0].persona_name, good[0].practise_next) == (
        "Sanne",
        "Ingrid Verbeek",
        ("value_vs_price",),
    )
    assert good[0].value_check is not None and good[0].value_check["ratio"] == "0,24"
    assert good[0].coaching.penalty == 0 and not good[0].coaching.flags

    poor = conversations["oefening-woordkeuze"].scorecards
    assert [(card.persona_id, card.score, card.coaching.penalty) for card in poor] == [
        ("hospital_facility_manager", 0, 10),
        ("small_business_owner_catering", 0, 10),
    ]
    assert [[(f.quote, f.rule_id) for f in card.coaching.flags] for card in poor] == [
        [("goedkoopste", "price_first"), ("zo snel mogelijk", "asap")],
        [("zo snel mogelijk", "asap"), ("u moet", "telling_client_what_to_do")],
    ]
    assert poor[0].coaching.name == "Woordkeuze" and poor[0].value_check is None
