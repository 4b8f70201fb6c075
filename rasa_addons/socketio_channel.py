"""The socket.io channel the website widget talks to.

Rasa 3.6's ``SocketIOInput`` with these changes:

* ``session_request`` awaits ``enter_room`` (rasa issue 13027: without the ``await`` the socket
  never joins its session room and, with ``session_persistence: true``, replies never arrive);
* only session ids that look like ones we issue (``widget-`` and ``uuid4().hex``, 128 random bits)
  are accepted, the session id is remembered per socket, and a message is always added to the
  socket's own session, never to one named in the message payload. The prefix keeps the widget's
  conversations out of the REST channel's reach (it refuses such senders);
* a message is checked like the REST channel's (``rasa_addons.user_input``): an empty or too
  long one gets a Dutch reply instead of reaching the bot, control characters are removed;
* the limits of ``rasa_addons.limits`` (messages per minute per session, new conversations per
  minute per client address, turns per conversation): a refused message gets a Dutch reply;
* a message that fails (the database down, a lock or Redis error, a bug) gets a Dutch reply
  (``rasa_addons.failure_reply``) instead of being dropped;
* ``user_uttered`` is acknowledged: ``{"delivered": true}`` once the bot has handled the message,
  ``{"delivered": false, "error": <code>}`` when it did not (the widget then offers to resend);
* the server only accepts connections whose ``Origin`` is in ``WAARDECOACH_ALLOWED_ORIGINS``:
  engine.io refuses other origins, and the socket.io ``connect`` handler also refuses a client
  that sends no ``Origin`` at all (Rasa's own channel accepts every origin).
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint

from rasa_addons import failure_reply
from rasa_addons.limits import ChannelLimits, LimitSettings, client_address
from rasa_addons.replies import reply_text
from rasa_addons.user_input import (
    MAX_MESSAGE_LENGTH,
    WIDGET_PREFIX,
    MessageProblem,
    clean_metadata,
    clean_text,
    message_problem,
)

__all__ = [
    "ALLOWED_ORIGINS_ENV",
    "SocketIOChannel",
    "allowed_origins_from_env",
    "is_valid_session_id",
    "new_session_id",
]

logger = logging.getLogger(__name__)

ALLOWED_ORIGINS_ENV = "WAARDECOACH_ALLOWED_ORIGINS"
MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024
_SESSION_ID = re.compile(re.escape(WIDGET_PREFIX) + r"[0-9a-f]{32}")
_ORIGIN = re.compile(r"https?://[^/\s*]+")


class OriginsNotConfiguredError(RasaException):
    """``WAARDECOACH_ALLOWED_ORIGINS`` is missing, empty, contains ``*`` or is not a list of origins."""


def is_valid_session_id(value: object) -> bool:
    """True for a session id we could have issued: ``widget-`` and 32 lowercase hex characters."""
    return isinstance(value, str) and _SESSION_ID.fullmatch(value) is not None


def new_session_id() -> str:
    """A new conversation of the widget: ``widget-`` and ``uuid4().hex`` (122 random bits)."""
    return WIDGET_PREFIX + uuid.uuid4().hex


def _delivered(error: str | None = None) -> dict[str, Any]:
    """The acknowledgement of ``user_uttered``."""
    return {"delivered": True} if error is None else {"delivered": False, "error": error}


def allowed_origins_from_env(environ: dict[str, str] | None = None) -> list[str]:
    """The origins (``scheme://host[:port]``) in ``WAARDECOACH_ALLOWED_ORIGINS``, comma-separated.

    Raises ``OriginsNotConfiguredError`` when the variable is unset or empty, contains ``*``, or
    holds something that is not an origin, so that Rasa refuses to start instead of accepting
    every website.
    """
    raw = (os.environ if environ is None else environ).get(ALLOWED_ORIGINS_ENV, "")
    origins = [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
    if not origins:
        raise OriginsNotConfiguredError(
            f"{ALLOWED_ORIGINS_ENV} is not set: list the origins of the websites that embed the chat "
            "widget, comma-separated, e.g. http://127.0.0.1:8000,http://localhost:8000"
        )
    if any("*" in origin for origin in origins):
        raise OriginsNotConfiguredError(
            f"{ALLOWED_ORIGINS_ENV} must not contain '*': name each website's origin"
        )
    invalid = [origin for origin in origins if not _ORIGIN.fullmatch(origin)]
    if invalid:
        raise OriginsNotConfiguredError(
            f"{ALLOWED_ORIGINS_ENV} holds {', '.join(invalid)}: an origin is scheme://host[:port], without a path"
        )
    return origins


class SocketIOChannel(SocketIOInput):
    """Rasa's socket.io input channel with awaited rooms, checked session ids, allowed origins,
    limits, acknowledged messages and a Dutch reply whenever a message fails."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The parent's blueprint, with its origin check and three event handlers replaced."""
        allowed_origins = allowed_origins_from_env()
        limits = ChannelLimits(LimitSettings.from_env())
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by the parent's blueprint()
        # The parent passes [] which switches engine.io's origin check off altogether.
        sio.eio.cors_allowed_origins = allowed_origins
        # engine.io closes a connection that sends more (its default is 1 MB); a message holds
        # at most MAX_MESSAGE_LENGTH characters, so 64 kB leaves room for metadata and framing.
        sio.eio.max_http_buffer_size = MAX_SOCKET_PAYLOAD_BYTES
        namespace = self.namespace
        parent_connect = sio.handlers[namespace or "/"]["connect"]

        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            # engine.io checks an Origin header only when there is one; a client without is refused
            # here (it is not a browser on an allowed website).
            if environ.get("HTTP_ORIGIN", "").rstrip("/") not in allowed_origins:
                logger.info("Refused a socket.io connection without an allowed Origin header.")
                return False
            return bool(await parent_connect(sid, environ, auth))

        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if is_valid_session_id(requested) else new_session_id()
            session = await sio.get_session(sid, namespace=namespace)
            previous = session.get("session_id")
            if self.session_persistence:
                if previous and previous != session_id:
                    await sio.leave_room(sid, previous, namespace=namespace)
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.save_session(sid, {**session, "session_id": session_id}, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            logger.debug("Socket %s joined session %s.", sid, session_id)

        async def handle_message(sid: str, data: Any = None) -> dict[str, Any]:
            if self.session_persistence:
                session = await sio.get_session(sid, namespace=namespace)
                sender_id = session.get("session_id")
                if not sender_id:
                    logger.warning("Ignored a message from socket %s: it sent no session_request first.", sid)
                    return _delivered("no_session")
            else:
                sender_id = sid
            text = data.get("message") if isinstance(data, dict) else None
            output = SocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(text, str):
                await output.send_text_message(sender_id, reply_text("utter_request_invalid_message"))
                return _delivered("invalid_message")
            problem = message_problem(text)
            if problem is not None:
                name = (
                    "utter_request_message_too_long"
                    if problem is MessageProblem.TOO_LONG
                    else "utter_message_empty"
                )
                await output.send_text_message(sender_id, reply_text(name, max_length=MAX_MESSAGE_LENGTH))
                return _delivered(problem.value)
            environ = sio.get_environ(sid, namespace=namespace) or {}
            request = environ.get("sanic.request")
            address = client_address(request)
            refusal = limits.check_rate(sender_id, address)
            if refusal is None and request is not None:
                refusal = await limits.check_conversation(
                    request.app.ctx.agent.tracker_store, sender_id, address
                )
            if refusal is not None:
                text = reply_text(f"utter_request_{refusal.code}", **(refusal.values or {}))
                await output.send_text_message(sender_id, text)
                return _delivered(refusal.code)
            message = UserMessage(
                clean_text(text),
                output,
                sender_id,
                input_channel=self.name(),
                metadata=clean_metadata(data.get(self.metadata_key)),
            )
            return _delivered(await failure_reply.handle(on_new_message, message))

        sio.on("connect", connect, namespace=namespace)
        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        return socketio_webhook
