"""What each way forward must deliver, in money, after the verdict; and what to ask the client.

When the value is below the threshold (value/price ratio < 0.95), each of the three ways
forward has a figure the salesperson can work with (:func:`option_figures`):

* **more value**: the expected value to add over the contract to reach the target ratio
  (``extra_value``), and the same spread evenly over the years;
* **a smaller assignment** (the small one of three options): the highest total price that
  the current expected value carries (``max_price``) and, with the one-off part kept, the
  highest recurring price per year (``max_price_per_year``);
* **making the case for a bigger budget**: what the client's problem costs if every value
  line comes true (``problem_cost``) against the value needed at this price, and how much
  of the still uncertain value the client must make certain.

Needed amounts are rounded *up* to cents and ceilings *down*, so that a figure quoted
always passes. Between 0.95 and 1.20 the target is the promoter ratio (1.20)
(:func:`target_ratio`). :func:`discovery_questions` picks which questions help find the
missing value; their Dutch wording lives in the domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from bot.value_model import (
    DISSATISFIED_BELOW,
    PROMOTER_FROM,
    Assessment,
    Category,
    Outcome,
    ValueLine,
)

__all__ = [
    "DiscoveryQuestion",
    "asks_for_ceiling",
    "asks_for_questions",
    "OptionFigures",
    "discovery_questions",
    "option_figures",
    "target_ratio",
]

CENT = Decimal("0.01")
MAX_DOUBTFUL_LINES = 2
MAX_MISSING_CATEGORIES = 2
# Always asked, in this order: success and how it is measured, what it costs now, why now.
GENERAL_QUESTIONS = ("success", "cost_now", "why_now", "who_else")
# Kinds of value that are often forgotten, in the order they are suggested.
OFTEN_MISSING = (Category.EXTRA_REVENUE, Category.RISK_REDUCTION, Category.TIME_SAVED, Category.COST_SAVING)

# "wat moet ik hem dan vragen?", "welke vragen kan ik stellen?", "hoe vraag ik door?":
# a question word before a form of 'vragen', or a word for example questions.
_ASKS_FOR_QUESTIONS = re.compile(
    r"\b(?:wat|welke|hoe|waarnaar|waar)\b[^.!;]*\bvra(?:ag|agt|gen)\b"
    r"|\b(?:ontdekkings|voorbeeld)vragen\b|\bdoorvragen\b[^.!;]*\?"
    r"|\bvragen (?:voor|aan) (?:de|het|mijn) (?:klant|gesprek)|\b(?:geef|heb|help|suggesties?|tips?)\b[^.!;?]*vragen\b"
)


@dataclass(frozen=True)
class OptionFigures:
    """The money figures of the three ways forward at ``target`` (a value/price ratio).

    All amounts are over the contract (``years``) unless the name says per year.
    ``max_price_per_year`` is None when the price has no recurring part, or when the
    one-off part alone already exceeds ``max_price``.
    """

    target: Decimal
    years: int
    gap: Decimal
    extra_value: Decimal
    extra_value_per_year: Decimal
    value_needed: Decimal
    max_price: Decimal
    price_cut: Decimal
    max_price_per_year: Decimal | None
    problem_cost: Decimal
    uncertain_value: Decimal

    @property
    def passes(self) -> bool:
        """True when the current expected value already reaches the target."""
        return self.extra_value == 0

    @property
    def problem_covers_price(self) -> bool:
        """True when the value, if every line comes true, reaches the target at this price."""
        return self.problem_cost >= self.value_needed


@dataclass(frozen=True)
class DiscoveryQuestion:
    """One question to suggest: a key for its Dutch wording, and the line it is about, if any."""

    key: str
    line: ValueLine | None = None


def target_ratio(assessment: Assessment) -> Decimal | None:
    """0.95 below the threshold, 1.20 between 0.95 and 1.20, None for a promoter."""
    if assessment.outcome is Outcome.DISSATISFIED:
        return DISSATISFIED_BELOW
    if assessment.outcome is Outcome.SATISFIED:
        return PROMOTER_FROM
    return None


def _years_factor(years: int, rate: Decimal) -> Decimal:
    """What one euro per year is worth over the contract, discounted at ``rate``."""
    if rate == 0:
        return Decimal(years)
    return sum((1 / (1 + rate) ** year for year in range(1, years + 1)), Decimal(0))


def _up(amount: Decimal) -> Decimal:
    return max(Decimal(0), amount).quantize(CENT, ROUND_CEILING)


def _down(amount: Decimal) -> Decimal:
    return max(Decimal(0), amount).quantize(CENT, ROUND_FLOOR)


def option_figures(assessment: Assessment, target: Decimal = DISSATISFIED_BELOW) -> OptionFigures:
    """The figures of the three ways forward for reaching ``target`` (see the module docstring)."""
    if target <= 0:
        raise ValueError("the target ratio must be positive")
    price = assessment.price
    value = assessment.value_expected.total
    factor = _years_factor(assessment.years, assessment.discount_rate)
    value_needed = _up(price.total * target)
    extra_value = _up(value_needed - value)
    max_price = _down(value / target)
    max_price_per_year = None
    if price.per_year > 0 and max_price >= price.one_off:
        max_price_per_year = _down((max_price - price.one_off) / factor)
    return OptionFigures(
        target=target,
        years=assessment.years,
        gap=_up(price.total - value),
        extra_value=extra_value,
        extra_value_per_year=_up(extra_value / factor),
        value_needed=value_needed,
        max_price=max_price,
        price_cut=_up(price.total - max_price),
        max_price_per_year=max_price_per_year,
        problem_cost=assessment.value_full.total,
        uncertain_value=_down(assessment.value_full.total - value),
    )


def discovery_questions(lines: Sequence[ValueLine]) -> tuple[DiscoveryQuestion, ...]:
    """Questions that help find the missing value, most specific first.

    First the lines the client doubts most (certainty below 100%, at most two, the least
    certain first), then kinds of value not yet named (at most two), then the general
    questions about success, today's cost, why now and who else gains.
    """
    doubtful = sorted((line for line in lines if line.certainty < 1), key=lambda line: line.certainty)
    named = {line.category for line in lines}
    missing = [category for category in OFTEN_MISSING if category not in named]
    return (
        *(DiscoveryQuestion("doubtful_line", line) for line in doubtful[:MAX_DOUBTFUL_LINES]),
        *(DiscoveryQuestion(f"missing_{category.value}") for category in missing[:MAX_MISSING_CATEGORIES]),
        *(DiscoveryQuestion(key) for key in GENERAL_QUESTIONS),
    )


_ASKS_FOR_CEILING = re.compile(
    r"\bhoeveel\s+(?:mag|kan|zou|moet)\s+(?:het|de\s+prijs|ik|dit|dat|we|wij)\b(?:\s+\w+){0,3}\s+(?:kosten|vragen|zijn|rekenen)"
    r"|\bhoe\s+hoog\s+(?:mag|kan)\b|\b(?:maximale|hoogste|max\.?|maximum)\s*prijs\b|\bwat\s+mag\s+(?:het|de\s+prijs|dit)\s+(?:kosten|zijn)\b"
    r"|\bprijsplafond\b"
)


def asks_for_ceiling(text: str) -> bool:
    """True when the salesperson asks how high the price may be ("hoeveel mag het dan kosten?")."""
    return bool(_ASKS_FOR_CEILING.search((text or "").lower()))


def asks_for_questions(text: str) -> bool:
    """True when the salesperson asks what to ask the client ("wat moet ik hem dan vragen?")."""
    return bool(_ASKS_FOR_QUESTIONS.search((text or "").lower()))
