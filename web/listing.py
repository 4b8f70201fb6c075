"""The trainer list and the progress per salesperson: queries over the summary tables.

Each query first brings the summaries up to date (:func:`web.summaries.refresh`), then filters,
orders and pages in SQL. Filters: the start day range (inclusive, in Amsterdam time), the
verdict, with or without coaching flags (rehearsal wording flags included), a tag, and the range
(inclusive) of the effective score of the latest rehearsal (with a score range, conversations
without a scorecard are left out). Orders: newest or oldest first, or by that score (highest or
lowest first; equal scores newest first; conversations without a scorecard last, newest first).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

import sqlalchemy as sa
from babel.dates import get_timezone

from web import store, summaries
from web.database import Database, ready_engine
from web.scores import Attempt, Progress, salesperson_key
from web.tables import REHEARSALS, SUMMARIES, TAGS
from web.transcript import Conversation

__all__ = [
    "PAGE_SIZE",
    "REVIEW_TIMEZONE",
    "ConversationFilter",
    "ConversationPage",
    "ConversationSummary",
    "Outcome",
    "Sort",
    "conversation_page",
    "list_conversations",
    "listed_conversations",
    "progress",
]

Outcome = Literal["promoter", "satisfied", "dissatisfied", "none"]
Sort = Literal["newest", "oldest", "score_desc", "score_asc"]
REVIEW_TIMEZONE = "Europe/Amsterdam"
PAGE_SIZE = 50

_NEWEST = (SUMMARIES.c.started.desc(), SUMMARIES.c.sender_id)
_ORDERS: dict[Sort, tuple[Any, ...]] = {
    "newest": _NEWEST,
    "oldest": (SUMMARIES.c.started, SUMMARIES.c.sender_id.desc()),
    "score_desc": (SUMMARIES.c.score.desc().nulls_last(), *_NEWEST),
    "score_asc": (SUMMARIES.c.score.asc().nulls_last(), *_NEWEST),
}


@dataclass(frozen=True)
class ConversationFilter:
    """Which conversations to list (see the module's docstring)."""

    start: date | None = None
    end: date | None = None
    outcome: Outcome | None = None
    flagged: bool | None = None
    tag: str | None = None
    min_score: int | None = None
    max_score: int | None = None


@dataclass(frozen=True)
class ConversationSummary:
    """A row of the conversation list: its summary row and its tags.

    ``scenario`` is a value of :data:`web.transcript.SCENARIO_SLOTS` ("" when none); ``score`` is
    the latest rehearsal's effective score (None without a scorecard),
    ``automatic_score`` that scorecard's automatic score; ``warnings`` holds keys of
    :data:`web.transcript.WARNING_RESPONSES`.
    """

    sender_id: str
    started: datetime
    length: int
    salesperson: str
    client: str
    scenario: str
    channel: str | None
    outcome: Outcome
    ratio: str | None
    flag_count: int
    scorecard_count: int
    score: int | None
    automatic_score: int | None
    score_overridden: bool
    warnings: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ConversationPage:
    """One page of the list: its rows, how many conversations pass the filters, which page of how many."""

    summaries: list[ConversationSummary]
    total: int
    number: int  # 1 for the first page
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def _day_start(day: date) -> float:
    """The epoch seconds at which ``day`` starts in Amsterdam."""
    zone = get_timezone(REVIEW_TIMEZONE)
    naive = datetime.combine(day, time.min)
    local = zone.localize(naive) if hasattr(zone, "localize") else naive.replace(tzinfo=zone)
    return local.timestamp()


def _conditions(filters: ConversationFilter) -> list[Any]:
    found: list[Any] = []
    if filters.start is not None:
        found.append(SUMMARIES.c.started >= _day_start(filters.start))
    if filters.end is not None:
        found.append(SUMMARIES.c.started < _day_start(filters.end + timedelta(days=1)))
    if filters.outcome is not None:
        found.append(SUMMARIES.c.outcome == filters.outcome)
    if filters.flagged is not None:
        found.append(SUMMARIES.c.flag_count > 0 if filters.flagged else SUMMARIES.c.flag_count == 0)
    if filters.tag:
        found.append(sa.exists().where(TAGS.c.sender_id == SUMMARIES.c.sender_id, TAGS.c.tag == filters.tag))
    if filters.min_score is not None:
        found.append(SUMMARIES.c.score >= filters.min_score)
    if filters.max_score is not None:
        found.append(SUMMARIES.c.score <= filters.max_score)
    return found


def _summaries(database: Database, query: Any) -> list[ConversationSummary]:
    with ready_engine(database).connect() as connection:
        rows = list(connection.execute(query))
        tags = store.tags_by_sender(connection, [row.sender_id for row in rows])
    return [
        ConversationSummary(
            sender_id=row.sender_id,
            started=datetime.fromtimestamp(row.started, tz=timezone.utc),
            length=row.length,
            salesperson=row.salesperson,
            client=row.client,
            scenario=row.scenario,
            channel=row.channel,
            outcome=row.outcome,
            ratio=row.ratio,
            flag_count=row.flag_count,
            scorecard_count=row.scorecard_count,
            score=row.score,
            automatic_score=row.automatic_score,
            score_overridden=bool(row.score_overridden),
            warnings=tuple(row.warnings.split()),
            tags=tags.get(row.sender_id, ()),
        )
        for row in rows
    ]


def list_conversations(
    database: Database, filters: ConversationFilter | None = None, sort: Sort = "newest"
) -> list[ConversationSummary]:
    """Every conversation that passes the filters, in the order ``sort`` asks for."""
    summaries.refresh(database)
    query = sa.select(SUMMARIES).where(*_conditions(filters or ConversationFilter())).order_by(*_ORDERS[sort])
    return _summaries(database, query)


def conversation_page(
    database: Database,
    filters: ConversationFilter | None = None,
    sort: Sort = "newest",
    number: int = 1,
    size: int = PAGE_SIZE,
) -> ConversationPage:
    """Page ``number`` (1 for the first; past the last page, the last) of the conversations that pass the filters."""
    summaries.refresh(database)
    conditions = _conditions(filters or ConversationFilter())
    with ready_engine(database).connect() as connection:
        total = connection.execute(
            sa.select(sa.func.count()).select_from(SUMMARIES).where(*conditions)
        ).scalar_one()
    number = max(1, min(number, math.ceil(total / size) or 1))
    query = (
        sa.select(SUMMARIES)
        .where(*conditions)
        .order_by(*_ORDERS[sort])
        .limit(size)
        .offset((number - 1) * size)
    )
    return ConversationPage(_summaries(database, query), int(total), number, size)


def listed_conversations(
    database: Database, filters: ConversationFilter | None = None, sort: Sort = "newest"
) -> list[Conversation]:
    """The conversations that pass the filters, replayed, in the list's order (for exports)."""
    order = [summary.sender_id for summary in list_conversations(database, filters, sort)]
    found = {conversation.id: conversation for conversation in store.load_conversations(database, order)}
    return [found[sender_id] for sender_id in order if sender_id in found]


def _attempt(row: Any) -> Attempt:
    moment = datetime.fromtimestamp(row.time, tz=timezone.utc)
    return Attempt(row.sender_id, row.number, moment, row.effective, row.automatic)


def progress(database: Database, salespeople: Iterable[str] | None = None) -> list[Progress]:
    """Per salesperson and persona, the attempts: how many, the first, the best and the latest;
    by salesperson (people without a name last), then persona name.

    ``salespeople``: only these salesperson keys (:func:`web.scores.salesperson_key`). Aggregates
    in SQL (over the index on salesperson, persona, score and time), then reads only the rows at
    each group's first and latest time and its best score's earliest time.
    """
    summaries.refresh(database)
    group = (REHEARSALS.c.salesperson_key, REHEARSALS.c.persona_id)
    totals = sa.select(
        *group,
        sa.func.count().label("attempts"),
        sa.func.min(REHEARSALS.c.time).label("first_time"),
        sa.func.max(REHEARSALS.c.time).label("latest_time"),
        sa.func.max(REHEARSALS.c.effective).label("best_score"),
    ).group_by(*group)
    if salespeople is not None:
        totals = totals.where(REHEARSALS.c.salesperson_key.in_(list(salespeople)))
    totals_cte = totals.cte("totals")

    def in_group(table: Any) -> Any:
        return sa.and_(
            REHEARSALS.c.salesperson_key == table.c.salesperson_key,
            REHEARSALS.c.persona_id == table.c.persona_id,
        )

    best = (
        sa.select(*group, sa.func.min(REHEARSALS.c.time).label("best_time"))
        .join(totals_cte, sa.and_(in_group(totals_cte), REHEARSALS.c.effective == totals_cte.c.best_score))
        .group_by(*group)
        .cte("best")
    )
    query = (
        sa.select(
            REHEARSALS,
            totals_cte.c.attempts,
            totals_cte.c.first_time,
            totals_cte.c.latest_time,
            totals_cte.c.best_score,
            best.c.best_time,
        )
        .join(totals_cte, in_group(totals_cte))
        .join(best, in_group(best))
        .where(
            sa.or_(
                REHEARSALS.c.time == totals_cte.c.first_time,
                REHEARSALS.c.time == totals_cte.c.latest_time,
                REHEARSALS.c.time == best.c.best_time,
            )
        )
    )
    with ready_engine(database).connect() as connection:
        rows = list(connection.execute(query))
    return _progress_rows(rows)


def _in_order(row: Any) -> tuple[float, str, int]:
    return (row.time, row.sender_id, row.number)


def _progress_rows(rows: Sequence[Any]) -> list[Progress]:
    """Progress from the rows at each group's first and latest time and best score's earliest time."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.salesperson_key, row.persona_id), []).append(row)
    spelled: dict[str, Any] = {}  # each salesperson's latest attempt over every persona
    ends: dict[tuple[str, str], tuple[Any, Any, Any]] = {}
    for (key, persona_id), found in groups.items():
        first = min((row for row in found if row.time == row.first_time), key=_in_order)
        latest = max((row for row in found if row.time == row.latest_time), key=_in_order)
        best = min(
            (row for row in found if (row.effective, row.time) == (row.best_score, row.best_time)),
            key=_in_order,
        )
        ends[(key, persona_id)] = (first, best, latest)
        if key not in spelled or _in_order(spelled[key]) < _in_order(latest):
            spelled[key] = latest
    found_rows = [
        Progress(
            salesperson=spelled[key].salesperson,
            persona_id=persona_id,
            persona_name=latest.persona_name or persona_id,
            attempts=latest.attempts,
            first=_attempt(first),
            best=_attempt(best),
            latest=_attempt(latest),
        )
        for (key, persona_id), (first, best, latest) in ends.items()
    ]
    return sorted(
        found_rows,
        key=lambda row: (
            row.salesperson == "",
            salesperson_key(row.salesperson),
            row.persona_name.casefold(),
        ),
    )
