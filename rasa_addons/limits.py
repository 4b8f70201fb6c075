"""Rate limits and quotas of the channels: messages per minute per conversation, new conversations
per minute per client address, and turns per conversation.

The per-minute limits are token buckets in this process's memory (per Rasa instance; nginx limits
per address in front of all instances). The turn count is read from the conversation database when
an instance first sees a conversation and after every 50 messages it passes on, so it holds across
restarts and catches up with the other instances. Every limit comes from the environment (README, "Channel
limits"); 0 switches a limit off. Clients whose address is in ``WAARDECOACH_LIMITS_EXEMPT`` (by
default loopback: the tests, the benchmarks and ``make shell``) are not held to the per-minute
limits; the turn cap holds for everyone.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.exceptions import RasaException

__all__ = [
    "LimitSettings",
    "Refusal",
    "TokenBuckets",
    "TurnCounts",
    "client_address",
    "ChannelLimits",
    "LimitsMisconfiguredError",
    "stored_turns",
]

logger = logging.getLogger(__name__)

MESSAGES_PER_MINUTE_ENV = "WAARDECOACH_MESSAGES_PER_MINUTE"
NEW_CONVERSATIONS_PER_MINUTE_ENV = "WAARDECOACH_NEW_CONVERSATIONS_PER_MINUTE"
MAX_TURNS_ENV = "WAARDECOACH_MAX_TURNS"
EXEMPT_ENV = "WAARDECOACH_LIMITS_EXEMPT"

DEFAULT_MESSAGES_PER_MINUTE = 30
DEFAULT_NEW_CONVERSATIONS_PER_MINUTE = 20
DEFAULT_MAX_TURNS = 500
DEFAULT_EXEMPT = "127.0.0.1,::1"
# Buckets kept in memory before the full (idle) ones are dropped.
MAX_TRACKED_KEYS = 50_000
# Messages an instance passes on before it reads a conversation's turn count again.
RECOUNT_EVERY = 50


class LimitsMisconfiguredError(RasaException):
    """A limit in the environment is not a whole number of 0 or more."""


def _whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise LimitsMisconfiguredError(
            f"{name} must be a whole number of 0 or more (0: no limit), not {raw!r}"
        )
    return int(raw)


@dataclass(frozen=True)
class LimitSettings:
    """The limits; 0 means no limit."""

    messages_per_minute: int = DEFAULT_MESSAGES_PER_MINUTE
    new_conversations_per_minute: int = DEFAULT_NEW_CONVERSATIONS_PER_MINUTE
    max_turns: int = DEFAULT_MAX_TURNS
    exempt_addresses: frozenset[str] = frozenset(DEFAULT_EXEMPT.split(","))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LimitSettings:
        env = os.environ if environ is None else environ
        exempt = env.get(EXEMPT_ENV, DEFAULT_EXEMPT)
        return cls(
            messages_per_minute=_whole_number(env, MESSAGES_PER_MINUTE_ENV, DEFAULT_MESSAGES_PER_MINUTE),
            new_conversations_per_minute=_whole_number(
                env, NEW_CONVERSATIONS_PER_MINUTE_ENV, DEFAULT_NEW_CONVERSATIONS_PER_MINUTE
            ),
            max_turns=_whole_number(env, MAX_TURNS_ENV, DEFAULT_MAX_TURNS),
            exempt_addresses=frozenset(part.strip() for part in exempt.split(",") if part.strip()),
        )


@dataclass(frozen=True)
class Refusal:
    """Why a message is refused: the code (``utter_request_<code>`` holds the Dutch text)."""

    code: str
    retry_after: int | None = None  # seconds, for the per-minute limits
    values: Mapping[str, object] | None = None  # placeholders of the Dutch text


class TokenBuckets:
    """``per_minute`` events per key and minute, with bursts of up to ``per_minute``."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, time)

    def _tokens(self, key: str, now: float) -> float:
        tokens, then = self.buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - then) * self.rate)

    def take(self, key: str) -> int | None:
        """Takes one token; returns None when there was one, else the seconds until there is one."""
        now = self.clock()
        tokens = self._tokens(key, now)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))
        if key not in self.buckets and len(self.buckets) >= MAX_TRACKED_KEYS:
            self._forget_idle(now)
        self.buckets[key] = (tokens - 1, now)
        return None

    def _forget_idle(self, now: float) -> None:
        """Drops the buckets that have filled up again (their keys behave as new ones)."""
        for key in [key for key in self.buckets if self._tokens(key, now) >= self.capacity]:
            del self.buckets[key]


def _sql_engine(tracker_store: Any) -> Any:
    """The SQLAlchemy engine of the SQL store inside Rasa's wrappers (fail-safe, awaitable), or None."""
    while tracker_store is not None and not hasattr(tracker_store, "engine"):
        tracker_store = getattr(tracker_store, "_tracker_store", None)
    return None if tracker_store is None else tracker_store.engine


@functools.cache
def _warn_not_sql() -> None:
    logger.warning("The turn cap and the new-conversation quota are off: the tracker store is not SQL.")


def stored_turns(tracker_store: Any, sender_id: str) -> int | None:
    """The user messages stored for ``sender_id``; None when the store is not an SQL store."""
    engine = _sql_engine(tracker_store)
    if engine is None:
        _warn_not_sql()
        return None
    query = sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :sender AND type_name = 'user'")
    with engine.connect() as connection:
        return int(connection.execute(query, {"sender": sender_id}).scalar_one())


class TurnCounts:
    """Turns per conversation: read from the database when this instance first sees a conversation
    and again after every ``RECOUNT_EVERY`` messages it passes on, counted in memory in between
    (a message costs no count query, and messages other instances handled are caught up with)."""

    def __init__(self, size: int = MAX_TRACKED_KEYS) -> None:
        self.size = size
        self.counts: OrderedDict[str, tuple[int, int]] = OrderedDict()  # id -> (turns, since count)

    def known(self, conversation_id: str) -> int | None:
        """The turns of a conversation when they need no count query, else None."""
        turns, since = self.counts.get(conversation_id, (0, RECOUNT_EVERY))
        return turns if since < RECOUNT_EVERY else None

    def set(self, conversation_id: str, turns: int, since: int = 0) -> None:
        self.counts[conversation_id] = (turns, since)
        self.counts.move_to_end(conversation_id)
        while len(self.counts) > self.size:
            self.counts.popitem(last=False)

    def add_one(self, conversation_id: str) -> None:
        turns, since = self.counts.get(conversation_id, (0, 0))
        self.set(conversation_id, turns + 1, since + 1)


class ChannelLimits:
    """The limits of one channel in one Rasa instance."""

    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        self.messages = TokenBuckets(settings.messages_per_minute)
        self.new_conversations = TokenBuckets(settings.new_conversations_per_minute)
        self.turns = TurnCounts()

    def is_exempt(self, address: str | None) -> bool:
        return address is not None and address in self.settings.exempt_addresses

    def check_rate(self, conversation_id: str, address: str | None) -> Refusal | None:
        """Counts a message of ``conversation_id``; a refusal when it sends too many per minute."""
        if not self.settings.messages_per_minute or self.is_exempt(address):
            return None
        wait = self.messages.take(conversation_id)
        if wait is None:
            return None
        return Refusal(
            "too_many_messages", wait, {"per_minute": self.settings.messages_per_minute, "seconds": wait}
        )

    async def check_conversation(
        self, tracker_store: Any, conversation_id: str, address: str | None
    ) -> Refusal | None:
        """The turn cap, and the new-conversation quota of ``address`` when the conversation is new;
        counts the message as a turn when it passes.

        A database that cannot be read refuses nothing here: the tracker store then refuses the
        message itself, with its own Dutch reply.
        """
        counts_new = bool(self.settings.new_conversations_per_minute) and not self.is_exempt(address)
        if not self.settings.max_turns and not counts_new:
            return None
        turns = self.turns.known(conversation_id)
        if turns is None:
            try:
                stored = await asyncio.to_thread(stored_turns, tracker_store, conversation_id)
            except sa.exc.SQLAlchemyError:
                return None
            if stored is None:
                return None
            turns = self.turns.known(conversation_id)  # counted meanwhile by another of its messages
            if turns is None:
                turns = stored
                self.turns.set(conversation_id, turns)
        if self.settings.max_turns and turns >= self.settings.max_turns:
            return Refusal("too_many_turns", None, {"max_turns": self.settings.max_turns})
        if turns == 0 and counts_new:
            wait = self.new_conversations.take(address or "")
            if wait is not None:
                return Refusal(
                    "too_many_conversations",
                    wait,
                    {"per_minute": self.settings.new_conversations_per_minute, "seconds": wait},
                )
        self.turns.add_one(conversation_id)
        return None


def client_address(request: Any) -> str | None:
    """The client's address of a Sanic request: from the proxy's ``X-Forwarded-For`` when Sanic is
    told to trust it (``SANIC_PROXIES_COUNT`` or ``SANIC_REAL_IP_HEADER``), else the peer's."""
    if request is None:
        return None
    return str(request.remote_addr or request.ip) or None
