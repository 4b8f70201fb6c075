"""The trainer pages read the compact rows the tracker store writes now (rasa_addons.event_codec) exactly
as they read Rasa's full rows: the same events, transcripts, summary table, exports and pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from rasa_addons.event_codec import MARKER, compact, dumps
from tests.unit.test_event_codec import batches
from tests.web.conftest import PASSWORD, TRAINER, csrf_from, insert_rows, make_app, recorded_rows
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
        written[sender_id] = [dumps(row) for batch in batches(events) for row in compact(batch)]
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
