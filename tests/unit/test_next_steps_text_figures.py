"""Next steps, text cleaning and the Dutch figures of an assessment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.figures import assessment_figures, assessment_numbers
from bot.next_steps import NextStep, mentions_discount, parse_next_step
from bot.text import clean_text
from bot.value_model import Category, Frequency, Price, ValueLine, assess


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("waarde bevestigen en prijs noemen", NextStep.CONFIRM_PRICE),
        ("ik noem de prijs met vertrouwen", NextStep.CONFIRM_PRICE),
        ("meer waarde zoeken", NextStep.RAISE_VALUE),
        ("ik ga doorvragen naar wat succes is", NextStep.RAISE_VALUE),
        ("drie opties bieden", NextStep.THREE_OPTIONS),
        ("een variant met minder scope", NextStep.THREE_OPTIONS),
        ("laten zien waarom het budget te laag is", NextStep.EXPLAIN_BUDGET),
        ("geen idee", None),
        ("", None),
    ],
)
def test_next_step(text, step):
    assert parse_next_step(text) is step


@pytest.mark.parametrize(
    ("text", "discount"),
    [
        ("ik geef 10% korting", True),
        ("we worden gewoon goedkoper", True),
        ("ik laat de prijs zakken", True),
        ("drie opties bieden", False),
        ("waarde bevestigen", False),
    ],
)
def test_discount(text, discount):
    assert mentions_discount(text) is discount


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("  schoonmaak\t\tvoor\neen ziekenhuis  ", "schoonmaak voor een ziekenhuis"),
        ("a\x00b\x07c", "abc"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        (None, ""),
        ("", ""),
    ],
)
def test_clean_text(text, clean):
    assert clean_text(text) == clean


def test_figures_are_dutch_formatted():
    line = ValueLine("x", Decimal(40000), Frequency.ONE_OFF, Category.OTHER)
    figures = assessment_figures(assess([line], Price(Decimal(25000), Decimal(0), 1)))
    assert figures["value_expected"] == "€ 40.000,00"
    assert figures["price"] == "€ 25.000,00"
    assert figures["surplus"] == "€ 15.000,00"
    assert figures["ratio"] == "1,6"
    assert figures["outcome"] == "promoter"
    assert figures["payback_months"] == 0


def test_numbers_are_plain_decimal_strings():
    line = ValueLine("x", Decimal(40000), Frequency.ONE_OFF, Category.OTHER)
    numbers = assessment_numbers(assess([line], Price(Decimal(25000), Decimal(0), 1)))
    assert Decimal(numbers["value_expected"]) == 40000 and Decimal(numbers["price"]) == 25000
    assert Decimal(numbers["surplus"]) == 15000 and Decimal(numbers["ratio"]) == Decimal("1.6")


def test_numbers_without_a_price_have_no_ratio():
    line = ValueLine("x", Decimal(100), Frequency.ONE_OFF, Category.OTHER)
    assert assessment_numbers(assess([line], Price(Decimal(0), Decimal(0), 1)))["ratio"] is None
