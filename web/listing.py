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
    "SORTS",
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
SORTS: tuple[Sort, ...] = ("newest", "oldest", "score_desc", "score_asc")
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

    ``score`` is the latest rehearsal's effective score (None without a scorecard),
    ``automatic_score`` that scorecard's automatic score; ``warnings`` holds keys of
    :data:`web.transcript.WARNING_RESPONSES`.
    """

    sender_id: str
    started: datetime
    length: int
    salesperson: str
    client: str
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
    time = datetime.fromtimestamp(row.time, tz=timezone.utc)
    return Attempt(row.sender_id, row.number, time, row.effective, row.automatic)


def progress(database: Database, salespeople: Iterable[str] | None = None) -> list[Progress]:
    """Per salesperson and persona, the attempts: how many, the first, the best and the latest;
    by salesperson (people without a name last), then persona name.

    ``salespeople``: only these salesperson keys (:func:`web.scores.salesperson_key`).
    """
    summaries.refresh(database)
    group = (REHEARSALS.c.salesperson_key, REHEARSALS.c.persona_id)
    in_order = (REHEARSALS.c.time, REHEARSALS.c.sender_id, REHEARSALS.c.number)
    ranked = sa.select(
        REHEARSALS,
        sa.func.count().over(partition_by=group).label("attempts"),
        sa.func.row_number().over(partition_by=group, order_by=in_order).label("first_rank"),
        sa.func.row_number()
        .over(partition_by=group, order_by=[column.desc() for column in in_order])
        .label("latest_rank"),
        sa.func.row_number()
        .over(partition_by=group, order_by=(REHEARSALS.c.effective.desc(), *in_order))
        .label("best_rank"),
    )
    if salespeople is not None:
        ranked = ranked.where(REHEARSALS.c.salesperson_key.in_(list(salespeople)))
    ranks = ranked.subquery()
    query = sa.select(ranks).where(
        sa.or_(ranks.c.first_rank == 1, ranks.c.latest_rank == 1, ranks.c.best_rank == 1)
    )
    with ready_engine(database).connect() as connection:
        rows = list(connection.execute(query))
    return _progress_rows(rows)


def _progress_rows(rows: Sequence[Any]) -> list[Progress]:
    """Progress from the first, best and latest attempt of each group (one row may be several)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault((row.salesperson_key, row.persona_id), {"attempts": row.attempts})
        for rank in ("first", "latest", "best"):
            if getattr(row, f"{rank}_rank") == 1:
                group[rank] = row
    spelled: dict[str, Any] = {}  # each salesperson's latest attempt over every persona
    for (key, _), group in groups.items():
        latest = group["latest"]
        if key not in spelled or (spelled[key].time, spelled[key].sender_id, spelled[key].number) < (
            latest.time,
            latest.sender_id,
            latest.number,
        ):
            spelled[key] = latest
    found = [
        Progress(
            salesperson=spelled[key].salesperson,
            persona_id=persona_id,
            persona_name=group["latest"].persona_name or persona_id,
            attempts=group["attempts"],
            first=_attempt(group["first"]),
            best=_attempt(group["best"]),
            latest=_attempt(group["latest"]),
        )
        for (key, persona_id), group in groups.items()
    ]
    return sorted(
        found,
        key=lambda row: (
            row.salesperson == "",
            salesperson_key(row.salesperson),
            row.persona_name.casefold(),
        ),
    )
