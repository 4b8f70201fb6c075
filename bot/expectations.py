"""The expectation check: does the salesperson meet or exceed the client's expectation?

The salesperson answers "do I meet the expectation, or exceed it, and why?" in free
text. The answer is read as one of three levels, which map onto the three client
outcomes of the value model. When a value verdict exists and is more cautious than the
answer, the verdict wins: a promise to exceed expectations does not outweigh figures
that say the client gets less than they pay.
"""

from __future__ import annotations

import enum
import re

from bot.value_model import Outcome

__all__ = ["ExpectationLevel", "PlacementReason", "classify_expectation", "place_client", "same_party"]


class ExpectationLevel(str, enum.Enum):
    """How the salesperson's delivery compares with what the client expects."""

    BELOW = "below"
    MEETS = "meets"
    EXCEEDS = "exceeds"


class PlacementReason(str, enum.Enum):
    """Why the client was placed in an outcome."""

    ANSWER = "answer"  # the salesperson's own answer decided
    VERDICT_MORE_CAUTIOUS = "verdict_more_cautious"  # the value verdict was lower than the answer


# Checked in this order: "niet overtreffen" is below, before "overtreffen" is exceeds.
_LEVEL_PATTERNS = (
    (
        ExpectationLevel.BELOW,
        re.compile(
            r"\b(niet (waar|halen|gehaald|voldoen|voldoe|haal|overtref)|voldoe(n)? niet|haal (ik|we) (het|die|dat) niet"
            r"|onder (de )?verwachting|minder dan (verwacht|beloofd)|tekort|schiet(en)? tekort|lager dan)"
        ),
    ),
    (
        ExpectationLevel.EXCEEDS,
        re.compile(
            r"\b(overtref|overtreffen|boven (de |hun )?verwachting|meer dan (verwacht|beloofd)|verras|extra)"
        ),
    ),
    (
        ExpectationLevel.MEETS,
        re.compile(
            r"\b(voldoe|voldoen|waarmaken|waar ?maken|(maak|maken) (ik |we |wij )?(het |die |dat )?waar\b|zoals (verwacht|afgesproken|beloofd)"
            r"|precies|gelijk|kom(en)? (ik|we)? ?(het )?na|wat (ze|hij|zij) verwacht)"
        ),
    ),
)
_ORDER = (Outcome.DISSATISFIED, Outcome.SATISFIED, Outcome.PROMOTER)
_LEVEL_OUTCOME = {
    ExpectationLevel.BELOW: Outcome.DISSATISFIED,
    ExpectationLevel.MEETS: Outcome.SATISFIED,
    ExpectationLevel.EXCEEDS: Outcome.PROMOTER,
}
_SAME_PARTY = re.compile(r"\b(dezelfde|zelfde|hetzelfde|ook|idem|zelf)\b")
_WORD = re.compile(r"\w+")


def classify_expectation(text: str) -> ExpectationLevel | None:
    """The level an answer names, or None when it names none."""
    lowered = text.lower()
    return next((level for level, pattern in _LEVEL_PATTERNS if pattern.search(lowered)), None)


def place_client(level: ExpectationLevel, verdict: Outcome | None) -> tuple[Outcome, PlacementReason]:
    """The client's outcome: from the answer, unless the value verdict is more cautious."""
    from_answer = _LEVEL_OUTCOME[level]
    if verdict is not None and _ORDER.index(verdict) < _ORDER.index(from_answer):
        return verdict, PlacementReason.VERDICT_MORE_CAUTIOUS
    return from_answer, PlacementReason.ANSWER


def same_party(payer: str, user: str) -> bool:
    """True when the user of the service is the one who pays ("dezelfde", or the same words)."""
    if _SAME_PARTY.search(user.lower()):
        return True
    return _WORD.findall(payer.lower()) == _WORD.findall(user.lower())
