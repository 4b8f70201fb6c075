"""Trainer sessions kept server side, so that a login cookie can be ended.

A login stores a row (``trainer_sessions``) under the SHA-256 of a random id that only the signed
cookie carries, with the trainer's name, a fingerprint of the account's password hash and the
time. A request is logged in while that row exists, the account still exists with the same
password hash, and the login is younger than the session lifetime. Logging out deletes the row:
a copy of the cookie is dead from then on. A changed password hash or a removed account ends
every session of that account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa

from web.database import Database, ready_engine
from web.tables import TRAINER_SESSIONS

if TYPE_CHECKING:
    from web.auth import Trainer  # web.auth uses this module

__all__ = ["end_session", "fingerprint", "session_trainer", "start_session"]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # naive UTC, as stored


def _row_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


def fingerprint(secret_key: str, trainer: Trainer) -> str:
    """A keyed digest of the account's password hash: it changes when the hash changes."""
    return hmac.new(secret_key.encode(), trainer.password_hash.encode(), hashlib.sha256).hexdigest()


def start_session(database: Database, trainer: Trainer, secret_key: str, lifetime: timedelta) -> str:
    """Stores a new session of ``trainer`` (and drops expired ones); returns its id for the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = _now()
    with ready_engine(database).begin() as connection:
        connection.execute(TRAINER_SESSIONS.delete().where(TRAINER_SESSIONS.c.started < now - lifetime))
        connection.execute(
            TRAINER_SESSIONS.insert().values(
                id=_row_id(session_id),
                trainer=trainer.name,
                fingerprint=fingerprint(secret_key, trainer),
                started=now,
            )
        )
    return session_id


def session_trainer(
    database: Database,
    session_id: str,
    trainers: Mapping[str, Trainer],
    secret_key: str,
    lifetime: timedelta,
) -> str | None:
    """The name of the trainer whose live session this is; None when it was ended or has expired,
    or the account was removed or its password hash changed."""
    with ready_engine(database).connect() as connection:
        row = connection.execute(
            sa.select(TRAINER_SESSIONS).where(TRAINER_SESSIONS.c.id == _row_id(session_id))
        ).first()
    if row is None or row.started <= _now() - lifetime:
        return None
    trainer = trainers.get(row.trainer)
    if trainer is None or not hmac.compare_digest(row.fingerprint, fingerprint(secret_key, trainer)):
        return None
    return trainer.name


def end_session(database: Database, session_id: str) -> None:
    """Deletes the session: every copy of its cookie is logged out."""
    with ready_engine(database).begin() as connection:
        connection.execute(TRAINER_SESSIONS.delete().where(TRAINER_SESSIONS.c.id == _row_id(session_id)))
