"""Trainer accounts, login sessions and CSRF protection for the review pages.

Accounts are ``name:hash`` entries, the hash made by Werkzeug's ``generate_password_hash``
(``python -m web hash-password`` prints one). They come from the environment
(``WAARDECOACH_TRAINERS``, entries separated by commas or newlines) or from
``python -m web serve --trainer NAME:HASH``. Passwords are never stored or logged.

A login is a server-side session (:mod:`web.trainer_sessions`): the signed cookie carries only
its id and the CSRF token, so logging out ends every copy of the cookie.
"""

from __future__ import annotations

import functools
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from web import trainer_sessions

__all__ = [
    "CSRF_FIELD",
    "Trainer",
    "check_csrf",
    "csrf_token",
    "current_trainer",
    "hash_password",
    "log_in",
    "log_out",
    "login_required",
    "parse_trainers",
    "safe_next",
    "verify_login",
]

CSRF_FIELD = "csrf_token"
_SESSION_ID = "session_id"
_SESSION_CSRF = "csrf"
_NAME_RE = re.compile(r"^[^\s:,]{1,64}$")
# Checked when the name is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Trainer:
    """A trainer account: a login name and a Werkzeug password hash (never the password)."""

    name: str
    password_hash: str

    def __repr__(self) -> str:
        return f"Trainer(name={self.name!r})"


def parse_trainers(entries: str | Iterable[str]) -> tuple[Trainer, ...]:
    """Trainer accounts from ``name:hash`` entries (one string split on commas and newlines, or several).

    The name ends at the first colon (Werkzeug hashes contain colons themselves). Raises
    ValueError naming the bad entry (by position, never its hash) when one is malformed or a
    name occurs twice.
    """
    texts = [entries] if isinstance(entries, str) else list(entries)
    parts = [part.strip() for text in texts for part in re.split(r"[,\n]", text)]
    trainers: dict[str, Trainer] = {}
    for position, part in enumerate((part for part in parts if part), start=1):
        name, colon, password_hash = part.partition(":")
        name, password_hash = name.strip(), password_hash.strip()
        if not colon or not _NAME_RE.match(name) or "$" not in password_hash:
            raise ValueError(
                f"trainer entry {position} is not NAME:HASH (make a hash with `python -m web hash-password`)"
            )
        if name in trainers:
            raise ValueError(f"trainer {name!r} is configured twice")
        trainers[name] = Trainer(name, password_hash)
    return tuple(trainers.values())


def hash_password(password: str) -> str:
    """A Werkzeug password hash (scrypt) for an account entry."""
    return generate_password_hash(password)


def verify_login(trainers: Iterable[Trainer], name: str, password: str) -> Trainer | None:
    """The trainer whose name and password match; None otherwise, in about the same time either way."""
    found = None
    for trainer in trainers:
        if hmac.compare_digest(trainer.name.encode(), name.encode()):
            found = trainer
    matches = check_password_hash(found.password_hash if found else _DUMMY_HASH, password)
    return found if found is not None and matches else None


def _trainers() -> Mapping[str, Trainer]:
    return {trainer.name: trainer for trainer in current_app.extensions["waardecoach_settings"].trainers}


def _session_trainer() -> str | None:
    session_id = session.get(_SESSION_ID)
    if not isinstance(session_id, str) or not session_id:
        return None
    return trainer_sessions.session_trainer(
        current_app.extensions["waardecoach_database"],
        session_id,
        _trainers(),
        current_app.secret_key,
        current_app.permanent_session_lifetime,
    )


def current_trainer() -> str | None:
    """The logged-in trainer's name, while the session lives and the account is unchanged.

    Looked up once per request (the pages ask several times); when the lookup fails, the rest of
    the request (its error page) sees no trainer.
    """
    if "trainer" not in g:
        g.trainer = None
        g.trainer = _session_trainer()
    return g.trainer


def log_in(trainer: Trainer) -> None:
    """Starts a fresh session for the trainer (a new CSRF token too)."""
    session.clear()
    session.permanent = True
    session[_SESSION_ID] = trainer_sessions.start_session(
        current_app.extensions["waardecoach_database"],
        trainer,
        current_app.secret_key,
        current_app.permanent_session_lifetime,
    )
    session[_SESSION_CSRF] = secrets.token_urlsafe(32)
    g.trainer = trainer.name


def log_out() -> None:
    """Ends the session server side (every copy of the cookie) and clears the cookie."""
    session_id = session.get(_SESSION_ID)
    if isinstance(session_id, str) and session_id:
        trainer_sessions.end_session(current_app.extensions["waardecoach_database"], session_id)
    session.clear()
    g.trainer = None


def csrf_token() -> str:
    """The session's CSRF token, made on first use; every POST form carries it."""
    token = session.get(_SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_SESSION_CSRF] = token
    return token


def check_csrf() -> None:
    """Aborts with 400 when a POST lacks the session's CSRF token (compared as bytes: any text)."""
    if request.method != "POST":
        return
    expected = session.get(_SESSION_CSRF)
    sent = request.form.get(CSRF_FIELD, "")
    if (
        not isinstance(expected, str)
        or not expected
        or not hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace"))
    ):
        abort(400, description="csrf")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on the review pages (no open redirect), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/trainer/") or "\\" in target:
        return None
    return target


def login_required(view: View) -> View:
    """Refuses the view without trainer accounts (403) and sends visitors to the login page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not _trainers():
            return render_template("review/not_configured.html"), 403
        if current_trainer() is None:
            return redirect(url_for("review.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
