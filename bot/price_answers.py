"""Reading the salesperson's answers about the price: amounts, a recurring part, years.

Each parser returns the value or a :class:`PriceProblem` that the chatbot turns into
a Dutch re-ask with an example.
"""

from __future__ import annotations

import enum
from decimal import Decimal

from bot.amounts import parse_amount, parse_number
from bot.value_lines import find_frequency
from bot.value_model import Frequency

__all__ = [
    "MAX_PRICE",
    "MAX_YEARS",
    "PriceProblem",
    "parse_contract_years",
    "parse_price_part",
    "parse_recurring_per_year",
]

MAX_PRICE = Decimal("1000000000")  # 1 miljard: anything above is taken for a typo
MAX_YEARS = 30
_NOTHING_WORDS = ("geen", "niets", "niks", "nee", "nvt", "n.v.t.")


class PriceProblem(str, enum.Enum):
    """Why a price answer cannot be used."""

    NOT_UNDERSTOOD = "not_understood"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    BAD_YEARS = "bad_years"


def parse_price_part(text: str) -> Decimal | PriceProblem:
    """An amount of zero or more; 'geen' or 'nee' mean zero."""
    amount = parse_amount(text)
    if amount is None:
        words = text.lower().split()
        return (
            Decimal(0)
            if any(word.strip(".,!") in _NOTHING_WORDS for word in words)
            else (PriceProblem.NOT_UNDERSTOOD)
        )
    if amount < 0:
        return PriceProblem.NEGATIVE
    if amount > MAX_PRICE:
        return PriceProblem.TOO_LARGE
    return amount


def parse_recurring_per_year(text: str) -> Decimal | PriceProblem:
    """The recurring part converted to a yearly amount; without a frequency it is per year."""
    amount = parse_price_part(text)
    if isinstance(amount, PriceProblem):
        return amount
    match = find_frequency(text)
    if match is None or match.frequency is Frequency.ONE_OFF:
        return amount
    per_year = amount * match.factor * match.frequency.per_year
    return PriceProblem.TOO_LARGE if per_year > MAX_PRICE else per_year


def parse_contract_years(text: str) -> int | PriceProblem:
    """Whole years from 1 to :data:`MAX_YEARS`."""
    number = parse_number(text)
    if number is None or number != number.to_integral_value() or not 1 <= number <= MAX_YEARS:
        return PriceProblem.BAD_YEARS
    return int(number)
