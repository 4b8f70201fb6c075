"""The web app's settings, read from the environment (secrets never come from a file)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    database_url: str
    rasa_url: str
    secret_key: str

    @classmethod
    def from_env(cls) -> Settings:
        """WAARDECOACH_DATABASE_URL (required), WAARDECOACH_RASA_URL, WAARDECOACH_SECRET_KEY.

        Without a secret key a random one is made: trainers are logged out when the app restarts.
        """
        database_url = os.environ.get("WAARDECOACH_DATABASE_URL")
        if not database_url:
            raise SystemExit("WAARDECOACH_DATABASE_URL is not set (the Makefile sets an SQLite default)")
        return cls(
            database_url=database_url,
            rasa_url=os.environ.get("WAARDECOACH_RASA_URL", "http://127.0.0.1:5005"),
            secret_key=os.environ.get("WAARDECOACH_SECRET_KEY") or secrets.token_hex(32),
        )
