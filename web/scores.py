"""Rehearsal scores as trainers see them: the automatic scorecard, the trainers' overrides, progress.

Pure functions over :class:`web.transcript.RehearsalScorecard` and :class:`Override`; the
overrides are stored by :mod:`web.store`. A trainer overrides one criterion of one scorecard
with points and a note; the latest override of a criterion counts. The **effective score**
is the automatic one with the overridden criteria's points in place of the bot's (each
clamped to 0..the criterion's maximum), minus the same coaching penalty, clamped to 0..100.
The automatic score is always kept beside it.

Progress (computed by :func:`web.store.progress` from the summary tables) groups every scorecard
by salesperson (the first name they gave, compared without case and extra spaces, shown as they
spelled it last) and persona, in time order: attempts, the first, the best (highest effective
score; the earliest of equals) and the latest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.slot_shapes.scorecard import SCORE_MAX, CriterionResult
from web.transcript import Conversation, RehearsalScorecard

__all__ = [
    "Attempt",
    "Override",
    "Progress",
    "ReviewedCriterion",
    "ReviewedScorecard",
    "clamp_points",
    "effective_score",
    "review_scorecards",
    "salesperson_key",
]


@dataclass(frozen=True)
class Override:
    """A trainer's points for one criterion of one scorecard (``scorecard``: its index), with a note."""

    id: int
    sender_id: str
    scorecard: int
    criterion: str
    points: int
    note: str
    author: str
    created_at: datetime  # aware, UTC


def clamp_points(points: int, max_points: int) -> int:
    """``points`` within 0..``max_points``."""
    return max(0, min(max_points, points))


@dataclass(frozen=True)
class ReviewedCriterion:
    """A criterion with the override that counts for it (the latest), if any."""

    criterion: CriterionResult
    override: Override | None

    @property
    def points(self) -> int:
        """The points that count: the trainer's (clamped) when overridden, else the bot's."""
        if self.override is None:
            return self.criterion.points
        return clamp_points(self.override.points, self.criterion.max_points)


@dataclass(frozen=True)
class ReviewedScorecard:
    """A scorecard with every override on it (oldest first) and the effective score."""

    card: RehearsalScorecard
    overrides: tuple[Override, ...]

    @property
    def criteria(self) -> tuple[ReviewedCriterion, ...]:
        latest = {override.criterion: override for override in self.overrides}
        return tuple(
            ReviewedCriterion(criterion, latest.get(criterion.id)) for criterion in self.card.criteria
        )

    @property
    def automatic(self) -> int:
        return self.card.score

    @property
    def overridden(self) -> bool:
        """True when a trainer overrode at least one of its criteria."""
        return any(item.override is not None for item in self.criteria)

    @property
    def effective(self) -> int:
        return effective_score(self.card, self.overrides)


def effective_score(card: RehearsalScorecard, overrides: Iterable[Override] = ()) -> int:
    """The automatic score with the overridden criteria's points (latest override, clamped) in place."""
    latest = {override.criterion: override for override in overrides if override.scorecard == card.index}
    if not any(card.criterion(criterion_id) for criterion_id in latest):
        return card.score
    total = sum(
        clamp_points(latest[c.id].points, c.max_points) if c.id in latest else c.points for c in card.criteria
    )
    return max(0, min(SCORE_MAX, total - card.coaching.penalty))


def review_scorecards(
    conversation: Conversation, overrides: Iterable[Override]
) -> tuple[ReviewedScorecard, ...]:
    """Each scorecard of the conversation with its overrides (those of other scorecards left out)."""
    ordered = sorted(overrides, key=lambda override: (override.created_at, override.id))
    return tuple(
        ReviewedScorecard(card, tuple(override for override in ordered if override.scorecard == card.index))
        for card in conversation.scorecards
    )


def salesperson_key(name: str) -> str:
    """How salesperson names are compared: without case and extra spaces."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Attempt:
    """One rehearsal in the progress table: where it is, when, and its scores."""

    sender_id: str
    number: int  # the scorecard's number in its conversation (1 for the first)
    time: datetime
    effective: int
    automatic: int


@dataclass(frozen=True)
class Progress:
    """A salesperson's rehearsals with one persona: how many, the first, the best and the latest."""

    salesperson: str  # as last spelled; "" when no name is known
    persona_id: str
    persona_name: str
    attempts: int
    first: Attempt
    best: Attempt  # the highest effective score; the earliest of equals
    latest: Attempt

    @property
    def change(self) -> int:
        """Latest minus first effective score."""
        return self.latest.effective - self.first.effective
