"""Calls to the action server reuse their connections.

Rasa 3.6's ``EndpointConfig.request`` opens a new aiohttp session, and so a new TCP connection, for
every call of a custom action (one to three per message) and closes it after the answer: opening
them was 2% of an instance's busy time under load, and the action server set up and tore down a
connection per call as well. Here the action endpoint's calls share one session per event loop,
whose idle connections are kept for ``KEEPALIVE_SECONDS``: below the action server's own keep-alive
(Sanic's 5 s), so it never closes a connection that the next call is about to use. Other endpoints
are unchanged.

Applied when Rasa imports this package (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Any

import aiohttp
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

__all__ = ["KEEPALIVE_SECONDS"]

KEEPALIVE_SECONDS = 2.0
_KEPT = "_waardecoach_kept_alive"  # set on the action endpoint

# per event loop (a session belongs to one): the endpoint's id -> its session
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, aiohttp.ClientSession]] = (
    weakref.WeakKeyDictionary()
)


class _Kept:
    """An open session for ``async with``, which does not close it."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


def _kept_session(endpoint: EndpointConfig) -> _Kept:
    sessions = _sessions.setdefault(asyncio.get_running_loop(), {})
    session = sessions.get(id(endpoint))
    if session is None or session.closed:
        auth = (
            aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
            if (endpoint.basic_auth)
            else None
        )
        session = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        sessions[id(endpoint)] = session
    return _Kept(session)


_session = EndpointConfig.session
_remote_init = RemoteAction.__init__


def _session_of(self: EndpointConfig) -> Any:
    return _kept_session(self) if getattr(self, _KEPT, False) else _session(self)


def _remote_action_init(self: RemoteAction, name: str, action_endpoint: EndpointConfig | None) -> None:
    _remote_init(self, name, action_endpoint)
    if action_endpoint is not None:
        setattr(action_endpoint, _KEPT, True)


EndpointConfig.session = _session_of  # type: ignore[method-assign]
RemoteAction.__init__ = _remote_action_init  # type: ignore[method-assign]
