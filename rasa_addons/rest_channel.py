"""The REST channel (``POST /webhooks/rest/webhook``) with its input checked before Rasa sees it.

Rasa 3.6's ``RestInput`` takes any JSON: a missing or non-string sender or message, a 1 MB text,
NUL characters (which PostgreSQL cannot store) or a client-chosen ``input_channel`` all reach the
bot. Here a request gets a clean 4xx with a Dutch explanation, or a Dutch reply:

* body that is not a JSON object (or not UTF-8): 400 ``invalid_json``;
* ``sender`` missing, not a string, or not 1-128 of ``A-Z a-z 0-9 _ . : @ + -``: 400 ``invalid_sender``;
* ``message`` missing or not a string: 400 ``invalid_message``;
* ``message`` longer than 2000 characters: 413 ``message_too_long``;
* an empty or whitespace-only message: 200 with a Dutch reply, and nothing is stored;
* control characters are removed, metadata that is not a small JSON object is dropped;
* when the conversation database is down: 200 with a Dutch reply that nothing was processed.

The error bodies are ``{"error": <code>, "message": <Dutch text from domain.yml>}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_addons.replies import reply_text
from rasa_addons.tracker_store import refuse_when_storage_is_down
from rasa_addons.user_input import (
    MAX_MESSAGE_LENGTH,
    MessageProblem,
    clean_metadata,
    clean_text,
    is_valid_sender,
    message_problem,
)

__all__ = ["RestChannel", "parse_payload", "request_problem"]


def _error(status: int, code: str, **values: object) -> HTTPResponse:
    return response.json(
        {"error": code, "message": reply_text(f"utter_request_{code}", **values)}, status=status
    )


def parse_payload(body: bytes) -> dict[str, Any] | None:
    """The request body as a JSON object, or None when it is not one."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; deep nesting recurses
        return None
    return payload if isinstance(payload, dict) else None


def request_problem(payload: dict[str, Any] | None) -> HTTPResponse | None:
    """The response for a request the bot must not see, or None when it may pass."""
    if payload is None:
        return _error(400, "invalid_json")
    sender, text = payload.get("sender"), payload.get("message")
    if not is_valid_sender(sender):
        return _error(400, "invalid_sender")
    if not isinstance(text, str):
        return _error(400, "invalid_message")
    problem = message_problem(text)
    if problem is MessageProblem.TOO_LONG:
        return _error(413, "message_too_long", max_length=MAX_MESSAGE_LENGTH)
    if problem is MessageProblem.EMPTY:
        return response.json([{"recipient_id": sender, "text": reply_text("utter_message_empty")}])
    return None


class RestChannel(RestInput):
    """Rasa's REST channel with checked input and a Dutch reply when the database is down."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str:
        return str(req.ctx.payload["sender"])

    def _extract_message(self, req: Request) -> str:
        return clean_text(req.ctx.payload["message"])

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any]:
        return clean_metadata(request.ctx.payload.get("metadata"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(refuse_when_storage_is_down(on_new_message))

        @webhook.middleware("request")
        async def check_input(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            request.ctx.payload = parse_payload(request.body)
            return request_problem(request.ctx.payload)

        return webhook
