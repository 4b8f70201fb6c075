"""An assessment's figures as Dutch-formatted strings, ready to put in a message."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from bot.amounts import format_euro, format_ratio
from bot.options import OptionFigures
from bot.value_model import Assessment

__all__ = ["assessment_figures", "assessment_numbers", "option_texts", "ratio_from_slot"]


def assessment_figures(assessment: Assessment) -> dict[str, str | int | None]:
    """Money as '€ 12.500,00', the ratio as '1,6'; payback months stay a number."""
    return {
        "outcome": assessment.outcome.value,
        "years": assessment.years,
        "value_expected": format_euro(assessment.value_expected.total),
        "value_full": format_euro(assessment.value_full.total),
        "price": format_euro(assessment.price.total),
        "price_one_off": format_euro(assessment.price.one_off),
        "price_per_year": format_euro(assessment.price.per_year),
        "surplus": format_euro(assessment.surplus),
        "ratio": None if assessment.ratio is None else format_ratio(assessment.ratio),
        "payback_months": assessment.payback_months,
        "max_price": format_euro(assessment.max_justified_price),
        "extra_value_needed": format_euro(assessment.extra_value_needed),
        "extra_value_for_promoter": format_euro(assessment.extra_value_for_promoter),
    }


def assessment_numbers(assessment: Assessment) -> dict[str, str | None]:
    """The totals as plain decimal strings ('49580.00'), for charts and exports."""
    return {
        "value_expected": str(assessment.value_expected.total),
        "value_full": str(assessment.value_full.total),
        "price": str(assessment.price.total),
        "surplus": str(assessment.surplus),
        "ratio": None if assessment.ratio is None else str(assessment.ratio),
    }


def option_texts(figures: OptionFigures) -> dict[str, str | int | None]:
    """The figures of the three ways forward, money as '€ 12.500,00' and the target as '0,95'."""
    return {
        "target_ratio": format_ratio(figures.target),
        "years": figures.years,
        "gap": format_euro(figures.gap),
        "extra_value": format_euro(figures.extra_value),
        "extra_value_per_year": format_euro(figures.extra_value_per_year),
        "value_needed": format_euro(figures.value_needed),
        "max_price": format_euro(figures.max_price),
        "price_cut": format_euro(figures.price_cut),
        "max_price_per_year": None
        if figures.max_price_per_year is None
        else format_euro(figures.max_price_per_year),
        "problem_cost": format_euro(figures.problem_cost),
        "uncertain_value": format_euro(figures.uncertain_value),
    }


def ratio_from_slot(assessment: dict[str, Any] | None) -> Decimal | None:
    """The exact ratio kept in the ``assessment`` slot (its plain ``numbers``), or None."""
    numbers = (assessment or {}).get("numbers") or {}
    raw = numbers.get("ratio")
    if raw is None:
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None
