"""The value model at its boundaries, with discounting checked against numpy-financial."""

from __future__ import annotations

from decimal import Decimal

import numpy_financial as npf
import pytest

from bot.value_model import Category, Frequency, Outcome, Price, ValueLine, assess

D = Decimal


def line(amount: str, frequency: Frequency, certainty: str = "1") -> ValueLine:
    return ValueLine("regel", D(amount), frequency, Category.COST_SAVING, D(certainty))


def test_ratio_exactly_one_is_satisfied_not_promoter():
    result = assess([line("10000", Frequency.YEAR)], Price(D(0), D(10000), 3))
    assert result.ratio == 1
    assert result.surplus == 0
    assert not result.value_exceeds_price
    assert result.outcome is Outcome.SATISFIED
    assert result.extra_value_needed == 0
    assert result.extra_value_for_promoter == D("6000.00")


def test_zero_value_is_dissatisfied():
    result = assess([], Price(D(1000), D(0), 1))
    assert result.ratio == 0
    assert result.outcome is Outcome.DISSATISFIED
    assert result.extra_value_needed == D(1000)
    assert result.payback_months is None


def test_one_off_only():
    result = assess([line("5000", Frequency.ONE_OFF)], Price(D(4000), D(0), 2))
    assert result.value_full.total == D("5000.00")
    assert result.ratio == D("1.25")
    assert result.outcome is Outcome.PROMOTER
    assert result.payback_months == 0


def test_monthly_over_three_years():
    result = assess([line("1000", Frequency.MONTH)], Price(D(6000), D(6000), 3))
    assert result.value_full.total == D("36000.00")
    assert result.price.total == D("24000.00")
    assert result.ratio == D("1.5")
    # 6.000 up front is earned back at (12.000 - 6.000) / 12 = 500 a month: 12 months.
    assert result.payback_months == 12


def test_weekly_and_quarterly_lines():
    result = assess([line("110", Frequency.WEEK), line("1000", Frequency.QUARTER)], Price(D(0), D(1), 1))
    assert result.value_full.per_year == D(110 * 52 + 4000)


def test_certainty_weights_the_expected_case_only():
    result = assess(
        [line("10000", Frequency.YEAR, "0.5"), line("2000", Frequency.ONE_OFF, "0.25")],
        Price(D(0), D(4000), 2),
    )
    assert result.value_full.total == D("22000.00")
    assert result.value_expected.total == D("10500.00")
    assert result.surplus == D("2500.00")
    assert result.max_justified_price == D("10500.00")


@pytest.mark.parametrize(
    ("ratio_value", "outcome"),
    [
        ("94.99", Outcome.DISSATISFIED),
        ("95", Outcome.SATISFIED),
        ("119.99", Outcome.SATISFIED),
        ("120", Outcome.PROMOTER),
    ],
)
def test_outcome_band_edges(ratio_value, outcome):
    result = assess([line(ratio_value, Frequency.ONE_OFF)], Price(D(100), D(0), 1))
    assert result.outcome is outcome


def test_zero_price_has_no_ratio():
    result = assess([line("100", Frequency.YEAR)], Price(D(0), D(0), 1))
    assert result.ratio is None
    assert result.outcome is Outcome.PROMOTER


def test_payback_never_within_the_contract():
    result = assess([line("1000", Frequency.MONTH)], Price(D(50000), D(6000), 2))
    assert result.payback_months is None


def test_payback_never_when_the_yearly_price_outruns_the_value():
    result = assess([line("12000", Frequency.YEAR)], Price(D(0), D(15000), 2))
    assert result.payback_months is None


def test_payback_at_start_when_a_one_off_lead_lasts_the_contract():
    result = assess([line("10000", Frequency.ONE_OFF), line("100", Frequency.MONTH)], Price(D(0), D(1500), 2))
    assert result.payback_months == 0


def test_money_is_exact():
    result = assess(
        [line("0.10", Frequency.ONE_OFF), line("0.20", Frequency.ONE_OFF)], Price(D("0.30"), D(0), 1)
    )
    assert result.value_full.total == D("0.30")
    assert result.ratio == 1


@pytest.mark.parametrize(("rate", "years"), [("0.04", 3), ("0.08", 5), ("0.1", 1)])
def test_discounting_matches_numpy_financial(rate, years):
    result = assess(
        [line("12000", Frequency.YEAR), line("5000", Frequency.ONE_OFF)],
        Price(D(2000), D(9000), years),
        discount_rate=D(rate),
    )
    value_flows = [5000] + [12000] * years
    price_flows = [2000] + [9000] * years
    assert float(result.value_full.total) == pytest.approx(npf.npv(float(rate), value_flows), abs=0.005)
    assert float(result.price.total) == pytest.approx(npf.npv(float(rate), price_flows), abs=0.005)


@pytest.mark.parametrize(
    "make",
    [
        lambda: line("-1", Frequency.YEAR),
        lambda: line("1", Frequency.YEAR, "1.5"),
        lambda: Price(D(-1), D(0), 1),
        lambda: Price(D(0), D(0), 0),
        lambda: assess([], Price(D(1), D(0), 1), discount_rate=D("-0.1")),
    ],
)
def test_impossible_input_is_refused(make):
    with pytest.raises(ValueError):
        make()
