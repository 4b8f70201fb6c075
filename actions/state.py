"""Conversions between slot values and :mod:`bot` objects.

Slots hold JSON-friendly values (Decimal amounts as strings) so that trackers can be
stored and exported without loss; the model objects are rebuilt from them here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker

from bot.value_model import Category, Frequency, Price, ValueLine

__all__ = [
    "line_from_slot",
    "line_to_slot",
    "price",
    "value_lines",
]


def line_to_slot(line: ValueLine) -> dict[str, str]:
    """A value line as a slot value."""
    return {
        "description": line.description,
        "amount": str(line.amount),
        "frequency": line.frequency.value,
        "category": line.category.value,
        "certainty": str(line.certainty),
    }


def line_from_slot(value: dict[str, Any]) -> ValueLine:
    """A value line from its slot value."""
    return ValueLine(
        description=str(value["description"]),
        amount=Decimal(value["amount"]),
        frequency=Frequency(value["frequency"]),
        category=Category(value["category"]),
        certainty=Decimal(value.get("certainty", "1")),
    )


def value_lines(tracker: Tracker) -> list[ValueLine]:
    """The confirmed value lines of the conversation."""
    return [line_from_slot(item) for item in tracker.get_slot("value_lines") or []]


def price(tracker: Tracker) -> Price | None:
    """The price from the price form's validated slots, or None when incomplete."""
    one_off = tracker.get_slot("price_one_off")
    per_year = tracker.get_slot("price_recurring")
    years = tracker.get_slot("contract_years")
    if one_off is None or per_year is None or years is None:
        return None
    return Price(one_off=Decimal(one_off), per_year=Decimal(per_year), years=int(years))
