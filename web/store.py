"""Stored conversations and the trainers' notes, tags and score overrides, with SQLAlchemy Core.

Rasa's SQL tracker store owns the ``events`` table: this module only reads it (and deletes
a conversation's rows on a privacy request); it never creates or alters it, and a missing
``events`` table means there are no conversations yet. Our tables (:mod:`web.tables`) are
created when missing. A trainer's override and a deletion update the conversation's summary
rows (:mod:`web.summaries`) in the same transaction.

Every function takes an SQLAlchemy :class:`~sqlalchemy.engine.Engine` or a database URL,
and uses only portable SQL, so SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from web import summaries
from web.database import Database, engine_for, ready_engine
from web.scores import Override
from web.tables import (
    EVENTS,
    MAX_TAG_LENGTH,
    NOTES,
    OVERRIDES,
    TAGS,
    chunks,
    event_rows,
    has_events,
    overrides_by_sender,
)
from web.transcript import Conversation, RehearsalScorecard, build_conversation

__all__ = [
    "EVENTS",
    "MAX_NOTE_LENGTH",
    "MAX_TAG_LENGTH",
    "NOTES",
    "OVERRIDES",
    "TAGS",
    "Database",
    "Note",
    "add_note",
    "add_override",
    "add_tag",
    "delete_conversation",
    "engine_for",
    "list_notes",
    "list_overrides",
    "list_tags",
    "load_conversation",
    "load_conversations",
    "load_events",
    "notes_by_conversation",
    "overrides_by_conversation",
    "remove_tag",
    "tags_by_conversation",
    "tags_by_sender",
]

MAX_NOTE_LENGTH = 4000


@dataclass(frozen=True)
class Note:
    """A trainer's note on a conversation."""

    id: int
    sender_id: str
    author: str
    text: str
    created_at: datetime  # aware, UTC


def _events_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each sender's event dicts, in stored order."""
    events: dict[str, list[dict[str, Any]]] = {sender_id: [] for sender_id in sender_ids}
    for sender_id, _, event in event_rows(connection, sender_ids):
        events[sender_id].append(event)
    return events


def load_events(database: Database, sender_id: str) -> list[dict[str, Any]]:
    """One conversation's events as Rasa's event dicts, in stored order; [] when there are none."""
    with engine_for(database).connect() as connection:
        if not has_events(connection):
            return []
        return _events_by_sender(connection, [sender_id])[sender_id]


def load_conversation(database: Database, sender_id: str) -> Conversation | None:
    """One conversation, replayed; None when it has no events."""
    events = load_events(database, sender_id)
    return build_conversation(sender_id, events) if events else None


def load_conversations(database: Database, sender_ids: Iterable[str]) -> list[Conversation]:
    """The conversations with these ids that exist, newest first (ties by id)."""
    wanted = list(dict.fromkeys(sender_ids))
    with engine_for(database).connect() as connection:
        if not wanted or not has_events(connection):
            return []
        events = _events_by_sender(connection, wanted)
    conversations = [build_conversation(sender_id, found) for sender_id, found in events.items() if found]
    return sorted(conversations, key=lambda c: (-c.started.timestamp(), c.id))


def tags_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The tags of each of these senders (only those that have tags), alphabetically."""
    found: dict[str, list[str]] = {}
    for chunk in chunks(sender_ids):
        query = sa.select(TAGS.c.sender_id, TAGS.c.tag).where(TAGS.c.sender_id.in_(chunk))
        for row in connection.execute(query):
            found.setdefault(row.sender_id, []).append(row.tag)
    return {sender_id: tuple(sorted(tags, key=str.casefold)) for sender_id, tags in found.items()}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _note(row: Any) -> Note:
    return Note(row.id, row.sender_id, row.author, row.text, row.created_at.replace(tzinfo=timezone.utc))


def add_note(database: Database, sender_id: str, author: str, text: str) -> Note:
    """Stores a note by ``author`` on the conversation; returns it."""
    created = _now()
    with ready_engine(database).begin() as connection:
        result = connection.execute(
            NOTES.insert().values(
                sender_id=sender_id, author=author, text=text, created_at=created.replace(tzinfo=None)
            )
        )
        (note_id,) = result.inserted_primary_key
    return Note(int(note_id), sender_id, author, text, created)


def list_notes(database: Database, sender_id: str) -> list[Note]:
    """The conversation's notes, oldest first."""
    return notes_by_conversation(database, [sender_id]).get(sender_id, [])


def notes_by_conversation(database: Database, sender_ids: Iterable[str]) -> dict[str, list[Note]]:
    """The notes of each of these conversations (only those that have notes), oldest first."""
    wanted = list(dict.fromkeys(sender_ids))
    found: dict[str, list[Note]] = {}
    with ready_engine(database).connect() as connection:
        for chunk in chunks(wanted):
            query = (
                sa.select(NOTES).where(NOTES.c.sender_id.in_(chunk)).order_by(NOTES.c.created_at, NOTES.c.id)
            )
            for row in connection.execute(query):
                found.setdefault(row.sender_id, []).append(_note(row))
    return found


def add_tag(database: Database, sender_id: str, tag: str) -> bool:
    """Tags the conversation; False when it already had the tag."""
    try:
        with ready_engine(database).begin() as connection:
            exists = connection.execute(
                sa.select(TAGS.c.tag).where(TAGS.c.sender_id == sender_id, TAGS.c.tag == tag)
            ).first()
            if exists is not None:
                return False
            connection.execute(TAGS.insert().values(sender_id=sender_id, tag=tag))
    except IntegrityError:  # added at the same moment by another request
        return False
    return True


def remove_tag(database: Database, sender_id: str, tag: str) -> bool:
    """Removes the tag; False when the conversation did not have it."""
    with ready_engine(database).begin() as connection:
        result = connection.execute(TAGS.delete().where(TAGS.c.sender_id == sender_id, TAGS.c.tag == tag))
    return result.rowcount > 0


def list_tags(database: Database, sender_id: str) -> tuple[str, ...]:
    """The conversation's tags, alphabetically."""
    return tags_by_conversation(database, [sender_id]).get(sender_id, ())


def tags_by_conversation(database: Database, sender_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The tags of each of these conversations (only those that have tags), alphabetically."""
    with ready_engine(database).connect() as connection:
        return tags_by_sender(connection, list(dict.fromkeys(sender_ids)))


def add_override(
    database: Database,
    sender_id: str,
    card: RehearsalScorecard,
    criterion: str,
    points: int,
    note: str,
    author: str,
) -> Override:
    """Stores a trainer's points (clamped to 0..the criterion's maximum) for a criterion of the scorecard,
    and the conversation's new effective score in its summary rows.

    Raises ValueError when the scorecard has no such criterion.
    """
    found = card.criterion(criterion)
    if found is None:
        raise ValueError(f"scorecard {card.number} has no criterion {criterion!r}")
    points = max(0, min(found.max_points, points))
    created = _now()
    with ready_engine(database).begin() as connection:
        result = connection.execute(
            OVERRIDES.insert().values(
                sender_id=sender_id,
                scorecard=card.index,
                criterion=criterion,
                points=points,
                note=note,
                author=author,
                created_at=created.replace(tzinfo=None),
            )
        )
        (override_id,) = result.inserted_primary_key
        summaries.update(connection, [sender_id])
    return Override(int(override_id), sender_id, card.index, criterion, points, note, author, created)


def list_overrides(database: Database, sender_id: str) -> list[Override]:
    """The conversation's score overrides, oldest first."""
    return overrides_by_conversation(database, [sender_id]).get(sender_id, [])


def overrides_by_conversation(database: Database, sender_ids: Iterable[str]) -> dict[str, list[Override]]:
    """The score overrides of each of these conversations (only those that have some), oldest first."""
    with ready_engine(database).connect() as connection:
        return overrides_by_sender(connection, list(dict.fromkeys(sender_ids)))


def delete_conversation(database: Database, sender_id: str) -> int:
    """Deletes the conversation's events, notes, tags, score overrides and summary rows in one transaction.

    Returns the number of events deleted. A turn of the conversation that Rasa is handling meanwhile
    is not written back: Rasa's tracker store does not save a tracker whose stored rows are gone
    (``rasa_addons/tracker_store.py``).
    """
    with ready_engine(database).begin() as connection:
        deleted = 0
        if has_events(connection):
            events = EVENTS.delete().where(EVENTS.c.sender_id == sender_id)
            deleted = connection.execute(events).rowcount
            # On PostgreSQL a save that had locked the conversation's last row first made this
            # statement wait; the rows it added were not yet visible to it, and are now.
            deleted += connection.execute(events).rowcount
        connection.execute(NOTES.delete().where(NOTES.c.sender_id == sender_id))
        connection.execute(TAGS.delete().where(TAGS.c.sender_id == sender_id))
        connection.execute(OVERRIDES.delete().where(OVERRIDES.c.sender_id == sender_id))
        summaries.update(connection, [sender_id])
    return int(deleted)
