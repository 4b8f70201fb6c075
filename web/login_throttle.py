"""Login throttling: after too many failed logins within a window, per account name and per client
address, further attempts are refused at once (the login page answers 429), never slowed down.

Each attempt takes a place before its password is checked, under one lock, so a burst of
concurrent guesses checks at most the allowed number of passwords; a successful login gives its
place back. Refused attempts take no place: the lockout ends one window after the failures.
Checking a password (scrypt) costs a core for about 0.1 s: at most ``checks_at_once`` run at a
time, and an attempt that finds them all busy is refused at once too (to try again in a moment),
so guesses can neither occupy the server's threads nor take every core from the chat page.

The state lives in the web app's memory: ``python -m web serve`` is one process (waitress threads),
so every request sees it. A restart forgets it; several processes would each count on their own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Attempt", "LoginLimits", "LoginThrottle", "Refusal", "wait_minutes"]

# Beyond this many names and addresses in memory, the expired ones are swept at the next attempt.
_SWEEP_ABOVE = 10_000


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed per account name and per client address within ``window_seconds``,
    and how many passwords are checked at the same time."""

    per_account: int = 5
    per_address: int = 20
    window_seconds: float = 900.0
    checks_at_once: int = 1


@dataclass(frozen=True)
class Attempt:
    """A login attempt's place in the counts and its turn to check a password."""

    keys: tuple[str, ...]
    time: float


@dataclass(frozen=True)
class Refusal:
    """An attempt refused without checking its password: ``locked`` (too many failures) or
    ``busy`` (other passwords are being checked), to try again after ``seconds``."""

    reason: Literal["locked", "busy"]
    seconds: float


class LoginThrottle:
    def __init__(self, limits: LoginLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._checks = threading.BoundedSemaphore(limits.checks_at_once)

    def attempt(self, account: str, address: str) -> Attempt | Refusal:
        """A place and a turn for one login attempt; pass it to :meth:`finished` after the check."""
        keys = (f"account:{account}", f"address:{address}")
        limits = (self.limits.per_account, self.limits.per_address)
        with self._lock:
            now = self._clock()
            if len(self._failures) > _SWEEP_ABOVE:
                self._sweep(now)
            counts = [self._recent(key, now) for key in keys]
            waits = [
                counted[-limit] + self.limits.window_seconds - now
                for counted, limit in zip(counts, limits, strict=True)
                if len(counted) >= limit
            ]
            if waits:
                return Refusal("locked", max(waits))
            if not self._checks.acquire(blocking=False):
                return Refusal("busy", 1.0)
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
            return Attempt(keys, now)

    def finished(self, attempt: Attempt, succeeded: bool) -> None:
        """The password was checked; a right one counts as no failure."""
        self._checks.release()
        if not succeeded:
            return
        with self._lock:
            for key in attempt.keys:
                counted = self._failures.get(key)
                if counted is not None and attempt.time in counted:
                    counted.remove(attempt.time)

    def _recent(self, key: str, now: float) -> deque[float]:
        counted = self._failures.get(key, deque())
        while counted and counted[0] <= now - self.limits.window_seconds:
            counted.popleft()
        if not counted:
            self._failures.pop(key, None)
        return counted

    def _sweep(self, now: float) -> None:
        for key in list(self._failures):
            self._recent(key, now)


def wait_minutes(seconds: float) -> int:
    """Whole minutes to tell a locked-out trainer (at least 1)."""
    return max(1, math.ceil(seconds / 60))
