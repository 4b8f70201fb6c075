"""Fixtures for the review pages: recorded Rasa events in a temporary SQLite database, and the Flask app.

``fixtures/events.json`` holds the rows of Rasa's ``events`` table after four real REST
conversations (recorded with ``python -m tests.web.record_conversations``). The table is
created from Rasa's own model, and rows are inserted the way Rasa stores them. The recorded rows
are in Rasa's own full format (recorded before ``rasa_addons.event_codec``); a recording made now
holds compact rows, which :func:`recorded_events` expands the same way.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from rasa_addons.event_codec import expand
from web.app import create_app
from web.auth import Trainer
from web.settings import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "events.json"
PROMOTER = "rest-promotor-ziekenhuis"
DISSATISFIED = "rest-ontevreden-advocaten"
PROMISE = "rest-belofte-klachten"
RESTARTED = "rest-opnieuw-html"
TRAINER, PASSWORD = "anna", "correct paard batterij niet"
# a cheap hash keeps the tests fast; production hashes come from `python -m web hash-password`
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def recorded_rows() -> list[dict[str, Any]]:
    """The recorded events rows, in id order."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def recorded_events() -> dict[str, list[dict[str, Any]]]:
    """Each recorded conversation's event dicts (the ``data`` column, expanded), in stored order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in recorded_rows():
        rows.setdefault(row["sender_id"], []).append(json.loads(row["data"]))
    return {sender_id: expand(stored) for sender_id, stored in rows.items()}


def rasa_row(sender_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
    """An events row as Rasa's SQLTrackerStore.save writes it."""
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return {
        "sender_id": sender_id,
        "type_name": event["event"],
        "timestamp": event.get("timestamp"),
        "intent_name": intent.get("name") if event["event"] == "user" else None,
        "action_name": event.get("name") if event["event"] == "action" else None,
        "data": json.dumps(event),
    }


def shifted(events: list[dict[str, Any]], seconds: float) -> list[dict[str, Any]]:
    """The events moved ``seconds`` in time (the same conversation on another day)."""
    return [{**event, "timestamp": event["timestamp"] + seconds} for event in events]


def events_table(engine: sa.engine.Engine) -> sa.Table:
    """Creates Rasa's events table from Rasa's own model."""
    from rasa.core.tracker_store import SQLTrackerStore

    table = SQLTrackerStore.SQLEvent.__table__
    table.create(engine, checkfirst=True)
    return table


def insert_rows(database_url: str, rows: list[dict[str, Any]]) -> None:
    engine = sa.create_engine(database_url)
    table = events_table(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [{k: v for k, v in row.items() if k != "id"} for row in rows])
    engine.dispose()


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    """An SQLite database without any table (Rasa has not stored anything yet)."""
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """An SQLite database holding the four recorded conversations."""
    url = f"sqlite:///{tmp_path / 'waardecoach.db'}"
    insert_rows(url, recorded_rows())
    return url


def make_app(database_url: str, trainers: tuple[Trainer, ...] = (Trainer(TRAINER, PASSWORD_HASH),)) -> Flask:
    app = create_app(Settings(database_url, "http://127.0.0.1:5005", "test-secret", trainers))
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def app(database_url: str) -> Flask:
    return make_app(database_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    def log_in(name: str = TRAINER, password: str = PASSWORD) -> Any:
        token = csrf_from(client.get("/trainer/login").text)
        return client.post("/trainer/login", data={"naam": name, "wachtwoord": password, "csrf_token": token})

    return log_in


@pytest.fixture
def trainer(client: FlaskClient, login: Callable[..., Any]) -> Iterator[FlaskClient]:
    """A test client logged in as the trainer."""
    response = login()
    assert response.status_code == 302
    yield client


def token(client: FlaskClient, path: str = "/trainer/") -> str:
    """The CSRF token of the client's session, read from a page."""
    return csrf_from(client.get(path).text)


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of an exported CSV (semicolons, with the byte-order mark Excel needs)."""
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
