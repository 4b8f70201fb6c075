"""rasa_addons.redis_lock_store against a real redis-server: tickets in order, each message's lock freed,
changes made elsewhere in between respected, and two round trips for a message nobody else holds."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from rasa_addons.redis_lock_store import AtomicRedisLockStore
from tests.scale_out import temporary_redis


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, str]]:
    with (
        tempfile.TemporaryDirectory(prefix="waardecoach-lock-") as directory,
        temporary_redis(Path(directory), Path(directory) / "redis.log") as (port, password),
    ):
        yield port, password


def _store(server: tuple[int, str]) -> AtomicRedisLockStore:
    port, password = server
    return AtomicRedisLockStore(
        EndpointConfig(url="127.0.0.1", port=port, db=1, password=password, key_prefix="test")
    )


def _calls(client: redis.Redis) -> dict[str, int]:
    return {
        name.removeprefix("cmdstat_"): stats["calls"] for name, stats in client.info("commandstats").items()
    }


def test_a_message_nobody_else_holds_takes_two_round_trips_and_frees_its_lock(server) -> None:
    store, admin = _store(server), redis.Redis(host="127.0.0.1", port=server[0], password=server[1], db=1)
    asyncio.run(_hold(store, "gesprek-1"))  # the first call also loads the script
    before = _calls(admin)

    async def one_message() -> None:
        async with store.lock("gesprek-2") as lock:
            assert not lock.is_locked(0)
            assert admin.exists(store.key_prefix + "gesprek-2")  # held in Redis while the message is handled

    asyncio.run(one_message())
    after = _calls(admin)
    sent = {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}
    # two round trips (the scripts), and inside them a read and a write each; no read of its own
    assert sent == {"evalsha": 2, "get": 2, "set": 1, "del": 1, "exists": 1, "info": 1}, sent
    assert not admin.exists(store.key_prefix + "gesprek-2")


async def _hold(store: AtomicRedisLockStore, conversation: str, seconds: float = 0.0) -> None:
    async with store.lock(conversation, wait_time_in_seconds=0.01):
        await asyncio.sleep(seconds)


def test_a_second_message_waits_for_the_first_and_both_free_the_lock(server) -> None:
    first, second = _store(server), _store(server)  # two Rasa instances
    order: list[str] = []

    async def message(store: AtomicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("gesprek-3", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    async def both() -> None:
        await asyncio.gather(message(first, "een", 0.0), message(second, "twee", 0.01))

    asyncio.run(both())
    assert order == ["een in", "een out", "twee in", "twee out"]
    assert first.get_lock("gesprek-3") is None


def test_a_change_made_elsewhere_in_between_is_kept(server) -> None:
    store, other = _store(server), _store(server)

    async def scenario() -> None:
        async with store.lock("gesprek-4"):
            waiting = other.issue_ticket("gesprek-4")  # another instance's message queues meanwhile
        lock = other.get_lock("gesprek-4")
        assert lock is not None and not lock.is_locked(waiting)  # its ticket survived this one's cleanup
        other.cleanup("gesprek-4", waiting)

    asyncio.run(scenario())
    assert store.get_lock("gesprek-4") is None
