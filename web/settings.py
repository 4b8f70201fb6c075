"""The web app's settings, read from the environment (secrets never come from a file)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from web.auth import Trainer, parse_trainers
from web.login_throttle import LoginLimits

__all__ = ["Settings"]

_YES, _NO = {"1", "true", "yes"}, {"0", "false", "no"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may be reachable from elsewhere
        return False


def _switch(name: str) -> bool | None:
    """An on/off variable: None when unset or empty."""
    text = os.environ.get(name, "").strip().lower()
    if text and text not in _YES | _NO:
        raise SystemExit(f"{name} is 1 or 0, not {text!r}")
    return None if not text else text in _YES


def _number(name: str, default: float, minimum: float = 1, integer: bool = True) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise SystemExit(f"{name} is a number, not {text!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} is at least {minimum}, not {text}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str
    rasa_url: str
    secret_key: str
    trainers: tuple[Trainer, ...] = ()
    secure_cookies: bool | None = None  # None: Secure unless the app listens on loopback only
    host: str = "127.0.0.1"  # the address the app listens on
    trusted_proxies: int = 0  # proxies in front whose X-Forwarded-For and -Proto are believed
    login_limits: LoginLimits = field(default_factory=LoginLimits)

    @classmethod
    def from_env(cls) -> Settings:
        """WAARDECOACH_DATABASE_URL (required), WAARDECOACH_RASA_URL, WAARDECOACH_SECRET_KEY, WAARDECOACH_TRAINERS,
        WAARDECOACH_SECURE_COOKIES, WAARDECOACH_TRUSTED_PROXIES and the login limits
        (WAARDECOACH_LOGIN_FAILURES_PER_ACCOUNT, _PER_ADDRESS, WAARDECOACH_LOGIN_WINDOW_SECONDS,
        WAARDECOACH_LOGIN_CHECKS_AT_ONCE).

        Without a secret key a random one is made: trainers are logged out when the app restarts.
        WAARDECOACH_TRAINERS holds ``name:hash`` entries separated by commas or newlines
        (``python -m web hash-password`` makes a hash); without it the review pages stay closed.
        WAARDECOACH_SECURE_COOKIES=1 or 0 overrides the default: the login cookie is Secure unless
        the app listens on loopback only.
        """
        database_url = os.environ.get("WAARDECOACH_DATABASE_URL")
        if not database_url:
            raise SystemExit("WAARDECOACH_DATABASE_URL is not set (the Makefile sets an SQLite default)")
        try:
            trainers = parse_trainers(os.environ.get("WAARDECOACH_TRAINERS", ""))
        except ValueError as error:
            raise SystemExit(f"WAARDECOACH_TRAINERS: {error}") from None
        defaults = LoginLimits()
        return cls(
            database_url=database_url,
            rasa_url=os.environ.get("WAARDECOACH_RASA_URL", "http://127.0.0.1:5005"),
            secret_key=os.environ.get("WAARDECOACH_SECRET_KEY") or secrets.token_hex(32),
            trainers=trainers,
            secure_cookies=_switch("WAARDECOACH_SECURE_COOKIES"),
            trusted_proxies=int(_number("WAARDECOACH_TRUSTED_PROXIES", 0, minimum=0)),
            login_limits=LoginLimits(
                per_account=int(_number("WAARDECOACH_LOGIN_FAILURES_PER_ACCOUNT", defaults.per_account)),
                per_address=int(_number("WAARDECOACH_LOGIN_FAILURES_PER_ADDRESS", defaults.per_address)),
                window_seconds=_number(
                    "WAARDECOACH_LOGIN_WINDOW_SECONDS", defaults.window_seconds, minimum=0.1, integer=False
                ),
                checks_at_once=int(_number("WAARDECOACH_LOGIN_CHECKS_AT_ONCE", defaults.checks_at_once)),
            ),
        )

    @property
    def cookies_secure(self) -> bool:
        """Whether the login cookie is marked Secure: as set, else unless on loopback."""
        return self.secure_cookies if self.secure_cookies is not None else not _is_loopback(self.host)

    def with_trainers(self, extra: Iterable[Trainer]) -> Settings:
        """These settings with more trainer accounts (a name given again replaces the earlier one)."""
        accounts = {trainer.name: trainer for trainer in (*self.trainers, *extra)}
        return replace(self, trainers=tuple(accounts.values()))

    def listening_on(self, host: str) -> Settings:
        """These settings for an app listening on ``host``."""
        return replace(self, host=host)
