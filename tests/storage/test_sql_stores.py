"""The same conversations, stored by Rasa's SQL tracker store in SQLite and in PostgreSQL, are identical."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from rasa_addons.event_codec import expand
from tests.conversations import SCRIPTS
from tests.postgres import temporary_postgres
from tests.servers import Servers, sqlite_url, start_servers

# Differ by nature between two runs: when it happened, and a random id per message.
VOLATILE = {"timestamp", "message_id"}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servers, Servers]]:
    """Two full server sets: one storing in SQLite, one in a throw-away PostgreSQL."""
    with temporary_postgres() as postgres_url, ExitStack() as stack:
        sqlite_dir, postgres_logs = tmp_path_factory.mktemp("sqlite"), tmp_path_factory.mktemp("postgres")
        on_sqlite = stack.enter_context(start_servers(sqlite_dir, sqlite_url(sqlite_dir)))
        on_postgres = stack.enter_context(start_servers(postgres_logs, postgres_url))
        yield on_sqlite, on_postgres


def say(servers: Servers, sender: str, message: str) -> list[dict[str, Any]]:
    response = requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    return response.json()


def without_volatile(value: Any) -> Any:
    """``value`` with the volatile keys removed at every depth."""
    if isinstance(value, dict):
        return {key: without_volatile(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [without_volatile(item) for item in value]
    return value


def stored_events(database_url: str, sender: str) -> list[tuple[Any, ...]]:
    """The stored rows of one conversation in order, expanded, without the volatile fields."""
    engine = sa.create_engine(database_url)
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    query = sa.select(events).where(events.c.sender_id == sender).order_by(events.c.id)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    engine.dispose()
    expanded = expand(json.loads(row["data"]) for row in rows)
    return [
        (row["type_name"], row["intent_name"], row["action_name"], without_volatile(event))
        for row, event in zip(rows, expanded, strict=True)
    ]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_same_conversation_is_stored_identically(both: tuple[Servers, Servers], script: str) -> None:
    on_sqlite, on_postgres = both
    sender = f"{script}-{uuid.uuid4().hex}"
    for message in SCRIPTS[script]:
        assert say(on_sqlite, sender, message) == say(on_postgres, sender, message), message
    in_sqlite = stored_events(on_sqlite.database_url, sender)
    in_postgres = stored_events(on_postgres.database_url, sender)
    user_messages = [event for event in in_sqlite if event[0] == "user"]
    assert len(user_messages) == len(SCRIPTS[script])
    assert in_sqlite == in_postgres
