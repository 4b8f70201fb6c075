"""Starts the servers on loopback, with a throw-away SQLite transcript database, for end-to-end tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import requests

from tests.servers import sqlite_url, start_servers


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a Rasa server (with its action server and web app) on loopback."""
    directory = tmp_path_factory.mktemp("e2e")
    with start_servers(directory, sqlite_url(directory)) as servers:
        yield servers.rasa_url


@pytest.fixture
def chat(rasa_url: str) -> Callable[[str], str]:
    """Sends one message as a new user; returns the bot's replies joined by newlines."""
    sender = f"e2e-{uuid.uuid4().hex}"

    def say(message: str) -> str:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=30,
        )
        response.raise_for_status()
        return "\n".join(reply.get("text", "") for reply in response.json())

    return say
