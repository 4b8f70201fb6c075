"""A socket.io client that talks to Rasa the way the website widget does (python-socketio).

It uses long polling: python-engineio's websocket client needs a newer aiohttp than Rasa 3.6 pins.
The browser tests cover the websocket transport.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

REPLY_SECONDS = 30
QUIET_SECONDS = 1.0


class WidgetClient:
    """One browser tab: connects from an origin, asks for a session, sends texts, collects replies.

    ``origin`` None sends no ``Origin`` header (a script, not a browser); ``headers`` are added to
    every request (e.g. ``X-Forwarded-For``)."""

    def __init__(self, rasa_url: str, origin: str | None, headers: dict[str, str] | None = None) -> None:
        self.rasa_url, self.origin = rasa_url, origin
        self.headers = {**(headers or {}), **({"Origin": origin} if origin is not None else {})}
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[str] = asyncio.Queue()
        self.session_id: str | None = None
        self._confirmed = asyncio.Event()
        self.sio.on("bot_uttered", self._on_bot_uttered)
        self.sio.on("session_confirm", self._on_session_confirm)

    async def _on_bot_uttered(self, data: Any) -> None:
        await self.replies.put(str(data.get("text", "")) if isinstance(data, dict) else str(data))

    async def _on_session_confirm(self, session_id: Any) -> None:
        self.session_id = str(session_id)
        self._confirmed.set()

    async def connect(self) -> None:
        await self.sio.connect(self.rasa_url, headers=self.headers, transports=["polling"], wait_timeout=10)

    async def request_session(self, payload: Any) -> str:
        """Sends ``session_request`` with ``payload``; returns the session id the server confirmed."""
        self._confirmed.clear()
        await self.sio.emit("session_request", payload)
        await asyncio.wait_for(self._confirmed.wait(), REPLY_SECONDS)
        assert self.session_id is not None
        return self.session_id

    async def start(self, session_id: str | None = None) -> str:
        """Connects and asks for ``session_id`` (or a new session), as the widget does."""
        await self.connect()
        return await self.request_session({"session_id": session_id})

    async def send(self, data: Any) -> list[str]:
        """Emits ``user_uttered`` with ``data``; returns the replies (the first within 30 s, then until quiet)."""
        await self.sio.emit("user_uttered", data)
        return await self.collect()

    async def say(self, text: str) -> list[str]:
        return await self.send({"message": text})

    async def say_acknowledged(self, text: str) -> tuple[Any, list[str]]:
        """Sends ``text`` as the widget does, asking for the acknowledgement; returns it and the replies."""
        acknowledged: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def on_ack(*values: Any) -> None:
            if not acknowledged.done():
                acknowledged.set_result(values[0] if values else None)

        await self.sio.emit("user_uttered", {"message": text}, callback=on_ack)
        replies = await self.collect()
        return await asyncio.wait_for(acknowledged, REPLY_SECONDS), replies

    async def collect(self, first_within: float = REPLY_SECONDS) -> list[str]:
        """The replies that arrive: none when nothing comes within ``first_within`` seconds."""
        replies: list[str] = []
        try:
            replies.append(await asyncio.wait_for(self.replies.get(), first_within))
            while True:
                replies.append(await asyncio.wait_for(self.replies.get(), QUIET_SECONDS))
        except asyncio.TimeoutError:
            return replies

    async def close(self) -> None:
        """Disconnects without waiting for the current long poll to end (up to 25 s)."""
        if not self.sio.connected:
            return
        for namespace in self.sio.namespaces:
            await self.sio._send_packet(
                self.sio.packet_class(socketio.packet.DISCONNECT, namespace=namespace)
            )
        loops = [task for task in (self.sio.eio.read_loop_task, self.sio.eio.write_loop_task) if task]
        await self.sio.eio.disconnect(abort=True)
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
