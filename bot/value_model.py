"""The value model: value lines, a price, and the assessment of value against price.

All money is :class:`~decimal.Decimal`. The assessment compares value and price over
the contract length. The *expected* case weights every value line by how sure the
client is of it; the *full* case counts every line at face value.

Outcome bands (value/price ratio of the expected case, documented in the README):

* ratio < 0.95: ``dissatisfied`` (the client gets less than expected and leaves);
* 0.95 <= ratio < 1.20: ``satisfied`` (about what was expected: content, but switches easily);
* ratio >= 1.20: ``promoter`` (clearly more than expected: loyal, buys more, recommends).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "Assessment",
    "Category",
    "Frequency",
    "Outcome",
    "Price",
    "ValueLine",
    "assess",
    "DISSATISFIED_BELOW",
    "PROMOTER_FROM",
]

DISSATISFIED_BELOW = Decimal("0.95")
PROMOTER_FROM = Decimal("1.20")

MONTHS_PER_YEAR = 12
CENT = Decimal("0.01")


class Frequency(str, enum.Enum):
    """How often a value line (or the recurring price) occurs."""

    ONE_OFF = "one_off"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def per_year(self) -> Decimal:
        """Occurrences per year; zero for a one-off amount."""
        return _PER_YEAR[self]


_PER_YEAR = {
    Frequency.ONE_OFF: Decimal(0),
    Frequency.WEEK: Decimal(52),
    Frequency.MONTH: Decimal(12),
    Frequency.QUARTER: Decimal(4),
    Frequency.YEAR: Decimal(1),
}


class Category(str, enum.Enum):
    """What kind of value a line describes."""

    COST_SAVING = "cost_saving"
    EXTRA_REVENUE = "extra_revenue"
    TIME_SAVED = "time_saved"
    RISK_REDUCTION = "risk_reduction"
    OTHER = "other"


class Outcome(str, enum.Enum):
    """What the value/price ratio means for the client."""

    DISSATISFIED = "dissatisfied"
    SATISFIED = "satisfied"
    PROMOTER = "promoter"


@dataclass(frozen=True)
class ValueLine:
    """One line of value: an amount that occurs with a frequency, weighted by certainty."""

    description: str
    amount: Decimal
    frequency: Frequency
    category: Category
    certainty: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a value line cannot be negative")
        if not Decimal(0) <= self.certainty <= Decimal(1):
            raise ValueError("certainty is a weight between 0 and 1")

    @property
    def one_off(self) -> Decimal:
        """The one-off part of this line (zero for a recurring line)."""
        return self.amount if self.frequency is Frequency.ONE_OFF else Decimal(0)

    @property
    def per_year(self) -> Decimal:
        """The recurring part of this line per year (zero for a one-off line)."""
        return self.amount * self.frequency.per_year


@dataclass(frozen=True)
class Price:
    """The price: a one-off part, a recurring part per year, and the contract length."""

    one_off: Decimal
    per_year: Decimal
    years: int

    def __post_init__(self) -> None:
        if self.one_off < 0 or self.per_year < 0:
            raise ValueError("a price cannot be negative")
        if self.years < 1:
            raise ValueError("a contract lasts at least one year")


@dataclass(frozen=True)
class Totals:
    """Value or price over the contract: one-off part, recurring part per year, total."""

    one_off: Decimal
    per_year: Decimal
    total: Decimal


@dataclass(frozen=True)
class Assessment:
    """Value against price over the contract length.

    ``ratio`` is ``None`` when the price is zero. ``payback_months`` is the first whole
    month in which the cumulative expected value reaches the cumulative price, or
    ``None`` when that does not happen within the contract.
    """

    value_full: Totals
    value_expected: Totals
    price: Totals
    years: int
    discount_rate: Decimal
    ratio: Decimal | None
    surplus: Decimal
    payback_months: int | None
    max_justified_price: Decimal
    extra_value_needed: Decimal
    extra_value_for_promoter: Decimal
    outcome: Outcome

    @property
    def value_exceeds_price(self) -> bool:
        """True when the expected value is strictly greater than the price."""
        return self.surplus > 0


def _present_value(one_off: Decimal, per_year: Decimal, years: int, rate: Decimal) -> Decimal:
    """One-off now plus ``per_year`` at the end of each year, discounted at ``rate``."""
    if rate == 0:
        return one_off + per_year * years
    return one_off + sum((per_year / (1 + rate) ** year for year in range(1, years + 1)), Decimal(0))


def _totals(one_off: Decimal, per_year: Decimal, years: int, rate: Decimal) -> Totals:
    total = _present_value(one_off, per_year, years, rate)
    return Totals(one_off=one_off, per_year=per_year, total=total.quantize(CENT, ROUND_HALF_UP))


def _payback_months(value: Totals, price: Totals, years: int) -> int | None:
    """First month m (0 = at signing) from which cumulative value stays >= cumulative price.

    Net benefit after m months is linear: (one-off value - one-off price) + monthly gain * m,
    so it stays non-negative from m to the end of the contract exactly when it is
    non-negative at m and at the end.
    """
    horizon = years * MONTHS_PER_YEAR
    start = value.one_off - price.one_off
    monthly_gain = (value.per_year - price.per_year) / MONTHS_PER_YEAR
    if start + monthly_gain * horizon < 0:
        return None
    if start >= 0:
        return 0
    return math.ceil(-start / monthly_gain)


def _outcome(ratio: Decimal | None) -> Outcome:
    if ratio is None or ratio >= PROMOTER_FROM:
        return Outcome.PROMOTER
    if ratio >= DISSATISFIED_BELOW:
        return Outcome.SATISFIED
    return Outcome.DISSATISFIED


def assess(
    lines: list[ValueLine] | tuple[ValueLine, ...],
    price: Price,
    discount_rate: Decimal = Decimal(0),
) -> Assessment:
    """Compute the value/price assessment of ``lines`` against ``price``.

    With a non-zero ``discount_rate`` every yearly amount is discounted to today
    (one-off amounts fall at signing and are not discounted): NPV = sum CF_t/(1+r)^t.
    """
    if discount_rate < 0:
        raise ValueError("the discount rate cannot be negative")
    years = price.years
    full = _totals(
        sum((line.one_off for line in lines), Decimal(0)),
        sum((line.per_year for line in lines), Decimal(0)),
        years,
        discount_rate,
    )
    expected = _totals(
        sum((line.one_off * line.certainty for line in lines), Decimal(0)),
        sum((line.per_year * line.certainty for line in lines), Decimal(0)),
        years,
        discount_rate,
    )
    cost = _totals(price.one_off, price.per_year, years, discount_rate)
    ratio = None if cost.total == 0 else expected.total / cost.total
    return Assessment(
        value_full=full,
        value_expected=expected,
        price=cost,
        years=years,
        discount_rate=discount_rate,
        ratio=ratio,
        surplus=expected.total - cost.total,
        payback_months=_payback_months(expected, cost, years),
        max_justified_price=expected.total,
        extra_value_needed=max(Decimal(0), cost.total - expected.total),
        extra_value_for_promoter=max(
            Decimal(0), (cost.total * PROMOTER_FROM).quantize(CENT, ROUND_HALF_UP) - expected.total
        ),
        outcome=_outcome(ratio),
    )
