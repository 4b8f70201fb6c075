"""The ``value_lines`` and ``pending_lines`` slots: a list of value lines, each one item.

An item is ``{"description", "amount", "frequency", "category", "certainty"}``, all strings: the
amount and the certainty as exact decimals, the frequency and the category as their enum values.
Only the actions read it, strictly: :func:`line_from_slot` raises on an item the writer did not
make (a missing key, an unknown frequency, an amount that is not a number). A line stored before
certainties existed counts as certain.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.value_model import Category, Frequency, ValueLine

__all__ = ["line_from_slot", "line_to_slot"]


def line_to_slot(line: ValueLine) -> dict[str, str]:
    """A value line as an item of the slot."""
    return {
        "description": line.description,
        "amount": str(line.amount),
        "frequency": line.frequency.value,
        "category": line.category.value,
        "certainty": str(line.certainty),
    }


def line_from_slot(value: Mapping[str, Any]) -> ValueLine:
    """A value line from an item of the slot."""
    return ValueLine(
        description=str(value["description"]),
        amount=Decimal(value["amount"]),
        frequency=Frequency(value["frequency"]),
        category=Category(value["category"]),
        certainty=Decimal(value.get("certainty", "1")),
    )
