"""Price answers: parts, recurring per year, contract years."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.price_answers import PriceProblem, parse_contract_years, parse_price_part, parse_recurring_per_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.500 euro", Decimal(7500)),
        ("€ 12.500,-", Decimal(12500)),
        ("geen", Decimal(0)),
        ("nee, niets eenmaligs", Decimal(0)),
        ("0", Decimal(0)),
        ("abc", PriceProblem.NOT_UNDERSTOOD),
        ("", PriceProblem.NOT_UNDERSTOOD),
        ("-500", PriceProblem.NEGATIVE),
        ("1000000000000000", PriceProblem.TOO_LARGE),
    ],
)
def test_price_part(text, expected):
    assert parse_price_part(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.000 per maand", Decimal(48000)),
        ("45k per jaar", Decimal(45000)),
        ("30.000", Decimal(30000)),
        ("1.000 per kwartaal", Decimal(4000)),
        ("250 per week", Decimal(13000)),
        ("eenmalig 5.000", Decimal(5000)),
        ("90 miljoen per maand", PriceProblem.TOO_LARGE),
    ],
)
def test_recurring_per_year(text, expected):
    assert parse_recurring_per_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("drie jaar", 3),
        ("het contract loopt 5 jaar", 5),
        ("30", 30),
        ("0", PriceProblem.BAD_YEARS),
        ("31", PriceProblem.BAD_YEARS),
        ("2,5", PriceProblem.BAD_YEARS),
        ("lang", PriceProblem.BAD_YEARS),
    ],
)
def test_contract_years(text, expected):
    assert parse_contract_years(text) == expected
