"""The trainer pages read the compact rows the tracker store writes now (rasa_addons.event_codec) exactly
as they read Rasa's full rows: the same events, transcripts, summary table, exports and pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from rasa.shared.core.events import Event, SlotSet

from rasa_addons.event_codec import MARKER, SlotHistory, compact, dumps
from tests.unit.test_event_codec import batches
from tests.web.conftest import PASSWORD, TRAINER, csrf_from, insert_rows, make_app, rasa_row, recorded_rows
from tests.web.rehearsals import MONDAY, rehearsal_events, scorecard_value
from tests.web.test_summaries import stored
from web import store, summaries
from web.export import ExportItem, to_csv, to_json, to_markdown
from web.transcript import parse_event_data

SENDERS = sorted({row["sender_id"] for row in recorded_rows()})


def compact_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their data written by the tracker store now: compact, one saved message at a time."""
    written: dict[str, list[str]] = {}
    for sender_id in {row["sender_id"] for row in rows}:
        events = [json.loads(row["data"]) for row in rows if row["sender_id"] == sender_id]
        history = SlotHistory()  # what the tracker store has from the tracker's earlier events
        written[sender_id] = [dumps(row) for batch in batches(events) for row in compact(batch, history)]
    return [{**row, "data": written[row["sender_id"]].pop(0)} for row in rows]


@pytest.fixture
def both(tmp_path: Path) -> tuple[str, str]:
    """The recorded conversations, stored in Rasa's full rows and in compact rows."""
    full, small = f"sqlite:///{tmp_path / 'full.db'}", f"sqlite:///{tmp_path / 'compact.db'}"
    rows = recorded_rows()
    insert_rows(full, rows)
    insert_rows(small, compact_rows(rows))
    return full, small


def test_the_compact_database_really_is_compact(both: tuple[str, str]) -> None:
    rows = compact_rows(recorded_rows())
    assert all(MARKER in json.loads(row["data"]) for row in rows)
    deltas = [json.loads(row["data"]) for row in rows if "d" in json.loads(row["data"])[MARKER]]
    assert {row["name"] for row in deltas} == {"value_lines", "coaching_flags"}  # slots stored as deltas
    assert sum(len(row["data"]) for row in rows) < 0.7 * sum(len(row["data"]) for row in recorded_rows())


@pytest.mark.parametrize("sender_id", SENDERS)
def test_the_same_events_and_transcript(both: tuple[str, str], sender_id: str) -> None:
    full, small = both
    assert store.load_events(small, sender_id) == store.load_events(full, sender_id)
    conversation = store.load_conversation(small, sender_id)
    assert conversation == store.load_conversation(full, sender_id)
    item = [ExportItem(conversation)]
    reference = [ExportItem(store.load_conversation(full, sender_id))]
    for render in (to_json, to_csv, to_markdown):
        assert render(item) == render(reference)


def test_the_same_summary_table(both: tuple[str, str]) -> None:
    full, small = both
    assert summaries.rebuild(small) == summaries.rebuild(full) == len(SENDERS)
    assert stored(small) == stored(full)


def _page(client: FlaskClient, path: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", client.get(path).text)


def test_the_same_pages(both: tuple[str, str]) -> None:
    pages = []
    for url in both:
        client = make_app(url).test_client()
        token = csrf_from(client.get("/trainer/login").text)
        client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token})
        paths = ["/trainer/", *(f"/trainer/gesprek/{sender_id}" for sender_id in SENDERS)]
        pages.append([_page(client, path) for path in paths])
    full, small = pages
    assert sorted(re.findall(r'name="id" value="([^"]+)"', small[0])) == SENDERS  # logged in, all listed
    assert small == full


def test_a_compact_row_read_on_its_own() -> None:
    slot = '{"event":"slot","timestamp":1.5,"name":"engagement","_c":"m"}'
    # without the conversation's earlier rows: everything but the model id
    assert parse_event_data(slot) == {
        "event": "slot",
        "timestamp": 1.5,
        "metadata": {},
        "name": "engagement",
        "value": None,
    }
    assert parse_event_data('{"event":"bot","timestamp":2,"text":"hoi","_c":""}') == {
        "event": "bot",
        "timestamp": 2,
        "text": "hoi",
        "data": dict.fromkeys(("elements", "quick_replies", "buttons", "attachment", "image", "custom")),
    }
    assert parse_event_data('{"_c":"=","event":5}') == {"_c": "=", "event": 5}  # odd, but no error
    # a slot delta without the conversation's earlier rows: the value is not known
    delta = '{"event":"slot","timestamp":3,"name":"value_lines","delta":{"keep":1,"add":[2]},"_c":"d"}'
    assert parse_event_data(delta) == {"event": "slot", "timestamp": 3, "name": "value_lines", "value": None}


def growing_rehearsals() -> dict[str, list[dict[str, Any]]]:
    """Rehearsal conversations (tests/web/rehearsals.py) in Rasa's event order, with the slots that
    grow every turn as the bot stores them: the rehearsal state, coaching flags, and the scorecard
    set again without a restart (each a delta against the previous value)."""
    conversations = {}
    for sender_id, played, restart in (
        ("oefen-delta-piet", [scorecard_value("hospital_good", "Piet")], True),
        (
            "oefen-delta-sara",
            [scorecard_value("catering_mediocre", "Sara"), scorecard_value("municipality_good", "Sara")],
            False,
        ),
    ):
        events: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        flags: list[dict[str, Any]] = []
        for event in rehearsal_events(played, MONDAY, restart_between=restart):
            events.append(Event.from_parameters(event).as_dict() if event["event"] == "slot" else event)
            if event["event"] == "user" and event["text"] not in ("/restart", "Piet", "Sara"):
                moves = [*moves, {"move": "discovery", "said": event["text"]}]
                state = {"persona": "ziekenhuis", "turn": len(moves), "moves": moves, "finished": False}
                slots = [SlotSet("roleplay_state", state)]
                if len(moves) % 3 == 0:
                    flags = [
                        *flags,
                        {"rule": "zo_snel_mogelijk", "quote": event["text"][:20], "step": "roleplay"},
                    ]
                    slots.append(SlotSet("coaching_flags", flags))
                for slot in slots:
                    slot.timestamp = event["timestamp"] + 0.5
                    events.append(slot.as_dict())
        conversations[sender_id] = events
    return conversations


def test_rehearsals_with_growing_slots_read_the_same(tmp_path: Path) -> None:
    conversations = growing_rehearsals()
    full_rows = [
        rasa_row(sender_id, event) for sender_id, events in conversations.items() for event in events
    ]
    full, small = f"sqlite:///{tmp_path / 'full.db'}", f"sqlite:///{tmp_path / 'compact.db'}"
    insert_rows(full, full_rows)
    small_rows = compact_rows(full_rows)
    insert_rows(small, small_rows)
    deltas = [json.loads(row["data"]) for row in small_rows if "d" in json.loads(row["data"]).get(MARKER, "")]
    assert {row["name"] for row in deltas} == {"roleplay_state", "coaching_flags", "scorecard"}
    assert sum(len(row["data"]) for row in small_rows) < 0.6 * sum(len(row["data"]) for row in full_rows)
    for sender_id in conversations:
        assert (
            store.load_events(small, sender_id)
            == store.load_events(full, sender_id)
            == conversations[sender_id]
        )
        assert store.load_conversation(small, sender_id) == store.load_conversation(full, sender_id)
    assert summaries.rebuild(small) == summaries.rebuild(full) == len(conversations)
    assert stored(small) == stored(full)
    pages = []
    for url in (full, small):
        client = make_app(url).test_client()
        token = csrf_from(client.get("/trainer/login").text)
        client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token})
        paths = [
            "/trainer/",
            "/trainer/voortgang",
            *(f"/trainer/gesprek/{sender_id}" for sender_id in conversations),
        ]
        pages.append([_page(client, path) for path in paths])
    assert "oefen-delta-sara" in pages[1][0] and "Sara" in pages[1][1]
    assert pages[1] == pages[0]
