"""Stored conversations and the trainers' notes, tags and score overrides, with SQLAlchemy Core.

Rasa's SQL tracker store owns the ``events`` table: this module only reads it (and deletes
a conversation's rows on a privacy request); it never creates or alters it, and a missing
``events`` table means there are no conversations yet. The review tables
``review_notes``, ``review_tags`` and ``review_overrides`` are ours and are created when
missing (each on its own, so an older database gains the newer tables).

Every function takes an SQLAlchemy :class:`~sqlalchemy.engine.Engine` or a database URL,
and uses only portable SQL, so SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

import sqlalchemy as sa
from babel.dates import get_timezone
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from web.scores import Override, ReviewedScorecard, review_scorecards
from web.transcript import Conversation, RehearsalScorecard, build_conversation, parse_event_data

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_TAG_LENGTH",
    "REVIEW_TIMEZONE",
    "SORTS",
    "ConversationFilter",
    "ConversationSummary",
    "Note",
    "Sort",
    "add_note",
    "add_override",
    "add_tag",
    "delete_conversation",
    "engine_for",
    "list_conversations",
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
]

Database = Engine | str
Outcome = Literal["promoter", "satisfied", "dissatisfied", "none"]
Sort = Literal["newest", "oldest", "score_desc", "score_asc"]
SORTS: tuple[Sort, ...] = ("newest", "oldest", "score_desc", "score_asc")

REVIEW_TIMEZONE = "Europe/Amsterdam"
MAX_NOTE_LENGTH = 4000
MAX_TAG_LENGTH = 40
_CHUNK = 500  # sender ids per IN (...) list, well under every database's parameter limit

_events_metadata = sa.MetaData()
# Rasa's table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), described here to read it.
EVENTS = sa.Table(
    "events",
    _events_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

_review_metadata = sa.MetaData()
NOTES = sa.Table(
    "review_notes",
    _review_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # naive UTC: the same on every database
)
TAGS = sa.Table(
    "review_tags",
    _review_metadata,
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("tag", sa.String(MAX_TAG_LENGTH), nullable=False),
    sa.UniqueConstraint("sender_id", "tag", name="uq_review_tags_sender_tag"),
)
OVERRIDES = sa.Table(
    "review_overrides",
    _review_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("scorecard", sa.Integer, nullable=False),  # the scorecard's index in the conversation
    sa.Column("criterion", sa.String(64), nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("author", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # naive UTC
)


@dataclass(frozen=True)
class Note:
    """A trainer's note on a conversation."""

    id: int
    sender_id: str
    author: str
    text: str
    created_at: datetime  # aware, UTC


@dataclass(frozen=True)
class ConversationFilter:
    """Which conversations to list: start date range (inclusive, in Amsterdam time), verdict, flags, tag,
    and the range (inclusive) of the effective score of the latest rehearsal; with a score range,
    conversations without a scorecard are left out."""

    start: date | None = None
    end: date | None = None
    outcome: Outcome | None = None
    flagged: bool | None = None
    tag: str | None = None
    min_score: int | None = None
    max_score: int | None = None


@dataclass(frozen=True)
class ConversationSummary:
    """A row of the conversation list: the replayed conversation, its tags and its score overrides."""

    conversation: Conversation
    tags: tuple[str, ...]
    overrides: tuple[Override, ...] = ()

    @property
    def outcome(self) -> Outcome:
        verdict = self.conversation.verdict
        return verdict.outcome if verdict is not None and verdict.outcome else "none"  # type: ignore[return-value]

    @property
    def scorecards(self) -> tuple[ReviewedScorecard, ...]:
        return review_scorecards(self.conversation, self.overrides)

    @property
    def score(self) -> ReviewedScorecard | None:
        """The latest rehearsal's scorecard with its overrides: the conversation's score."""
        cards = self.scorecards
        return cards[-1] if cards else None


_engines: dict[str, Engine] = {}
_ready: weakref.WeakSet[Engine] = weakref.WeakSet()
_lock = threading.Lock()


def engine_for(database: Database) -> Engine:
    """The engine itself, or one shared engine per URL."""
    if isinstance(database, Engine):
        return database
    with _lock:
        if database not in _engines:
            _engines[database] = sa.create_engine(database, future=True, pool_pre_ping=True)
        return _engines[database]


def _review_engine(database: Database) -> Engine:
    """The engine, with the review tables created if they are missing."""
    engine = engine_for(database)
    if engine not in _ready:
        _review_metadata.create_all(engine, checkfirst=True)
        _ready.add(engine)
    return engine


def _has_events(connection: Connection) -> bool:
    return sa.inspect(connection).has_table(EVENTS.name)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _day_start(day: date) -> float:
    """The epoch seconds at which ``day`` starts in Amsterdam."""
    zone = get_timezone(REVIEW_TIMEZONE)
    naive = datetime.combine(day, time.min)
    local = zone.localize(naive) if hasattr(zone, "localize") else naive.replace(tzinfo=zone)
    return local.timestamp()


def _events_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each sender's event dicts, in stored order."""
    events: dict[str, list[dict[str, Any]]] = {sender_id: [] for sender_id in sender_ids}
    for chunk in _chunks(sender_ids):
        query = (
            sa.select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(chunk))
            .order_by(EVENTS.c.id)
        )
        for row in connection.execute(query):
            event = parse_event_data(row.data)
            if event is None:
                event = {"event": row.type_name, "timestamp": row.timestamp}
            events[row.sender_id].append(event)
    return events


def _sender_ids(connection: Connection, start: date | None, end: date | None) -> list[str]:
    """The senders whose conversation started in the range, newest first."""
    started = sa.func.min(EVENTS.c.timestamp)
    query = sa.select(EVENTS.c.sender_id, started.label("started")).group_by(EVENTS.c.sender_id)
    if start is not None:
        query = query.having(started >= _day_start(start))
    if end is not None:
        query = query.having(started < _day_start(end + timedelta(days=1)))
    query = query.order_by(started.desc(), EVENTS.c.sender_id)
    return [row.sender_id for row in connection.execute(query)]


def load_events(database: Database, sender_id: str) -> list[dict[str, Any]]:
    """One conversation's events as Rasa's event dicts, in stored order; [] when there are none."""
    with engine_for(database).connect() as connection:
        if not _has_events(connection):
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
        if not wanted or not _has_events(connection):
            return []
        events = _events_by_sender(connection, wanted)
    conversations = [build_conversation(sender_id, found) for sender_id, found in events.items() if found]
    return sorted(conversations, key=lambda c: (-c.started.timestamp(), c.id))


def list_conversations(
    database: Database, filters: ConversationFilter | None = None, sort: Sort = "newest"
) -> list[ConversationSummary]:
    """Summaries of the conversations that pass the filters, newest first or as ``sort`` says.

    Sorting by score uses the effective score of the latest rehearsal; conversations without
    a scorecard come last, newest first; equal scores newest first.
    """
    filters = filters or ConversationFilter()
    engine = _review_engine(database)
    with engine.connect() as connection:
        if not _has_events(connection):
            return []
        sender_ids = _sender_ids(connection, filters.start, filters.end)
        if filters.tag:
            tagged = set(_tagged(connection, filters.tag))
            sender_ids = [sender_id for sender_id in sender_ids if sender_id in tagged]
        events = _events_by_sender(connection, sender_ids)
        tags = _tags_by_sender(connection, sender_ids)
        overrides = _overrides_by_sender(connection, sender_ids)
    summaries = []
    for sender_id in sender_ids:
        summary = ConversationSummary(
            build_conversation(sender_id, events[sender_id]),
            tags.get(sender_id, ()),
            tuple(overrides.get(sender_id, ())),
        )
        if filters.outcome is not None and summary.outcome != filters.outcome:
            continue
        if filters.flagged is not None and bool(summary.conversation.flags) != filters.flagged:
            continue
        if not _score_in_range(summary, filters):
            continue
        summaries.append(summary)
    return _sorted(summaries, sort)


def _score_in_range(summary: ConversationSummary, filters: ConversationFilter) -> bool:
    if filters.min_score is None and filters.max_score is None:
        return True
    score = summary.score
    if score is None:
        return False
    if filters.min_score is not None and score.effective < filters.min_score:
        return False
    return filters.max_score is None or score.effective <= filters.max_score


def _sorted(summaries: list[ConversationSummary], sort: Sort) -> list[ConversationSummary]:
    """``summaries`` (newest first) in the order ``sort`` asks for; stable, so ties stay newest first."""
    if sort == "oldest":
        return summaries[::-1]
    if sort in ("score_desc", "score_asc"):
        sign = -1 if sort == "score_desc" else 1
        scored = [(summary.score, summary) for summary in summaries]
        with_score = [(card.effective, summary) for card, summary in scored if card is not None]
        without = [summary for card, summary in scored if card is None]
        with_score.sort(key=lambda pair: sign * pair[0])
        return [summary for _, summary in with_score] + without
    return summaries


def _tagged(connection: Connection, tag: str) -> list[str]:
    return list(connection.execute(sa.select(TAGS.c.sender_id).where(TAGS.c.tag == tag)).scalars())


def _tags_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for chunk in _chunks(sender_ids):
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
    with _review_engine(database).begin() as connection:
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
    with _review_engine(database).connect() as connection:
        for chunk in _chunks(wanted):
            query = (
                sa.select(NOTES).where(NOTES.c.sender_id.in_(chunk)).order_by(NOTES.c.created_at, NOTES.c.id)
            )
            for row in connection.execute(query):
                found.setdefault(row.sender_id, []).append(_note(row))
    return found


def add_tag(database: Database, sender_id: str, tag: str) -> bool:
    """Tags the conversation; False when it already had the tag."""
    try:
        with _review_engine(database).begin() as connection:
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
    with _review_engine(database).begin() as connection:
        result = connection.execute(TAGS.delete().where(TAGS.c.sender_id == sender_id, TAGS.c.tag == tag))
    return result.rowcount > 0


def list_tags(database: Database, sender_id: str) -> tuple[str, ...]:
    """The conversation's tags, alphabetically."""
    return tags_by_conversation(database, [sender_id]).get(sender_id, ())


def tags_by_conversation(database: Database, sender_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The tags of each of these conversations (only those that have tags), alphabetically."""
    with _review_engine(database).connect() as connection:
        return _tags_by_sender(connection, list(dict.fromkeys(sender_ids)))


def _override(row: Any) -> Override:
    return Override(
        id=row.id,
        sender_id=row.sender_id,
        scorecard=row.scorecard,
        criterion=row.criterion,
        points=row.points,
        note=row.note,
        author=row.author,
        created_at=row.created_at.replace(tzinfo=timezone.utc),
    )


def add_override(
    database: Database,
    sender_id: str,
    card: RehearsalScorecard,
    criterion: str,
    points: int,
    note: str,
    author: str,
) -> Override:
    """Stores a trainer's points (clamped to 0..the criterion's maximum) for a criterion of the scorecard.

    Raises ValueError when the scorecard has no such criterion.
    """
    found = card.criterion(criterion)
    if found is None:
        raise ValueError(f"scorecard {card.number} has no criterion {criterion!r}")
    points = max(0, min(found.max_points, points))
    created = _now()
    with _review_engine(database).begin() as connection:
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
    return Override(int(override_id), sender_id, card.index, criterion, points, note, author, created)


def _overrides_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, list[Override]]:
    found: dict[str, list[Override]] = {}
    for chunk in _chunks(sender_ids):
        query = (
            sa.select(OVERRIDES)
            .where(OVERRIDES.c.sender_id.in_(chunk))
            .order_by(OVERRIDES.c.created_at, OVERRIDES.c.id)
        )
        for row in connection.execute(query):
            found.setdefault(row.sender_id, []).append(_override(row))
    return found


def list_overrides(database: Database, sender_id: str) -> list[Override]:
    """The conversation's score overrides, oldest first."""
    return overrides_by_conversation(database, [sender_id]).get(sender_id, [])


def overrides_by_conversation(database: Database, sender_ids: Iterable[str]) -> dict[str, list[Override]]:
    """The score overrides of each of these conversations (only those that have some), oldest first."""
    with _review_engine(database).connect() as connection:
        return _overrides_by_sender(connection, list(dict.fromkeys(sender_ids)))


def delete_conversation(database: Database, sender_id: str) -> int:
    """Deletes the conversation's events, notes, tags and score overrides in one transaction.

    Returns the number of events deleted.
    """
    with _review_engine(database).begin() as connection:
        deleted = 0
        if _has_events(connection):
            deleted = connection.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender_id)).rowcount
        connection.execute(NOTES.delete().where(NOTES.c.sender_id == sender_id))
        connection.execute(TAGS.delete().where(TAGS.c.sender_id == sender_id))
        connection.execute(OVERRIDES.delete().where(OVERRIDES.c.sender_id == sender_id))
    return int(deleted)
