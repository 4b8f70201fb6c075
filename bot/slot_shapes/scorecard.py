"""The ``scorecard`` slot: a rehearsal's scorecard, who practised and with which client.

:func:`bot.scorecard.score` judges a rehearsal into a :class:`Scorecard`; the action stores it with
:func:`scorecard_to_slot`::

    {"persona_id", "score", "criteria": [{"id", "name", "points", "max_points", "status", "case",
    "quotes", "feedback", "alternative"}, ...], "coaching": {"name", "penalty", "max_penalty",
    "flags": [{"rule_id", "quote", "problem", "suggestion", "turn"}, ...], "feedback", "alternative"},
    "practise_next", "value_check", "salesperson", "persona_name"}

``value_check`` is :func:`bot.figures.assessment_figures` (texts, whole numbers, null) or null.
The trainer pages read it with :func:`scorecard_from_slot`, which takes what any version stored and
never raises: a value without a whole-number score is no scorecard; a criterion without an id is
skipped; what is missing or mistyped reads as empty, points below 0 as 0, the score within 0..100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.slot_shapes.lenient import listed, text, whole

__all__ = [
    "COACHING",
    "MET",
    "NOT_MET",
    "PARTLY",
    "SCORE_MAX",
    "STATUSES",
    "CoachingResult",
    "CriterionResult",
    "Figures",
    "RecordedFlag",
    "Scorecard",
    "scorecard_from_slot",
    "scorecard_to_slot",
]

MET, PARTLY, NOT_MET = "met", "partly", "not"
STATUSES = (MET, PARTLY, NOT_MET)
COACHING = "coaching"  # the id of the wording penalty in practise_next
SCORE_MAX = 100
Figures = Mapping[str, str | int | None]  # bot.figures.assessment_figures


@dataclass(frozen=True)
class RecordedFlag:
    """A coaching flag raised during the rehearsal."""

    rule_id: str
    quote: str
    problem: str
    suggestion: str
    turn: int


@dataclass(frozen=True)
class CriterionResult:
    """How the salesperson did on one criterion."""

    id: str
    name: str
    points: int
    max_points: int
    status: str  # met, partly or not
    case: str
    quotes: tuple[str, ...]
    feedback: str
    alternative: str

    @property
    def lost(self) -> int:
        """The points not earned."""
        return self.max_points - self.points


@dataclass(frozen=True)
class CoachingResult:
    """The coaching flags of the rehearsal and the points they cost."""

    name: str
    penalty: int
    max_penalty: int
    flags: tuple[RecordedFlag, ...]
    feedback: str
    alternative: str


@dataclass(frozen=True)
class Scorecard:
    """The result of a rehearsal.

    ``practise_next`` holds up to three criterion ids (or :data:`COACHING`) that lost the most
    points. ``value_check`` holds the figures of :func:`bot.figures.assessment_figures` when
    confirmed value and a price are known. ``salesperson`` is the first name the salesperson gave.
    """

    persona_id: str
    score: int
    criteria: tuple[CriterionResult, ...]
    coaching: CoachingResult
    practise_next: tuple[str, ...]
    value_check: Figures | None = None
    salesperson: str = ""
    persona_name: str = ""

    def criterion(self, criterion_id: str) -> CriterionResult | None:
        """The result of one criterion; None when the card has none of that id."""
        return next((result for result in self.criteria if result.id == criterion_id), None)

    def practise_names(self) -> tuple[str, ...]:
        """The names of what to practise next (criterion names, the wording penalty's name)."""
        names = []
        for item in self.practise_next:
            found = self.criterion(item)
            names.append(found.name if found else self.coaching.name if item == COACHING else item)
        return tuple(names)


def scorecard_to_slot(card: Scorecard) -> dict[str, Any]:
    """The scorecard as the slot's value."""
    return {
        "persona_id": card.persona_id,
        "score": card.score,
        "criteria": [dict(vars(result)) | {"quotes": list(result.quotes)} for result in card.criteria],
        "coaching": {
            "name": card.coaching.name,
            "penalty": card.coaching.penalty,
            "max_penalty": card.coaching.max_penalty,
            "flags": [dict(vars(flag)) for flag in card.coaching.flags],
            "feedback": card.coaching.feedback,
            "alternative": card.coaching.alternative,
        },
        "practise_next": list(card.practise_next),
        "value_check": None if card.value_check is None else dict(card.value_check),
        "salesperson": card.salesperson,
        "persona_name": card.persona_name,
    }


def scorecard_from_slot(value: Any, unnamed_penalty: str = "") -> Scorecard | None:
    """The scorecard in a stored slot value, leniently; None when it is empty or has no whole-number score.

    A card without a persona name is named by its persona id, a criterion without a name by its
    id, and the wording penalty without a name ``unnamed_penalty``.
    """
    if not isinstance(value, Mapping) or not value:
        return None
    score = value.get("score")
    if isinstance(score, bool) or not isinstance(score, int):
        return None
    check = value.get("value_check")
    return Scorecard(
        persona_id=text(value.get("persona_id")),
        score=max(0, min(SCORE_MAX, score)),
        criteria=tuple(_criterion(item) for item in listed(value.get("criteria")) if _is_criterion(item)),
        coaching=_coaching(value.get("coaching"), unnamed_penalty),
        practise_next=_texts(value.get("practise_next")),
        value_check=_figures(check) if isinstance(check, Mapping) else None,
        salesperson=" ".join(text(value.get("salesperson")).split()),
        persona_name=text(value.get("persona_name")) or text(value.get("persona_id")),
    )


def _texts(value: Any) -> tuple[str, ...]:
    """The non-empty texts in a list."""
    return tuple(item for item in listed(value) if text(item))


def _is_criterion(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(text(value.get("id")))


def _criterion(value: Mapping[str, Any]) -> CriterionResult:
    status = value.get("status")
    return CriterionResult(
        id=text(value.get("id")),
        name=text(value.get("name")) or text(value.get("id")),
        points=max(0, whole(value.get("points"))),
        max_points=max(0, whole(value.get("max_points"))),
        status=status if status in STATUSES else NOT_MET,
        case=text(value.get("case")),
        quotes=_texts(value.get("quotes")),
        feedback=text(value.get("feedback")),
        alternative=text(value.get("alternative")),
    )


def _coaching(value: Any, unnamed: str) -> CoachingResult:
    value = value if isinstance(value, Mapping) else {}
    return CoachingResult(
        name=text(value.get("name")) or unnamed,
        penalty=max(0, whole(value.get("penalty"))),
        max_penalty=max(0, whole(value.get("max_penalty"))),
        flags=tuple(
            RecordedFlag(
                rule_id=text(flag.get("rule_id") or flag.get("rule")),
                quote=text(flag.get("quote")),
                problem=text(flag.get("problem")),
                suggestion=text(flag.get("suggestion")),
                turn=whole(flag.get("turn")),
            )
            for flag in listed(value.get("flags"))
            if isinstance(flag, Mapping)
        ),
        feedback=text(value.get("feedback")),
        alternative=text(value.get("alternative")),
    )


def _figures(value: Mapping[Any, Any]) -> dict[str, str | int | None]:
    """The value check's figures: texts, whole numbers and nulls (a fraction as its text)."""
    return {
        str(key): str(figure) if isinstance(figure, float) else figure
        for key, figure in value.items()
        if figure is None or (isinstance(figure, str | int | float) and not isinstance(figure, bool))
    }
