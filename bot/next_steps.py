"""The next step the salesperson agrees with the client, read from free text or a button."""

from __future__ import annotations

import enum
import re

__all__ = ["NextStep", "mentions_discount", "parse_next_step"]


class NextStep(str, enum.Enum):
    """The four ways forward after the verdict."""

    CONFIRM_PRICE = "confirm_price"
    RAISE_VALUE = "raise_value"
    THREE_OPTIONS = "three_options"
    EXPLAIN_BUDGET = "explain_budget"


# Checked in this order: the first pattern that matches decides.
_PATTERNS = (
    (NextStep.EXPLAIN_BUDGET, re.compile(r"budget|plafond")),
    (NextStep.THREE_OPTIONS, re.compile(r"optie|variant|scope|kleiner|pakket")),
    (NextStep.RAISE_VALUE, re.compile(r"meer waarde|waarde (zoeken|vinden|verhogen)|ontdek|doorvragen")),
    (NextStep.CONFIRM_PRICE, re.compile(r"bevestig|prijs (noemen|geven)|noem .*prijs|vertrouwen|afsluiten")),
)
_DISCOUNT = re.compile(
    r"korting|goedkoper|prijs (omlaag|verlagen|zakken)|lagere prijs|(laat|ga|zak) .*(zakken|omlaag)"
)


def parse_next_step(text: str) -> NextStep | None:
    """The next step that ``text`` names, or None."""
    lowered = text.lower()
    return next((step for step, pattern in _PATTERNS if pattern.search(lowered)), None)


def mentions_discount(text: str) -> bool:
    """True when ``text`` proposes a discount or a lower price."""
    return bool(_DISCOUNT.search(text.lower()))
