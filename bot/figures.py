"""An assessment's figures as Dutch-formatted strings, ready to put in a message."""

from __future__ import annotations

from bot.amounts import format_euro, format_ratio
from bot.value_model import Assessment

__all__ = ["assessment_figures", "assessment_numbers"]


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
