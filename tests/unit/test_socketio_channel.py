"""Tests for :mod:`rasa_addons.socketio_channel` (no network: the socket.io server is not started)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock

import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput

from rasa_addons.replies import reply_text
from rasa_addons.socketio_channel import (
    ALLOWED_ORIGINS_ENV,
    OriginsNotConfiguredError,
    SocketIOChannel,
    allowed_origins_from_env,
    is_valid_session_id,
    new_session_id,
)
from rasa_addons.tracker_store import StorageUnavailable

ROOT = Path(__file__).resolve().parents[2]
ORIGINS = "http://127.0.0.1:8000, http://localhost:8000/"
CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
}


@pytest.mark.parametrize(
    "value", [new_session_id(), "widget-" + "0" * 32, "widget-" + "0123456789abcdef" * 2]
)
def test_accepts_session_ids_we_issue(value: str) -> None:
    assert is_valid_session_id(value)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        42,
        uuid.uuid4().hex,  # what older versions issued: not in the widget's namespace
        "widget-" + str(uuid.uuid4()),  # with dashes
        "WIDGET-" + uuid.uuid4().hex,
        "widget-" + uuid.uuid4().hex.upper(),
        "widget-" + uuid.uuid4().hex[:31],
        "widget-" + uuid.uuid4().hex + "0",
        "widget-" + uuid.uuid4().hex[:31] + "g",
        "widget-" + uuid.uuid4().hex + "\n",
        "../" + uuid.uuid4().hex[3:],
        ["widget-" + "0" * 32],
    ],
)
def test_refuses_other_session_ids(value: object) -> None:
    assert not is_valid_session_id(value)


def test_reads_the_allowed_origins() -> None:
    origins = allowed_origins_from_env({ALLOWED_ORIGINS_ENV: ORIGINS})
    assert origins == ["http://127.0.0.1:8000", "http://localhost:8000"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        " , ",
        "*",
        "http://127.0.0.1:8000,*",
        "https://*.example.nl",
        "example.nl",
        "http://a.nl/chat",
    ],
)
def test_refuses_missing_wildcard_or_malformed_origins(value: str | None) -> None:
    environ = {} if value is None else {ALLOWED_ORIGINS_ENV: value}
    with pytest.raises(OriginsNotConfiguredError, match=ALLOWED_ORIGINS_ENV):
        allowed_origins_from_env(environ)


def test_keeps_the_channel_name() -> None:
    assert SocketIOChannel.name() == SocketIOInput.name() == "socketio"
    assert isinstance(SocketIOChannel.from_credentials(CREDENTIALS), SocketIOChannel)


def test_refuses_to_start_without_allowed_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOWED_ORIGINS_ENV, raising=False)
    with pytest.raises(OriginsNotConfiguredError):
        SocketIOChannel.from_credentials(CREDENTIALS).blueprint(AsyncMock())
    monkeypatch.setenv(ALLOWED_ORIGINS_ENV, "*")
    with pytest.raises(OriginsNotConfiguredError, match="must not contain"):
        SocketIOChannel.from_credentials(CREDENTIALS).blueprint(AsyncMock())


class FakeSockets:
    """Stands in for the socket.io server's per-socket sessions, rooms and emits."""

    def __init__(self, channel: SocketIOChannel) -> None:
        assert channel.sio is not None
        self.sessions: dict[str, dict[str, Any]] = {}
        sio = channel.sio
        sio.get_session = AsyncMock(side_effect=lambda sid, namespace=None: dict(self.sessions.get(sid, {})))
        sio.save_session = AsyncMock(side_effect=lambda sid, session, namespace=None: self.save(sid, session))
        sio.enter_room = AsyncMock()
        sio.leave_room = AsyncMock()
        sio.emit = AsyncMock()
        self.sio = sio
        self.handlers = sio.handlers["/"]

    def save(self, sid: str, session: dict[str, Any]) -> None:
        self.sessions[sid] = session

    async def session_request(self, sid: str, data: Any) -> str:
        self.sio.emit.reset_mock()
        await self.handlers["session_request"](sid, data)
        self.sio.emit.assert_awaited_once()
        event, session_id = self.sio.emit.await_args.args
        assert event == "session_confirm"
        assert self.sio.emit.await_args.kwargs["room"] == sid
        return str(session_id)


@pytest.fixture
def received() -> list[UserMessage]:
    return []


@pytest.fixture
def sockets(monkeypatch: pytest.MonkeyPatch, received: list[UserMessage]) -> FakeSockets:
    monkeypatch.setenv(ALLOWED_ORIGINS_ENV, ORIGINS)

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    channel = SocketIOChannel.from_credentials(CREDENTIALS)
    assert isinstance(channel, SocketIOChannel)
    channel.blueprint(on_new_message)
    return FakeSockets(channel)


def test_sets_the_allowed_origins_on_engine_io(sockets: FakeSockets) -> None:
    # Rasa's channel passes [], which turns engine.io's origin check off.
    assert sockets.sio.eio.cors_allowed_origins == ["http://127.0.0.1:8000", "http://localhost:8000"]


def test_replaces_the_connect_session_and_message_handlers(sockets: FakeSockets) -> None:
    for event in ("connect", "session_request", "user_uttered"):
        assert sockets.handlers[event].__module__ == "rasa_addons.socketio_channel"


@pytest.mark.parametrize(
    ("environ", "accepted"),
    [
        ({"HTTP_ORIGIN": "http://127.0.0.1:8000"}, True),
        ({"HTTP_ORIGIN": "http://localhost:8000"}, True),
        ({}, False),
        ({"HTTP_ORIGIN": ""}, False),
        ({"HTTP_ORIGIN": "null"}, False),
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
    ],
)
async def test_connect_needs_an_allowed_origin(
    sockets: FakeSockets, environ: dict[str, str], accepted: bool
) -> None:
    assert await sockets.handlers["connect"]("sock1", environ, None) is accepted


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"session_id": None},
        {"session_id": "abc"},
        "x",
        {"session_id": "A" * 32},
        {"session_id": uuid.uuid4().hex},  # an id an older version issued: a new conversation
    ],
)
async def test_issues_a_new_session_id_for_a_missing_or_foreign_one(sockets: FakeSockets, data: Any) -> None:
    session_id = await sockets.session_request("sock1", data)
    assert is_valid_session_id(session_id)
    sockets.sio.enter_room.assert_awaited_once_with("sock1", session_id, namespace=None)
    assert sockets.sessions["sock1"]["session_id"] == session_id


async def test_continues_a_session_id_we_issued(sockets: FakeSockets) -> None:
    known = new_session_id()
    assert await sockets.session_request("sock1", {"session_id": known}) == known
    sockets.sio.enter_room.assert_awaited_once_with("sock1", known, namespace=None)


async def test_a_new_session_request_leaves_the_previous_room(sockets: FakeSockets) -> None:
    first = await sockets.session_request("sock1", None)
    second = await sockets.session_request("sock1", {"session_id": new_session_id()})
    sockets.sio.leave_room.assert_awaited_once_with("sock1", first, namespace=None)
    assert sockets.sessions["sock1"]["session_id"] == second


async def test_ignores_a_message_before_the_session_request(
    sockets: FakeSockets, received: list[UserMessage], caplog: pytest.LogCaptureFixture
) -> None:
    ack = await sockets.handlers["user_uttered"](
        "sock1", {"message": "hallo", "session_id": new_session_id()}
    )
    assert received == []
    assert ack == {"delivered": False, "error": "no_session"}
    assert "no session_request" in caplog.text


async def test_the_sender_is_the_sockets_own_session(
    sockets: FakeSockets, received: list[UserMessage]
) -> None:
    mine = await sockets.session_request("sock1", None)
    someone_else = new_session_id()
    ack = await sockets.handlers["user_uttered"]("sock1", {"message": "hallo", "session_id": someone_else})
    assert ack == {"delivered": True}
    [message] = received
    assert message.sender_id == mine
    assert message.text == "hallo"
    assert message.input_channel == "socketio"


@pytest.mark.parametrize("data", [None, "hallo", {}, {"message": 3}, {"message": "x" * 2001}])
async def test_a_message_without_usable_text_does_not_reach_the_bot(
    sockets: FakeSockets, received: list[UserMessage], data: Any
) -> None:
    await sockets.session_request("sock1", None)
    await sockets.handlers["user_uttered"]("sock1", data)
    assert received == []


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ('{"page": "/"}', {"page": "/"}),
        ({"page": "/"}, {"page": "/"}),
        ("{kapot", {}),
        ("[1]", {}),
        (None, {}),
    ],
)
async def test_metadata_is_a_dict(
    sockets: FakeSockets, received: list[UserMessage], metadata: Any, expected: dict[str, Any]
) -> None:
    await sockets.session_request("sock1", None)
    await sockets.handlers["user_uttered"]("sock1", {"message": "hallo", "metadata": metadata})
    assert received[0].metadata == expected


def test_credentials_file_enables_the_channel_with_session_persistence() -> None:
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "rasa_addons.rest_channel.RestChannel" in credentials
    settings = credentials["rasa_addons.socketio_channel.SocketIOChannel"]
    channel = SocketIOChannel.from_credentials(settings)
    assert channel.session_persistence is True
    assert (channel.user_message_evt, channel.bot_message_evt) == ("user_uttered", "bot_uttered")


@pytest.mark.parametrize(
    ("error", "code"), [(RuntimeError("kapot"), "failed"), (StorageUnavailable("weg"), "storage_unavailable")]
)
async def test_a_failing_message_gets_a_dutch_reply_and_is_not_acknowledged(
    monkeypatch: pytest.MonkeyPatch, error: Exception, code: str
) -> None:
    monkeypatch.setenv(ALLOWED_ORIGINS_ENV, ORIGINS)
    channel = SocketIOChannel.from_credentials(CREDENTIALS)
    channel.blueprint(AsyncMock(side_effect=error))
    sockets = FakeSockets(channel)
    session_id = await sockets.session_request("sock1", None)
    ack = await sockets.handlers["user_uttered"]("sock1", {"message": "hallo"})
    assert ack == {"delivered": False, "error": code}
    sockets.sio.emit.assert_awaited_with(
        "bot_uttered",
        {"text": reply_text(f"utter_{'request_' if code == 'failed' else ''}{code}")},
        room=session_id,
    )
