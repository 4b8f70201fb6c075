"""Tests for :mod:`rasa_addons.limits` (no servers: a fake clock and a throw-away SQLite store)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from rasa_addons.limits import (
    RECOUNT_EVERY,
    ChannelLimits,
    LimitSettings,
    LimitsMisconfiguredError,
    TokenBuckets,
)
from rasa_addons.rest_channel import is_json
from rasa_addons.user_input import is_widget_conversation_id


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_settings_from_the_environment() -> None:
    assert LimitSettings.from_env({}) == LimitSettings()
    settings = LimitSettings.from_env(
        {
            "WAARDECOACH_MESSAGES_PER_MINUTE": "5",
            "WAARDECOACH_NEW_CONVERSATIONS_PER_MINUTE": "0",
            "WAARDECOACH_MAX_TURNS": " 40 ",
            "WAARDECOACH_LIMITS_EXEMPT": "10.0.0.1, ::1,",
        }
    )
    assert settings == LimitSettings(5, 0, 40, frozenset({"10.0.0.1", "::1"}))
    assert LimitSettings.from_env({"WAARDECOACH_LIMITS_EXEMPT": ""}).exempt_addresses == frozenset()


@pytest.mark.parametrize("value", ["-1", "veel", "1.5", "10k"])
def test_a_limit_must_be_a_whole_number(value: str) -> None:
    with pytest.raises(LimitsMisconfiguredError, match="WAARDECOACH_MAX_TURNS"):
        LimitSettings.from_env({"WAARDECOACH_MAX_TURNS": value})


def test_token_buckets_allow_a_burst_then_the_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(6, clock)  # one every 10 s
    assert [buckets.take("a") for _ in range(6)] == [None] * 6
    assert buckets.take("a") == 10
    assert buckets.take("b") is None  # keys are counted apart
    clock.now += 9
    assert buckets.take("a") == 1
    clock.now += 1
    assert buckets.take("a") is None
    assert buckets.take("a") == 10


def test_idle_buckets_are_forgotten_when_there_are_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rasa_addons.limits.MAX_TRACKED_KEYS", 3)
    clock = Clock()
    buckets = TokenBuckets(60, clock)
    for key in "abc":
        buckets.take(key)
    clock.now += 2  # full again
    buckets.take("d")
    assert set(buckets.buckets) == {"d"}


def test_the_message_rate_exempts_listed_addresses() -> None:
    limits = ChannelLimits(LimitSettings(messages_per_minute=2, exempt_addresses=frozenset({"127.0.0.1"})))
    assert [limits.check_rate("s", "10.0.0.1") for _ in range(2)] == [None, None]
    refusal = limits.check_rate("s", "10.0.0.1")
    assert refusal is not None and refusal.code == "too_many_messages" and refusal.retry_after == 30
    assert refusal.values == {"per_minute": 2, "seconds": 30}
    assert all(limits.check_rate("s", "127.0.0.1") is None for _ in range(10))
    assert ChannelLimits(LimitSettings(messages_per_minute=0)).check_rate("s", "10.0.0.1") is None


@pytest.fixture
def store(tmp_path: Path) -> SimpleNamespace:
    """Stands in for Rasa's tracker store wrappers around an SQL store with an ``events`` table."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    with engine.begin() as connection:
        connection.execute(
            sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT)")
        )
    return SimpleNamespace(_tracker_store=SimpleNamespace(_tracker_store=SimpleNamespace(engine=engine)))


def add_events(store: SimpleNamespace, sender: str, user_turns: int) -> None:
    engine = store._tracker_store._tracker_store.engine
    with engine.begin() as connection:
        for _ in range(user_turns):
            for type_name in ("user", "action", "bot"):
                connection.execute(
                    sa.text("INSERT INTO events (sender_id, type_name) VALUES (:s, :t)"),
                    {"s": sender, "t": type_name},
                )


async def test_the_turn_cap_counts_stored_and_passed_messages(store: SimpleNamespace) -> None:
    limits = ChannelLimits(LimitSettings(max_turns=5, new_conversations_per_minute=0))
    add_events(store, "s", 3)
    assert await limits.check_conversation(store, "s", "10.0.0.1") is None  # 3 stored: the 4th passes
    assert await limits.check_conversation(store, "s", "10.0.0.1") is None  # the 5th
    refusal = await limits.check_conversation(store, "s", "10.0.0.1")
    assert refusal is not None and refusal.code == "too_many_turns" and refusal.retry_after is None
    assert refusal.values == {"max_turns": 5}


async def test_the_turn_count_is_read_again_after_a_while(store: SimpleNamespace) -> None:
    limits = ChannelLimits(LimitSettings(max_turns=1000, new_conversations_per_minute=0))
    for _ in range(RECOUNT_EVERY):
        assert await limits.check_conversation(store, "s", None) is None
    assert limits.turns.known("s") is None  # time to count again
    add_events(store, "s", 2 * RECOUNT_EVERY)  # what this and other instances stored meanwhile
    assert await limits.check_conversation(store, "s", None) is None
    assert limits.turns.known("s") == 2 * RECOUNT_EVERY + 1


async def test_new_conversations_per_address(store: SimpleNamespace) -> None:
    limits = ChannelLimits(LimitSettings(new_conversations_per_minute=2, exempt_addresses=frozenset()))
    assert await limits.check_conversation(store, "a", "10.0.0.1") is None
    assert await limits.check_conversation(store, "a", "10.0.0.1") is None  # not new any more
    assert await limits.check_conversation(store, "b", "10.0.0.1") is None
    refusal = await limits.check_conversation(store, "c", "10.0.0.1")
    assert refusal is not None and refusal.code == "too_many_conversations" and refusal.retry_after == 30
    assert await limits.check_conversation(store, "c", "10.0.0.2") is None
    add_events(store, "old", 1)  # stored before: not new
    assert await limits.check_conversation(store, "old", "10.0.0.1") is None


async def test_a_store_that_is_not_sql_or_down_refuses_nothing(store: SimpleNamespace) -> None:
    limits = ChannelLimits(
        LimitSettings(max_turns=1, new_conversations_per_minute=1, exempt_addresses=frozenset())
    )
    for _ in range(3):
        assert await limits.check_conversation(SimpleNamespace(), "s", "10.0.0.1") is None
    store._tracker_store._tracker_store.engine = sa.create_engine("sqlite:////nonexistent/dir/x.db")
    assert await limits.check_conversation(store, "t", "10.0.0.1") is None


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("text/plain", False),
        ("text/plain; charset=utf-8", False),
        ("application/x-www-form-urlencoded", False),
        ("application/jsonp", False),
        ("", False),
        (None, False),
    ],
)
def test_only_json_is_accepted(content_type: str | None, expected: bool) -> None:
    assert is_json(content_type) is expected


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("widget-0123", True),
        ("WIDGET-x", True),
        ("Widget-", True),
        ("widgets", False),
        ("e2e-widget-1", False),
    ],
)
def test_the_widget_namespace(sender: str, expected: bool) -> None:
    assert is_widget_conversation_id(sender) is expected
