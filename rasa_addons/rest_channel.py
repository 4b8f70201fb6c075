"""The REST channel (``POST /webhooks/rest/webhook``) with its input checked before Rasa sees it.

Rasa 3.6's ``RestInput`` takes any JSON: a missing or non-string sender or message, a 1 MB text,
NUL characters (which PostgreSQL cannot store) or a client-chosen ``input_channel`` all reach the
bot, and it answers ``200 []`` when handling a message fails. Here a request gets a clean 4xx with
a Dutch explanation, or a Dutch reply:

* a ``Content-Type`` other than ``application/json`` (a form or ``text/plain``, which any website
  can make its visitors' browsers post): 415 ``unsupported_media_type``;
* body that is not a JSON object (or not UTF-8): 400 ``invalid_json``;
* ``sender`` missing, not a string, or not 1-128 of ``A-Z a-z 0-9 _ . : @ + -``: 400 ``invalid_sender``;
* ``message`` missing or not a string: 400 ``invalid_message``;
* ``message`` longer than 2000 characters: 413 ``message_too_long``;
* an empty or whitespace-only message: 200 with a Dutch reply, and nothing is stored;
* a ``sender`` in the website widget's namespace (``widget-...``): 403 ``widget_conversation``;
* the limits of ``rasa_addons.limits``: 429 ``too_many_messages`` (per sender),
  ``too_many_conversations`` (new conversations per client address), ``too_many_turns``, the
  per-minute ones with ``Retry-After``;
* control characters are removed, metadata that is not a small JSON object is dropped;
* when the conversation database is down: 200 with a Dutch reply that nothing was processed;
* when handling the message fails otherwise (a lock that cannot be had, Redis down, a bug): 200
  with a Dutch reply to send it again (``rasa_addons.failure_reply``).

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

from rasa_addons import failure_reply
from rasa_addons.limits import ChannelLimits, LimitSettings, Refusal, client_address
from rasa_addons.replies import reply_text
from rasa_addons.user_input import (
    MAX_MESSAGE_LENGTH,
    MessageProblem,
    clean_metadata,
    clean_text,
    is_valid_sender,
    is_widget_conversation_id,
    message_problem,
)

__all__ = ["RestChannel", "is_json", "parse_payload", "refused", "request_problem"]

JSON_MEDIA_TYPE = "application/json"


def _error(status: int, code: str, headers: dict[str, str] | None = None, **values: object) -> HTTPResponse:
    return response.json(
        {"error": code, "message": reply_text(f"utter_request_{code}", **values)},
        status=status,
        headers=headers,
    )


def is_json(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` header names JSON (parameters such as ``charset`` aside)."""
    return (content_type or "").split(";")[0].strip().lower() == JSON_MEDIA_TYPE


def refused(refusal: Refusal) -> HTTPResponse:
    """The 429 of a limit, with ``Retry-After`` for the per-minute ones."""
    headers = None if refusal.retry_after is None else {"Retry-After": str(refusal.retry_after)}
    return _error(429, refusal.code, headers, **(refusal.values or {}))


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
    """Rasa's REST channel with checked input, limits and a Dutch reply whenever a message fails."""

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
        limits = ChannelLimits(LimitSettings.from_env())

        async def answer(message: UserMessage) -> None:
            await failure_reply.handle(on_new_message, message)

        webhook = super().blueprint(answer)

        @webhook.middleware("request")
        async def check_input(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if not is_json(request.headers.get("content-type")):
                return _error(415, "unsupported_media_type")
            request.ctx.payload = parse_payload(request.body)
            problem = request_problem(request.ctx.payload)
            if problem is not None:
                return problem
            sender = request.ctx.payload["sender"]
            if is_widget_conversation_id(sender):
                return _error(403, "widget_conversation")
            address = client_address(request)
            refusal = limits.check_rate(sender, address) or await limits.check_conversation(
                request.app.ctx.agent.tracker_store, sender, address
            )
            return None if refusal is None else refused(refusal)

        return webhook
