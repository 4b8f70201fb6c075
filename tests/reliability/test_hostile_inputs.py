"""Hostile and odd inputs over REST and socket.io: a Dutch reply or a clean 4xx, never a 5xx or a
stuck conversation, and the servers keep running (tests/reliability/hostile_inputs.py lists them)."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from rasa_addons.replies import reply_text
from rasa_addons.socketio_channel import is_valid_session_id
from tests.reliability.helpers import log_text, new_sender, rest, say, stored_user_texts
from tests.reliability.hostile_inputs import CLOSED, REPLY, REST_CASES, SESSION_REQUESTS, SOCKET_CASES
from tests.reliability.widget_client import WidgetClient
from tests.servers import Servers

GREETING = "Waardecoach"


def assert_alive(servers: Servers) -> None:
    """Rasa still answers a normal conversation and logged no crash."""
    assert any(GREETING in text for text in say(servers.rasa_url, new_sender("alive"), "hallo"))
    assert "Traceback" not in log_text(servers.logs / "rasa.log")


@pytest.mark.parametrize(
    ("body", "expected"), [case[1:] for case in REST_CASES], ids=[case[0] for case in REST_CASES]
)
def test_rest_input(servers: Servers, body: bytes, expected: object) -> None:
    sender = new_sender("hostile")
    response = rest(servers.rasa_url, body.replace(b"SENDER", sender.encode()))
    if expected == REPLY:
        assert response.status_code == 200, response.text[:300]
        texts = [reply.get("text", "") for reply in response.json()]
        assert texts and all(texts), texts
        # Not stuck: the same conversation goes on.
        assert say(servers.rasa_url, sender, "help")
    else:
        status, code = expected  # type: ignore[misc]
        assert response.status_code == status, response.text[:300]
        assert response.json()["error"] == code
        assert response.json()["message"] == reply_text(f"utter_request_{code}", max_length=2000)


def test_there_are_at_least_60_inputs() -> None:
    assert len(REST_CASES) + len(SOCKET_CASES) + len(SESSION_REQUESTS) >= 60


def test_nul_and_control_characters_are_removed_before_storing(servers: Servers) -> None:
    sender = new_sender("control")
    say(servers.rasa_url, sender, "hal\x00lo\x07 da\x1bar \ud800")
    assert stored_user_texts(servers.database_url, sender) == ["hallo daar \ufffd"]


def test_an_empty_message_is_answered_but_not_stored(servers: Servers) -> None:
    sender = new_sender("empty")
    assert say(servers.rasa_url, sender, "   ") == [reply_text("utter_message_empty")]
    assert stored_user_texts(servers.database_url, sender) == []


def test_twenty_simultaneous_messages_to_one_conversation(servers: Servers) -> None:
    sender = new_sender("burst")
    texts = [f"hallo {n}" for n in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(
            pool.map(lambda text: rest(servers.rasa_url, {"sender": sender, "message": text}), texts)
        )
    assert [response.status_code for response in responses] == [200] * 20
    assert all(response.json() for response in responses)
    # Every message was processed once (Rasa's lock serialises them), and the conversation goes on.
    assert sorted(stored_user_texts(servers.database_url, sender)) == sorted(texts)
    assert say(servers.rasa_url, sender, "help")
    assert_alive(servers)


async def test_socket_io_inputs(servers: Servers) -> None:
    client = WidgetClient(servers.rasa_url, servers.web_url)
    session_id = await client.start()
    try:
        for name, payload, expected in SOCKET_CASES:
            if expected == REPLY:
                replies = await client.send(payload)
                assert replies and all(replies), name
            else:
                assert expected == CLOSED
                await client.sio.emit("user_uttered", payload)
                await asyncio.sleep(2)
                assert not client.sio.connected, name
                # The conversation is not stuck: a new connection with the same session id goes on.
                client = WidgetClient(servers.rasa_url, servers.web_url)
                assert await client.start(session_id) == session_id
                assert await client.say("help"), name
        assert await client.say("hallo")
    finally:
        await client.close()
    assert_alive(servers)


@pytest.mark.parametrize(
    ("payload",), [(case[1],) for case in SESSION_REQUESTS], ids=[case[0] for case in SESSION_REQUESTS]
)
async def test_odd_session_requests_get_a_fresh_session(servers: Servers, payload: Any) -> None:
    client = WidgetClient(servers.rasa_url, servers.web_url)
    try:
        await client.connect()
        session_id = await client.request_session(payload)
        assert is_valid_session_id(session_id)
        assert session_id != (payload or {}).get("session_id")
        assert await client.say("hallo")
    finally:
        await client.close()


async def test_a_message_before_the_session_request_is_ignored(servers: Servers) -> None:
    client = WidgetClient(servers.rasa_url, servers.web_url)
    try:
        await client.connect()
        await client.sio.emit("user_uttered", {"message": f"zonder sessie {uuid.uuid4().hex}"})
        assert await client.collect(first_within=3) == []
        assert client.sio.connected
    finally:
        await client.close()
