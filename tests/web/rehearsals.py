"""Synthetic rehearsal conversations for the review pages, scored by the real roleplay core.

:func:`scorecard_value` plays a scripted rehearsal from ``tests/unit/rehearsals/`` through
:mod:`bot.roleplay` and scores it with :mod:`bot.scorecard`, so the slot value has exactly
the shape the bot stores (:func:`bot.slot_shapes.scorecard.scorecard_to_slot`).
:func:`rehearsal_events` wraps one or more of them in Rasa events the way a conversation is
stored (session start, the salesperson's messages, the client's replies, the ``scorecard``
slot event); :func:`store_rehearsals` inserts those as ``events`` rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.coaching import load_rules
from bot.personas import find_persona, load_personas
from bot.roleplay import client_turn, start
from bot.scorecard import load_rubric, score
from bot.slot_shapes.scorecard import Scorecard, scorecard_to_slot
from tests.web.conftest import insert_rows, rasa_row

REHEARSALS = Path(__file__).resolve().parents[1] / "unit" / "rehearsals"
DAY = 24 * 3600.0
# 2026-11-02 09:00 UTC: a Monday, well inside the period the tests look at
MONDAY = 1793610000.0


@dataclass(frozen=True)
class Played:
    """A scripted rehearsal, played: what the salesperson said and the scorecard slot's value."""

    said: tuple[str, ...]
    value: dict[str, Any]


@functools.cache
def _play(name: str) -> tuple[tuple[str, ...], Scorecard]:
    script = yaml.safe_load((REHEARSALS / f"{name}.yml").read_text(encoding="utf-8"))
    persona = find_persona(load_personas(), script["persona"])
    rules = load_rules()
    state, _ = start(persona)
    said = []
    for message in script["messages"]:
        state, _ = client_turn(persona, state, message["say"], rules)
        said.append(message["say"])
    assert state.finished, name
    return tuple(said), score(persona, state, load_rubric())


def scorecard_value(name: str, salesperson: str) -> Played:
    """The ``scorecard`` slot value after the scripted rehearsal ``name`` (a file stem), as the bot stores it."""
    said, card = _play(name)
    return Played(said, scorecard_to_slot(replace(card, salesperson=salesperson)))


def rehearsal_events(
    rehearsals: Sequence[Played], start_time: float = MONDAY, restart_between: bool = True
) -> list[dict[str, Any]]:
    """A stored conversation with these rehearsals one after the other (a restart between them)."""
    time = start_time
    events: list[dict[str, Any]] = []

    def add(event: dict[str, Any]) -> None:
        nonlocal time
        time += 5
        events.append({**event, "timestamp": time})

    add({"event": "action", "name": "action_session_start"})
    add({"event": "session_started"})
    add({"event": "action", "name": "action_listen"})
    for position, played in enumerate(rehearsals):
        if position and restart_between:
            add({"event": "user", "text": "/restart", "input_channel": "rest"})
            add({"event": "restart"})
        add({"event": "user", "text": "ik wil oefenen met een klant", "input_channel": "rest"})
        add({"event": "bot", "text": f"Je oefent met {played.value['persona_name']}. Hoe heet je?"})
        add({"event": "user", "text": played.value["salesperson"], "input_channel": "rest"})
        for text in played.said:
            add({"event": "user", "text": text, "input_channel": "rest"})
            add({"event": "bot", "text": "De klant antwoordt."})
        add({"event": "bot", "text": f"Je score: {played.value['score']} van de 100."})
        add({"event": "slot", "name": "scorecard", "value": played.value})
        add({"event": "action", "name": "action_listen"})
    return events


def store_rehearsals(
    database_url: str,
    sender_id: str,
    rehearsals: Sequence[Played],
    start_time: float = MONDAY,
    restart_between: bool = True,
) -> list[dict[str, Any]]:
    """Stores the conversation as Rasa would; returns its events."""
    events = rehearsal_events(rehearsals, start_time, restart_between)
    insert_rows(database_url, [rasa_row(sender_id, event) for event in events])
    return events
