"""Tests for :mod:`bot.value_lines`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.value_lines import (
    MAX_LINE_AMOUNT,
    LineProblem,
    ParsedLine,
    detect_category,
    find_frequency,
    parse_frequency,
    parse_value_line,
)
from bot.value_model import Category, Frequency

D = Decimal


def _line(text: str) -> ParsedLine:
    result = parse_value_line(text)
    assert isinstance(result, ParsedLine), result
    return result


# ---------------------------------------------------------------- whole lines


@pytest.mark.parametrize(
    ("text", "amount", "frequency", "category"),
    [
        (
            "ze besparen 12.000 euro per jaar op schoonmaakkosten",
            "12000",
            Frequency.YEAR,
            Category.COST_SAVING,
        ),
        ("eenmalig 5.000 euro minder inwerkkosten", "5000", Frequency.ONE_OFF, Category.COST_SAVING),
        ("extra omzet van 2 ton per jaar", "200000", Frequency.YEAR, Category.EXTRA_REVENUE),
        (
            "vijftienhonderd euro per maand minder energiekosten",
            "1500",
            Frequency.MONTH,
            Category.COST_SAVING,
        ),
        ("minder ziekteverzuim, dat scheelt 8k per jaar", "8000", Frequency.YEAR, Category.COST_SAVING),
        ("in 2026 besparen ze 12000 per jaar", "12000", Frequency.YEAR, Category.COST_SAVING),
        ("elk kwartaal 3.000 euro minder kosten", "3000", Frequency.QUARTER, Category.COST_SAVING),
        ("per kwartaal 750 euro extra opbrengst", "750", Frequency.QUARTER, Category.EXTRA_REVENUE),
        ("jaarlijks 20k meer inkomsten", "20000", Frequency.YEAR, Category.EXTRA_REVENUE),
        ("maandelijks 400 euro goedkoper", "400", Frequency.MONTH, Category.COST_SAVING),
        ("wekelijks 250 euro minder schade aan pallets", "250", Frequency.WEEK, Category.RISK_REDUCTION),
        ("1 miljoen euro per jaar aan extra verkoop", "1000000", Frequency.YEAR, Category.EXTRA_REVENUE),
        ("een betere sfeer, ter waarde van 1000 euro per jaar", "1000", Frequency.YEAR, Category.OTHER),
        (
            "Als we kijken naar vorig jaar denk ik dat ze met drie mensen zo'n 15 duizend euro "
            "per jaar besparen op inhuur",
            "15000",
            Frequency.YEAR,
            Category.COST_SAVING,
        ),
        ("één keer per maand 600 euro minder kosten", "600", Frequency.MONTH, Category.COST_SAVING),
        ("niet per maand maar per jaar 900 euro besparing", "900", Frequency.YEAR, Category.COST_SAVING),
        ("bij de start 2.500 euro goedkoper", "2500", Frequency.ONE_OFF, Category.COST_SAVING),
    ],
)
def test_value_lines(text: str, amount: str, frequency: Frequency, category: Category) -> None:
    line = _line(text)
    assert (line.amount, line.frequency, line.category) == (D(amount), frequency, category)
    assert line.frequency_stated is True
    assert line.hours is None and line.hourly_rate is None


def test_time_saved_with_rate() -> None:
    line = _line("de facilitair manager is 2 uur per week minder kwijt, die kost 55 euro per uur")
    assert line == ParsedLine(
        amount=D(110),
        frequency=Frequency.WEEK,
        category=Category.TIME_SAVED,
        hours=D(2),
        hourly_rate=D(55),
        frequency_stated=True,
    )


@pytest.mark.parametrize(
    ("text", "hours", "rate", "amount", "frequency"),
    [
        ("2 uur per week à 55 euro", "2", "55", "110", Frequency.WEEK),
        ("2 uur per week a 55 euro", "2", "55", "110", Frequency.WEEK),
        ("4 uur per maand, uurtarief 80 euro", "4", "80", "320", Frequency.MONTH),
        ("4 uur per maand, uurtarief is 80", "4", "80", "320", Frequency.MONTH),
        ("per uur 55 euro, 2 uur per week", "2", "55", "110", Frequency.WEEK),
        ("anderhalf uur per week à 60 euro", "1.5", "60", "90", Frequency.WEEK),
        ("een half uur per week, 50 euro per uur", "0.5", "50", "25", Frequency.WEEK),
        ("elke week 3 uren minder administratie van 45 euro per uur", "3", "45", "135", Frequency.WEEK),
        ("2,5 uur per week tegen 40 euro p/u", "2.5", "40", "100", Frequency.WEEK),
        ("6 uur per kwartaal, €60/uur", "6", "60", "360", Frequency.QUARTER),
        ("30 minuten per week à 60 euro", "0.5", "60", "30", Frequency.WEEK),
        ("10 uur per jaar minder uitval, tarief 100 euro", "10", "100", "1000", Frequency.YEAR),
    ],
)
def test_time_saved_variants(text: str, hours: str, rate: str, amount: str, frequency: Frequency) -> None:
    line = _line(text)
    assert line.hours == D(hours)
    assert line.hourly_rate == D(rate)
    assert line.amount == D(amount)
    assert line.frequency is frequency
    assert line.category is Category.TIME_SAVED


def test_minutes_are_rounded_to_two_decimals() -> None:
    line = _line("20 minuten per dag à 60 euro")
    assert (line.amount, line.hours, line.frequency) == (D("100"), D("1.67"), Frequency.WEEK)
    assert _line("20 minuten per week, 55 euro per uur").amount == D("18.33")


def test_per_uur_is_never_a_frequency() -> None:
    line = _line("2 uur minder werk, 50 euro per uur")
    assert line.frequency is Frequency.YEAR
    assert line.frequency_stated is False
    assert line.amount == D(100)


def test_hours_with_a_money_total() -> None:
    line = _line("2 uur per week minder werk, dat scheelt 500 euro per maand")
    assert (line.amount, line.frequency) == (D(500), Frequency.MONTH)
    assert line.hours == D(2)
    assert line.hourly_rate is None
    assert line.category is Category.TIME_SAVED


@pytest.mark.parametrize(
    "text",
    [
        "in 2026 besparen ze 12.000 euro",
        "in 2026 besparen ze 12000",
        "vanaf 2026 zo'n 12 duizend aan kosten minder",
    ],
)
def test_year_numbers_are_not_the_amount(text: str) -> None:
    line = _line(text)
    assert line.amount == D(12000)
    assert line.frequency is Frequency.YEAR
    assert line.frequency_stated is False


def test_a_year_alone_is_read_when_nothing_else_is_there() -> None:
    assert _line("2026").amount == D(2026)


def test_risk_without_frequency_defaults_to_year() -> None:
    line = _line("het risico op een boete van 50.000 euro daalt")
    assert line.amount == D(50000)
    assert line.frequency is Frequency.YEAR
    assert line.frequency_stated is False
    assert line.category is Category.RISK_REDUCTION


# ---------------------------------------------------------------- daily -> week x 5


@pytest.mark.parametrize(
    ("text", "amount", "hours"),
    [
        ("3 uur per dag à 50 euro", "750", "15"),
        ("dagelijks een uur minder zoeken, die kost 40 euro per uur", "200", "5"),
        ("100 euro per werkdag minder brandstofkosten", "500", None),
        ("elke dag 20 euro goedkoper", "100", None),
    ],
)
def test_daily_becomes_week_times_five(text: str, amount: str, hours: str | None) -> None:
    line = _line(text)
    assert line.frequency is Frequency.WEEK
    assert line.frequency_stated is True
    assert line.amount == D(amount)
    assert line.hours == (None if hours is None else D(hours))


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "amount", "frequency"),
    [
        ("2x per maand 300 euro", "600", Frequency.MONTH),
        ("twee keer per jaar 5000 euro minder kosten", "10000", Frequency.YEAR),
        ("3 keer per week 40 euro", "120", Frequency.WEEK),
        ("2 keer per dag 10 euro", "100", Frequency.WEEK),
        ("een keer per maand 600 euro", "600", Frequency.MONTH),
    ],
)
def test_counted_frequency_multiplies(text: str, amount: str, frequency: Frequency) -> None:
    line = _line(text)
    assert (line.amount, line.frequency, line.frequency_stated) == (D(amount), frequency, True)


# ---------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("heel veel", LineProblem.NO_AMOUNT),
        ("", LineProblem.NO_AMOUNT),
        ("per maand", LineProblem.NO_AMOUNT),
        ("-500 euro per jaar", LineProblem.NEGATIVE),
        ("ze besparen € -500 per jaar", LineProblem.NEGATIVE),
        ("min 500 euro per jaar", LineProblem.NEGATIVE),
        ("10000000000000000 euro", LineProblem.TOO_LARGE),
        ("200 miljoen euro per jaar", LineProblem.TOO_LARGE),
        ("0 euro", LineProblem.ZERO),
        ("0 uur per week à 50 euro", LineProblem.ZERO),
        ("2 uur per week minder werk", LineProblem.HOURS_WITHOUT_RATE),
        ("2 uur per week, 55 euro", LineProblem.HOURS_WITHOUT_RATE),
    ],
)
def test_problems(text: str, problem: LineProblem) -> None:
    assert parse_value_line(text) is problem


def test_max_line_amount_itself_is_allowed() -> None:
    assert _line("100000000 euro eenmalig").amount == MAX_LINE_AMOUNT


def test_daily_amount_above_max_after_times_five() -> None:
    assert parse_value_line("30 miljoen euro per dag") is LineProblem.TOO_LARGE


def test_range_is_not_negative() -> None:
    line = _line("2-3 uur per week à 50 euro")
    assert line.amount > 0


# ---------------------------------------------------------------- frequency


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("kwartaal", Frequency.QUARTER),
        ("per kwartaal", Frequency.QUARTER),
        ("elk kwartaal", Frequency.QUARTER),
        ("driemaandelijks", Frequency.QUARTER),
        ("jaarlijks", Frequency.YEAR),
        ("per jaar", Frequency.YEAR),
        ("p/j", Frequency.YEAR),
        ("op jaarbasis", Frequency.YEAR),
        ("elk jaar", Frequency.YEAR),
        ("maandelijks", Frequency.MONTH),
        ("maandelijkse", Frequency.MONTH),
        ("per maand", Frequency.MONTH),
        ("p/m", Frequency.MONTH),
        ("elke maand", Frequency.MONTH),
        ("wekelijks", Frequency.WEEK),
        ("per week", Frequency.WEEK),
        ("elke week", Frequency.WEEK),
        ("eenmalig", Frequency.ONE_OFF),
        ("eenmalige", Frequency.ONE_OFF),
        ("één keer", Frequency.ONE_OFF),
        ("een keer", Frequency.ONE_OFF),
        ("eenmaal", Frequency.ONE_OFF),
        ("bij de start", Frequency.ONE_OFF),
        ("één keer per maand", Frequency.MONTH),
        ("Per Jaar", Frequency.YEAR),
        ("€500 p.m.", Frequency.MONTH),
        ("2x per maand", Frequency.MONTH),
        ("niet per maand, per jaar", Frequency.YEAR),
        ("dagelijks", Frequency.WEEK),
    ],
)
def test_parse_frequency(text: str, frequency: Frequency) -> None:
    assert parse_frequency(text) is frequency


@pytest.mark.parametrize("text", ["", "per uur", "55 euro per uur", "heel vaak", "deze maand"])
def test_parse_frequency_none(text: str) -> None:
    assert parse_frequency(text) is None


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("per dag", "5"),
        ("dagelijks", "5"),
        ("elke werkdag", "5"),
        ("per week", "1"),
        ("2x per week", "2"),
        ("drie keer per week", "3"),
        ("twee keer per dag", "10"),
    ],
)
def test_find_frequency_factor(text: str, factor: str) -> None:
    match = find_frequency(text)
    assert match is not None
    assert match.frequency is Frequency.WEEK
    assert match.factor == D(factor)
    assert (match.start, match.end) == (0, len(text))


def test_find_frequency_none() -> None:
    assert find_frequency("heel vaak") is None


# ---------------------------------------------------------------- category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("we besparen op papier", Category.COST_SAVING),
        ("bespaar op licenties", Category.COST_SAVING),
        ("minder kosten", Category.COST_SAVING),
        ("lagere schoonmaakkosten", Category.COST_SAVING),
        ("het wordt goedkoper", Category.COST_SAVING),
        ("dat scheelt", Category.COST_SAVING),
        ("meer omzet", Category.EXTRA_REVENUE),
        ("extra verkoop in de winkel", Category.EXTRA_REVENUE),
        ("meer klanten", Category.EXTRA_REVENUE),
        ("hogere opbrengst", Category.EXTRA_REVENUE),
        ("extra inkomsten", Category.EXTRA_REVENUE),
        ("2 uur minder werk", Category.TIME_SAVED),
        ("minder uren kwijt", Category.TIME_SAVED),
        ("tijdwinst", Category.TIME_SAVED),
        ("kortere tijd aan de telefoon", Category.TIME_SAVED),
        ("minder risico", Category.RISK_REDUCTION),
        ("geen boete meer", Category.RISK_REDUCTION),
        ("minder waterschade", Category.RISK_REDUCTION),
        ("minder incidenten", Category.RISK_REDUCTION),
        ("minder uitval van machines", Category.RISK_REDUCTION),
        ("geen claims", Category.RISK_REDUCTION),
        ("betere veiligheid", Category.RISK_REDUCTION),
        ("minder kosten door minder risico", Category.RISK_REDUCTION),
        ("betere sfeer", Category.OTHER),
        ("", Category.OTHER),
    ],
)
def test_detect_category(text: str, category: Category) -> None:
    assert detect_category(text) is category


# ---------------------------------------------------------------- corrections
