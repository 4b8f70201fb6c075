"""Tests for :mod:`rasa_addons.user_input` and the REST channel's request check."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rasa_addons.replies import reply_text
from rasa_addons.rest_channel import RestChannel, parse_payload, request_problem
from rasa_addons.user_input import (
    MAX_MESSAGE_LENGTH,
    MessageProblem,
    clean_metadata,
    clean_text,
    is_valid_sender,
    message_problem,
)


@pytest.mark.parametrize("sender", ["a", "e2e-1f3a", "user@example.nl", "x" * 128, "A.b:c+d_e-f", "0"])
def test_valid_senders(sender: str) -> None:
    assert is_valid_sender(sender)


@pytest.mark.parametrize(
    "sender", ["", "x" * 129, "../etc", "a/b", "-a", ".hidden", "a b", "zoë", "a\x00b", None, 5, ["a"]]
)
def test_invalid_senders(sender: Any) -> None:
    assert not is_valid_sender(sender)


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("  hallo  ", "hallo"),
        ("hal\x00lo", "hallo"),
        ("a\x07\x1b[0mb", "a[0mb"),
        ("prijs\x85\x9f", "prijs"),
        ("regel 1\r\nregel 2\rregel 3", "regel 1\nregel 2\nregel 3"),
        ("tab\there", "tab\there"),
        ("hallo \ud800", "hallo \ufffd"),
        ("😀 مرحبا", "😀 مرحبا"),
    ],
)
def test_clean_text(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned
    clean_text(text).encode("utf-8")  # always storable


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", MessageProblem.EMPTY),
        (" \n\t", MessageProblem.EMPTY),
        ("\x00\x00", MessageProblem.EMPTY),
        ("a" * MAX_MESSAGE_LENGTH, None),
        ("a" * (MAX_MESSAGE_LENGTH + 1), MessageProblem.TOO_LONG),
        ("hallo", None),
    ],
)
def test_message_problem(text: str, problem: MessageProblem | None) -> None:
    assert message_problem(text) is problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"page": "/"}, {"page": "/"}),
        ('{"page": "/"}', {"page": "/"}),
        ("{kapot", {}),
        ([1], {}),
        ({"x": "y" * 5000}, {}),
        ({"x": {1, 2}}, {}),
    ],
)
def test_clean_metadata(value: Any, expected: dict[str, Any]) -> None:
    assert clean_metadata(value) == expected


def body(response: Any) -> Any:
    return json.loads(response.body)


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"{kapot", 400, "invalid_json"),
        (b"[]", 400, "invalid_json"),
        (b'{"sender": "a", "message": "\xff"}', 400, "invalid_json"),
        (b"[" * 50_000 + b"]" * 50_000, 400, "invalid_json"),
        (b'{"message": "hallo"}', 400, "invalid_sender"),
        (b'{"sender": "../x", "message": "hallo"}', 400, "invalid_sender"),
        (b'{"sender": "a"}', 400, "invalid_message"),
        (b'{"sender": "a", "message": 5}', 400, "invalid_message"),
        (json.dumps({"sender": "a", "message": "x" * 2001}).encode(), 413, "message_too_long"),
    ],
)
def test_requests_the_bot_must_not_see(raw: bytes, status: int, code: str) -> None:
    response = request_problem(parse_payload(raw))
    assert response is not None and response.status == status
    assert body(response) == {"error": code, "message": reply_text(f"utter_request_{code}", max_length=2000)}


def test_an_empty_message_gets_a_dutch_reply() -> None:
    response = request_problem(parse_payload(b'{"sender": "a", "message": "  "}'))
    assert response is not None and response.status == 200
    assert body(response) == [{"recipient_id": "a", "text": reply_text("utter_message_empty")}]


def test_a_good_request_passes() -> None:
    assert (
        request_problem(parse_payload(b'{"sender": "a", "message": "hallo", "metadata": {"x": 1}}')) is None
    )


def test_the_channel_keeps_rasas_name_and_url() -> None:
    assert RestChannel.name() == "rest"


@pytest.mark.parametrize(
    "name",
    [
        "utter_action_server_down",
        "utter_storage_unavailable",
        "utter_message_empty",
        "utter_request_message_too_long",
        "utter_request_invalid_message",
        "utter_request_invalid_sender",
        "utter_request_invalid_json",
    ],
)
def test_every_channel_reply_is_in_the_domain(name: str) -> None:
    assert reply_text(name, max_length=MAX_MESSAGE_LENGTH)
