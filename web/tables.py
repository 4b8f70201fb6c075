"""The tables the web app reads and writes, with SQLAlchemy Core, and the row readers that
:mod:`web.store` and :mod:`web.summaries` share.

Rasa's SQL tracker store owns ``events``: it is described here only to read it (and to delete a
conversation's rows on a privacy request), never created or altered. Ours are created when
missing, each on its own (:data:`OURS`), so an older database gains the newer tables:

* ``review_notes``, ``review_tags``, ``review_overrides``: what trainers add;
* ``conversation_summaries`` (one row per conversation) and ``rehearsal_summaries`` (one row per
  rehearsal scorecard): what the trainer list and the progress page query, kept up to date from
  the events by :mod:`web.summaries`; ``summary_watermark`` (one row) holds the highest
  ``events.id`` summarised;
* ``trainer_sessions``: one row per trainer login, deleted at logout (:mod:`web.trainer_sessions`).

Only portable types and SQL: SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rasa_addons.event_codec import Expander
from web.scores import Override
from web.transcript import parse_event_data

__all__ = [
    "EVENTS",
    "MAX_TAG_LENGTH",
    "NOTES",
    "OURS",
    "OVERRIDES",
    "REHEARSALS",
    "SUMMARIES",
    "SUMMARY_TABLES",
    "TAGS",
    "TRAINER_SESSIONS",
    "WATERMARK",
    "chunks",
    "event_rows",
    "has_events",
    "overrides_by_sender",
]

MAX_TAG_LENGTH = 40
_CHUNK = 500  # sender ids per IN (...) list, well under every database's parameter limit

_rasa = sa.MetaData()
# Rasa's table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent, which also indexes sender_id).
EVENTS = sa.Table(
    "events",
    _rasa,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

OURS = sa.MetaData()
NOTES = sa.Table(
    "review_notes",
    OURS,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # naive UTC: the same on every database
)
TAGS = sa.Table(
    "review_tags",
    OURS,
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("tag", sa.String(MAX_TAG_LENGTH), nullable=False),
    sa.UniqueConstraint("sender_id", "tag", name="uq_review_tags_sender_tag"),
)
OVERRIDES = sa.Table(
    "review_overrides",
    OURS,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("scorecard", sa.Integer, nullable=False),  # the scorecard's index in the conversation
    sa.Column("criterion", sa.String(64), nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("author", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # naive UTC
)
SUMMARIES = sa.Table(
    "conversation_summaries",
    OURS,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("started", sa.Float, nullable=False),  # epoch seconds of the first event
    sa.Column("last_event_id", sa.Integer, nullable=False),  # the highest events.id replayed
    sa.Column("length", sa.Integer, nullable=False),  # messages the salesperson sent
    sa.Column("salesperson", sa.Text, nullable=False),  # "" when unknown
    sa.Column("client", sa.Text, nullable=False),  # the engagement or the persona; "" when unknown
    sa.Column("scenario", sa.String(32), nullable=False),  # value, rehearsal, promise, expectation or ""
    sa.Column("channel", sa.String(255)),
    sa.Column("outcome", sa.String(16), nullable=False),  # promoter, satisfied, dissatisfied or none
    sa.Column("ratio", sa.Text),  # the verdict's value/price ratio as the bot wrote it ('1,3')
    sa.Column("flag_count", sa.Integer, nullable=False),  # rehearsal wording flags included
    sa.Column("scorecard_count", sa.Integer, nullable=False),
    sa.Column("score", sa.Integer),  # the latest scorecard's effective score (trainers' overrides in)
    sa.Column("automatic_score", sa.Integer),  # the same scorecard's automatic score
    sa.Column("score_overridden", sa.Boolean, nullable=False),
    sa.Column("warnings", sa.String(255), nullable=False),  # warning keys, space-separated
    sa.Index("ix_conversation_summaries_started", sa.desc("started"), "sender_id"),
    sa.Index("ix_conversation_summaries_score", sa.desc("score"), sa.desc("started"), "sender_id"),
)
REHEARSALS = sa.Table(
    "rehearsal_summaries",
    OURS,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),  # 1 for the first scorecard
    sa.Column("time", sa.Float, nullable=False),  # epoch seconds the scorecard was stored
    sa.Column("salesperson", sa.Text, nullable=False),  # as spelled
    sa.Column("salesperson_key", sa.Text, nullable=False),  # web.scores.salesperson_key
    sa.Column("persona_id", sa.Text, nullable=False),
    sa.Column("persona_name", sa.Text, nullable=False),
    sa.Column("automatic", sa.Integer, nullable=False),
    sa.Column("effective", sa.Integer, nullable=False),
    sa.Index("ix_rehearsal_summaries_group", "salesperson_key", "persona_id", "effective", "time"),
)
# Derived from the events and the overrides only: dropped and refilled when their columns change.
SUMMARY_TABLES = (SUMMARIES, REHEARSALS)
WATERMARK = sa.Table(
    "summary_watermark",
    OURS,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # always 1
    sa.Column("last_event_id", sa.Integer, nullable=False),
)
TRAINER_SESSIONS = sa.Table(
    "trainer_sessions",
    OURS,
    sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the random id the login cookie carries
    sa.Column("trainer", sa.String(255), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # HMAC of the account's password hash
    sa.Column("started", sa.DateTime, nullable=False, index=True),  # naive UTC
)


def has_events(connection: Connection) -> bool:
    """False until Rasa has stored anything (it creates its table then)."""
    return sa.inspect(connection).has_table(EVENTS.name)


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def event_rows(
    connection: Connection, sender_ids: Sequence[str], upto: int | None = None
) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(sender id, events.id, Rasa's event dict) of these senders, each sender's in stored order;
    only ids up to ``upto`` when given. Each sender's rows are read from the first and expanded
    in order (compact rows carry the model id forward). An unreadable ``data`` column gives the
    row's type and time."""
    for chunk in chunks(sender_ids):
        query = sa.select(
            EVENTS.c.sender_id, EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data
        ).where(EVENTS.c.sender_id.in_(chunk))
        if upto is not None:
            query = query.where(EVENTS.c.id <= upto)
        expanders: dict[str, Expander] = {}
        for row in connection.execute(query.order_by(EVENTS.c.id)):
            expander = expanders.setdefault(row.sender_id, Expander(strict=False))
            event = parse_event_data(row.data, expander)
            if event is None:
                event = {"event": row.type_name, "timestamp": row.timestamp}
            yield row.sender_id, row.id, event


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


def overrides_by_sender(connection: Connection, sender_ids: Sequence[str]) -> dict[str, list[Override]]:
    """The score overrides of each of these senders (only those that have some), oldest first."""
    found: dict[str, list[Override]] = {}
    for chunk in chunks(sender_ids):
        query = (
            sa.select(OVERRIDES)
            .where(OVERRIDES.c.sender_id.in_(chunk))
            .order_by(OVERRIDES.c.created_at, OVERRIDES.c.id)
        )
        for row in connection.execute(query):
            found.setdefault(row.sender_id, []).append(_override(row))
    return found
