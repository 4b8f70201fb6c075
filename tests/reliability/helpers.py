"""Helpers of the reliability tests: the REST channel, and what the tracker store holds."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from rasa_addons.event_codec import expand


def rest(rasa_url: str, body: bytes | str | dict[str, Any], timeout: float = 60) -> requests.Response:
    """POSTs ``body`` (a dict is sent as JSON, bytes and str as they are) to the REST channel."""
    data = body if isinstance(body, bytes | str) else None
    return requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        data=data,
        json=None if data is not None else body,
        headers={"Content-Type": "application/json"},
        timeout=timeout,
    )


def say(rasa_url: str, sender: str, text: str) -> list[str]:
    """Sends one text as ``sender``; returns the reply texts (the response must be a 200)."""
    response = rest(rasa_url, {"sender": sender, "message": text})
    assert response.status_code == 200, response.text
    return [reply.get("text", "") for reply in response.json()]


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def stored_user_texts(database_url: str, sender: str) -> list[str]:
    """The texts of the ``user`` events stored for ``sender``, in order."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"
                ),
                {"sender": sender},
            )
            # only the user rows: a compact row's carried model id may be missing (not read here)
            return [
                event.get("text") for event in expand((json.loads(row.data) for row in rows), strict=False)
            ]
    finally:
        engine.dispose()


def log_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")
