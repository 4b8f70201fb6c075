"""The value conversation's confirmed value lines and price, read from the tracker's slots.

Slots hold JSON-friendly values (Decimal amounts as strings) so that trackers can be stored and
exported without loss; a value line's item is read by :mod:`bot.slot_shapes.value_lines`.
"""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker

from bot.slot_shapes.value_lines import line_from_slot
from bot.value_model import Price, ValueLine

__all__ = [
    "price",
    "value_lines",
]


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
