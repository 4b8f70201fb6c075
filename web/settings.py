"""The web app's settings, read from the environment (secrets never come from a file)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace

from web.auth import Trainer, parse_trainers

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    database_url: str
    rasa_url: str
    secret_key: str
    trainers: tuple[Trainer, ...] = ()
    secure_cookies: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        """WAARDECOACH_DATABASE_URL (required), WAARDECOACH_RASA_URL, WAARDECOACH_SECRET_KEY, WAARDECOACH_TRAINERS.

        Without a secret key a random one is made: trainers are logged out when the app restarts.
        WAARDECOACH_TRAINERS holds ``name:hash`` entries separated by commas or newlines
        (``python -m web hash-password`` makes a hash); without it the review pages stay closed.
        WAARDECOACH_SECURE_COOKIES=1 marks the login cookie Secure (set it when served over HTTPS).
        """
        database_url = os.environ.get("WAARDECOACH_DATABASE_URL")
        if not database_url:
            raise SystemExit("WAARDECOACH_DATABASE_URL is not set (the Makefile sets an SQLite default)")
        try:
            trainers = parse_trainers(os.environ.get("WAARDECOACH_TRAINERS", ""))
        except ValueError as error:
            raise SystemExit(f"WAARDECOACH_TRAINERS: {error}") from None
        return cls(
            database_url=database_url,
            rasa_url=os.environ.get("WAARDECOACH_RASA_URL", "http://127.0.0.1:5005"),
            secret_key=os.environ.get("WAARDECOACH_SECRET_KEY") or secrets.token_hex(32),
            trainers=trainers,
            secure_cookies=os.environ.get("WAARDECOACH_SECURE_COOKIES", "").lower() in {"1", "true", "yes"},
        )

    def with_trainers(self, extra: Iterable[Trainer]) -> Settings:
        """These settings with more trainer accounts (a name given again replaces the earlier one)."""
        accounts = {trainer.name: trainer for trainer in (*self.trainers, *extra)}
        return replace(self, trainers=tuple(accounts.values()))
