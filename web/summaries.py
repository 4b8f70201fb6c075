"""The summary tables of the trainer pages, kept up to date from Rasa's events.

``conversation_summaries`` holds one row per conversation and ``rehearsal_summaries`` one per
rehearsal scorecard (see :mod:`web.tables`); both are a function of the conversation's events,
replayed by :func:`web.transcript.build_conversation`, and its trainers' score overrides
(:func:`summarise`). The trainer list and the progress page query them instead of replaying.

**Keeping up** (:func:`refresh`, before each page that queries them): ``summary_watermark``
holds the highest ``events.id`` summarised. Conversations with events above it are replayed
whole and their rows replaced, and the watermark advances, in batches of :data:`BATCH` event
ids, each batch in one short transaction (SQLite's write lock is never held long, so Rasa's
writes wait milliseconds at most). When nothing is new, a refresh only reads (the highest
``events.id``, by the primary key).

**Several writers.** Every writer of the summary rows (a refresh, a trainer's override, a
deletion: :func:`update`) first updates the watermark row: that takes SQLite's write lock, or
PostgreSQL's row lock, so two web workers refreshing at once take turns, and the second finds
the work done. On SQLite ``events.id`` grows in commit order. On PostgreSQL the ids come from a
sequence, and a Rasa instance may commit after another one that took a higher id; so a refresh
there also looks :data:`LOOKBACK` ids below the watermark for events newer than their
conversation's row (one conversation's events are stored in order: Rasa's lock store serialises
a conversation's messages).

A database without the tables gets them, filled by the first refresh; :func:`rebuild`
(``python -m web rebuild-summaries``) empties and refills them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from web.database import Database, ready_engine
from web.scores import Override, review_scorecards, salesperson_key
from web.tables import (
    EVENTS,
    REHEARSALS,
    SUMMARIES,
    WATERMARK,
    chunks,
    event_rows,
    has_events,
    overrides_by_sender,
)
from web.transcript import Conversation, build_conversation

__all__ = ["BATCH", "LOOKBACK", "rebuild", "refresh", "summarise", "update"]

BATCH = 5_000  # event ids per transaction
LOOKBACK = 10_000  # event ids below the watermark checked again on PostgreSQL

Row = dict[str, Any]


def summarise(
    conversation: Conversation, overrides: Iterable[Override], last_event_id: int
) -> tuple[Row, list[Row]]:
    """The conversation's summary row and one row per rehearsal scorecard."""
    reviewed = review_scorecards(conversation, overrides)
    latest = reviewed[-1] if reviewed else None
    verdict = conversation.verdict
    row = {
        "sender_id": conversation.id,
        "started": conversation.started.timestamp(),
        "last_event_id": last_event_id,
        "length": conversation.length,
        "salesperson": conversation.salesperson,
        "client": conversation.client,
        "scenario": conversation.scenario,
        "channel": conversation.channel,
        "outcome": verdict.outcome if verdict is not None and verdict.outcome else "none",
        "ratio": verdict.figures.get("ratio") if verdict is not None else None,
        "flag_count": conversation.flag_count,
        "scorecard_count": len(reviewed),
        "score": latest.effective if latest is not None else None,
        "automatic_score": latest.automatic if latest is not None else None,
        "score_overridden": latest.overridden if latest is not None else False,
        "warnings": " ".join(conversation.warnings),
    }
    rehearsals = [
        {
            "sender_id": conversation.id,
            "number": item.card.number,
            "time": item.card.time.timestamp(),
            "salesperson": item.card.salesperson,
            "salesperson_key": salesperson_key(item.card.salesperson),
            "persona_id": item.card.persona_id,
            "persona_name": item.card.persona_name,
            "automatic": item.automatic,
            "effective": item.effective,
        }
        for item in reviewed
    ]
    return row, rehearsals


def _lock(connection: Connection) -> int:
    """Takes the summaries' write lock for this transaction; returns the watermark."""
    connection.execute(
        WATERMARK.update().where(WATERMARK.c.id == 1).values(last_event_id=WATERMARK.c.last_event_id)
    )
    return int(
        connection.execute(sa.select(WATERMARK.c.last_event_id).where(WATERMARK.c.id == 1)).scalar_one()
    )


def _pending(connection: Connection, watermark: int) -> tuple[int, list[str]]:
    """The highest events.id of the next batch, and the senders to summarise again up to it."""
    newest = connection.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0
    upper = max(watermark, min(newest, watermark + BATCH))
    lookback = 0 if connection.dialect.name == "sqlite" else LOOKBACK
    if upper == watermark and lookback == 0:
        return upper, []
    query = (
        sa.select(EVENTS.c.sender_id)
        .distinct()
        .select_from(EVENTS.outerjoin(SUMMARIES, SUMMARIES.c.sender_id == EVENTS.c.sender_id))
        .where(
            EVENTS.c.id > max(0, watermark - lookback),
            EVENTS.c.id <= upper,
            sa.or_(SUMMARIES.c.last_event_id.is_(None), EVENTS.c.id > SUMMARIES.c.last_event_id),
        )
    )
    return upper, sorted(connection.execute(query).scalars())


def _replace(connection: Connection, sender_ids: Sequence[str], upto: int) -> int:
    """Replaces the rows of these senders by their events up to ``upto``; returns how many conversations have rows."""
    events: dict[str, list[dict[str, Any]]] = {sender_id: [] for sender_id in sender_ids}
    last: dict[str, int] = {}
    for sender_id, event_id, event in event_rows(connection, sender_ids, upto):
        events[sender_id].append(event)
        last[sender_id] = event_id
    overrides = overrides_by_sender(connection, sender_ids)
    for chunk in chunks(sender_ids):
        connection.execute(SUMMARIES.delete().where(SUMMARIES.c.sender_id.in_(chunk)))
        connection.execute(REHEARSALS.delete().where(REHEARSALS.c.sender_id.in_(chunk)))
    rows: list[Row] = []
    rehearsals: list[Row] = []
    for sender_id, found in events.items():
        if found:
            row, cards = summarise(
                build_conversation(sender_id, found), overrides.get(sender_id, ()), last[sender_id]
            )
            rows.append(row)
            rehearsals.extend(cards)
    if rows:
        connection.execute(SUMMARIES.insert(), rows)
    if rehearsals:
        connection.execute(REHEARSALS.insert(), rehearsals)
    return len(rows)


def update(connection: Connection, sender_ids: Sequence[str]) -> None:
    """Replaces these conversations' rows (removes them when they have no events left), up to the
    watermark. Call it in the transaction that changed their events or overrides."""
    watermark = _lock(connection)
    if has_events(connection):
        _replace(connection, sender_ids, watermark)


def refresh(database: Database) -> int:
    """Brings the summary tables up to date with the events; returns how many conversations were summarised."""
    engine = ready_engine(database)
    summarised = 0
    while True:
        with engine.connect() as connection:
            if not has_events(connection):
                return summarised
            watermark = int(connection.execute(sa.select(WATERMARK.c.last_event_id)).scalar_one())
            upper, stale = _pending(connection, watermark)
        if upper == watermark and not stale:
            return summarised
        with engine.begin() as connection:
            watermark = _lock(connection)
            upper, stale = _pending(connection, watermark)
            summarised += _replace(connection, stale, upper)
            connection.execute(WATERMARK.update().where(WATERMARK.c.id == 1).values(last_event_id=upper))


def rebuild(database: Database) -> int:
    """Empties the summary tables and summarises every conversation again; returns how many there are."""
    engine = ready_engine(database)
    with engine.begin() as connection:
        _lock(connection)
        connection.execute(SUMMARIES.delete())
        connection.execute(REHEARSALS.delete())
        connection.execute(WATERMARK.update().values(last_event_id=0))
    refresh(engine)
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(SUMMARIES)).scalar_one())
