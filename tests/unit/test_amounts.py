"""Tests for bot.amounts: reading amounts from Dutch text and formatting them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.amounts import (
    AmountMatch,
    find_amounts,
    format_euro,
    format_percent,
    format_ratio,
    parse_amount,
    parse_number,
)

D = Decimal

AMOUNT_CASES = [
    # digits, Dutch separators
    ("12.000", D("12000")),
    ("12000", D("12000")),
    ("12.50", D("12.50")),
    ("12,5", D("12.5")),
    ("1.250.000", D("1250000")),
    ("1.250.000,75", D("1250000.75")),
    ("12.500,50 euro", D("12500.50")),
    ("1000000000000000", D("1000000000000000")),
    # money markers
    ("€ 12.500,-", D("12500")),
    ("€12.500", D("12500")),
    ("€ 12.500", D("12500")),
    ("EUR 1.250", D("1250")),
    ("1.250 eur", D("1250")),
    ("750 euro's", D("750")),
    ("12k", D("12000")),
    ("12K euro", D("12000")),
    ("1,5k", D("1500")),
    ("€ 0", D("0")),
    ("nul euro", D("0")),
    # multipliers after digits
    ("1,5 miljoen", D("1500000")),
    ("1.5 miljoen", D("1500000")),
    ("2 ton", D("200000")),
    ("3 miljard", D("3000000000")),
    ("12 duizend euro", D("12000")),
    # number words
    ("twaalfduizend", D("12000")),
    ("vijftienhonderd euro", D("1500")),
    ("drie miljoen", D("3000000")),
    ("twee ton", D("200000")),
    ("eenentwintig", D("21")),
    ("tweeëntwintig", D("22")),
    ("vijfenveertigduizend", D("45000")),
    ("tweehonderdvijftig", D("250")),
    ("honderdduizend", D("100000")),
    ("honderdeneen", D("101")),
    ("twee miljoen vijfhonderdduizend euro", D("2500000")),
    ("Een miljoen", D("1000000")),
    ("één", D("1")),
    ("een", D("1")),  # the whole answer "een" is the number one
    ("een euro", D("1")),
    # halves
    ("tweeënhalf miljoen", D("2500000")),
    ("twee en een half miljoen", D("2500000")),
    ("een half miljoen", D("500000")),
    ("een halve ton", D("50000")),
    ("anderhalve ton", D("150000")),
    # negative amounts
    ("-500", D("-500")),
    ("min 500 euro", D("-500")),
    ("€ -500", D("-500")),
    ("-€500", D("-500")),
    ("plus minus 500 euro", D("500")),  # "plus minus" means "about"
    ("10-15 medewerkers", D("10")),  # a range, not minus fifteen
    # inside sentences; money beats other numbers
    ("ze besparen 12.000 euro per jaar op schoonmaakkosten", D("12000")),
    ("eenmalig 5.000 euro minder inwerkkosten", D("5000")),
    ("de prijs is 45k per jaar", D("45000")),
    ("een besparing van 5000 euro", D("5000")),
    ("met 3 mensen besparen we 12.000 euro", D("12000")),
    ("in 2023 was het € 40.000,-.", D("40000")),
    ("5k en 7k", D("5000")),  # two amounts ("tussen 5k en 7k"), never 12.000
    ("tweeduizend en vijfhonderd", D("2500")),
    ("12 500", D("12500")),  # a space before three digits groups thousands, as in Belgium
    ("1 250 000", D("1250000")),
    ("12 500,50", D("12500.50")),
    ("12 50", D("12")),  # not a group of three: two numbers, the first is read
    # no amount
    ("geen idee", None),
    ("", None),
    ("abc", None),
    ("euro", None),
    ("veel geld", None),
    ("heel veel", None),
    ("een besparing", None),
    ("half", None),
    ("ton", None),
    ("1e15", None),  # scientific notation is deliberately not an amount
    ("10^15", None),  # nor power notation: never a silent 10 or 15
    ("10^15 euro per jaar", None),
    ("10 ** 15", None),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNT_CASES)
def test_parse_amount(text: str, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", D("3")),
        ("drie", D("3")),
        ("2,5", D("2.5")),
        ("drie jaar", D("3")),
        ("tweeënhalf jaar", D("2.5")),
        ("één jaar", D("1")),
        ("een half jaar", D("0.5")),
        ("een jaar", None),  # the article alone is no number
        ("geen idee", None),
    ],
)
def test_parse_number(text: str, expected: Decimal | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.000", [AmountMatch(D("12000"), 0, 6, False)]),
        ("€ 12.500,-", [AmountMatch(D("12500"), 0, 10, True)]),
        ("12K euro", [AmountMatch(D("12000"), 0, 8, True)]),
        ("2 ton", [AmountMatch(D("200000"), 0, 5, True)]),
        ("drie miljoen", [AmountMatch(D("3000000"), 0, 12, True)]),
        ("twaalfduizend", [AmountMatch(D("12000"), 0, 13, False)]),
        ("min 500 euro", [AmountMatch(D("-500"), 0, 12, True)]),
        ("de prijs is 45k per jaar", [AmountMatch(D("45000"), 12, 15, True)]),
        (
            "3 mensen, 12.000 euro",
            [AmountMatch(D("3"), 0, 1, False), AmountMatch(D("12000"), 10, 21, True)],
        ),
        (
            "twee en drie",
            [AmountMatch(D("2"), 0, 4, False), AmountMatch(D("3"), 8, 12, False)],
        ),
        ("een besparing van 5000 euro", [AmountMatch(D("5000"), 18, 27, True)]),
        ("50 euro per ton", [AmountMatch(D("50"), 0, 7, True)]),
    ],
)
def test_find_amounts_spans_and_money(text: str, expected: list[AmountMatch]) -> None:
    assert find_amounts(text) == expected


def test_span_points_into_the_original_text() -> None:
    text = "We besparen ongeveer vijfenveertigduizend euro per jaar."
    [match] = find_amounts(text)
    assert text[match.start : match.end] == "vijfenveertigduizend euro"


def test_huge_numbers_parse_exactly() -> None:
    digits = "9" * 200
    assert parse_amount(f"{digits} miljoen euro") == D(digits + "000000")


def test_decomposed_diaeresis_is_read() -> None:
    assert parse_amount("twee" + "e\u0308" + "ntwintig euro") == D("22")


@pytest.mark.parametrize(
    "text",
    [
        "!?.,;:-()[]{}",
        "9" * 10_240,
        "1." * 5_000,
        "een " * 2_500,
        "-" * 10_000,
        ",-" * 5_000,
        "😀💶🤑",
        "\x00\x00\x00",
        "12\x00000",
        "\ud800",
        "١٢٣ ١٢",
        "1e999999999",
        "€€€ euro euro",
        "k K kk",
    ],
)
def test_never_raises(text: str) -> None:
    matches = find_amounts(text)
    assert all(isinstance(m.value, Decimal) for m in matches)
    parse_amount(text)
    parse_number(text)


def test_ten_kilobytes_of_digits_is_one_exact_number() -> None:
    assert parse_amount("9" * 10_240) == D("9" * 10_240)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("12500"), "€ 12.500,00"),
        (D("12500.5"), "€ 12.500,50"),
        (D("0"), "€ 0,00"),
        (D("0.005"), "€ 0,01"),  # half-up, not Babel's half-even
        (D("1.235"), "€ 1,24"),
        (D("1234567.891"), "€ 1.234.567,89"),
        (D("-12500"), "€ -12.500,00"),
        (D("9" * 30), "€ 999.999.999.999.999.999.999.999.999.999,00"),
    ],
)
def test_format_euro(amount: Decimal, expected: str) -> None:
    assert format_euro(amount) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (D("1.6"), "1,6"),
        (D("1.05"), "1,05"),
        (D("2"), "2,0"),
        (D("1.005"), "1,01"),
        (D("0.954"), "0,95"),
        (D("1234.5"), "1.234,5"),
    ],
)
def test_format_ratio(ratio: Decimal, expected: str) -> None:
    assert format_ratio(ratio) == expected


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (D("0.75"), "75%"),
        (D("0.5"), "50%"),
        (D("1"), "100%"),
        (D("0"), "0%"),
        (D("0.755"), "76%"),
    ],
)
def test_format_percent(weight: Decimal, expected: str) -> None:
    assert format_percent(weight) == expected


@pytest.mark.parametrize("formatter", [format_euro, format_ratio, format_percent])
def test_formatters_reject_non_finite(formatter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        formatter(D("NaN"))
