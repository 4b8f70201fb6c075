"""How sure is the client of a value line? From a Dutch answer to a weight.

The expected case of the value model weights each value line by the client's
certainty. An answer is read as a level word or as a percentage:

========== ================================================================ ======
level      examples                                                         weight
========== ================================================================ ======
`certain`  zeker, heel zeker, 100%, hard, staat in de begroting, gemeten    1.00
`likely`   waarschijnlijk, redelijk zeker, vrij zeker, grotendeels          0.75
`doubtful` twijfel, misschien, ongeveer de helft, 50/50, fifty-fifty        0.50
`guess`    onzeker, een gok, geen idee, weet niet, schatting, nauwelijks    0.25
========== ================================================================ ======

Rules, in order:

1. Negated and other multi-word phrases are read before single words, so
   ``niet zeker`` / ``weet het niet zeker`` is `guess` (not `certain`),
   ``niet helemaal zeker`` / ``niet 100% zeker`` is `doubtful`, ``redelijk zeker`` is
   `likely` and ``geen twijfel`` is `certain`. A phrase that matched is blanked out
   before the next step, so its words do not count twice.
2. A percentage (``80%``, ``voor 80 procent``, ``tachtig procent zeker``, ``62,5%``)
   gives that weight with ``level`` None; outside 0-100% the answer is rejected (None).
3. Level words. When several levels are named, the most cautious one wins
   (``waarschijnlijk, maar het blijft een gok`` is `guess`).
4. A bare fraction as the whole answer (``0,8``, ``0.75``, ``1,0``) or a bare whole
   number 0 or 10-100 (``80``) gives that weight with ``level`` None (a bare "3" is refused).

Anything else gives None.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.amounts import find_amounts

__all__ = ["Certainty", "CertaintyLevel", "parse_certainty"]


class CertaintyLevel(str, enum.Enum):
    """A named level of certainty; see the module docstring for the table."""

    CERTAIN = "certain"
    LIKELY = "likely"
    DOUBTFUL = "doubtful"
    GUESS = "guess"

    @property
    def weight(self) -> Decimal:
        """The weight (0..1) the expected case gives a line at this level."""
        return _WEIGHTS[self]


_WEIGHTS = {
    CertaintyLevel.CERTAIN: Decimal("1.00"),
    CertaintyLevel.LIKELY: Decimal("0.75"),
    CertaintyLevel.DOUBTFUL: Decimal("0.50"),
    CertaintyLevel.GUESS: Decimal("0.25"),
}

# Most cautious first: used to pick one level when several are named.
_CAUTION_ORDER = (
    CertaintyLevel.GUESS,
    CertaintyLevel.DOUBTFUL,
    CertaintyLevel.LIKELY,
    CertaintyLevel.CERTAIN,
)

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Certainty:
    """A parsed certainty: a level (None when given as a number) and its weight (0..1)."""

    level: CertaintyLevel | None
    weight: Decimal

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.weight <= Decimal(1):
            raise ValueError("certainty is a weight between 0 and 1")


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_ZEKER = r"(?:zeker|zeer\s+zeker)"
_FULLY = r"(?:helemaal|geheel|volledig|honderd\s+procent|100\s*%|100\s+procent|zo)"

# Step 1: negations and multi-word phrases containing words of another level.
_PHRASES: tuple[tuple[re.Pattern[str], CertaintyLevel], ...] = (
    (_compile(rf"\bniet\s+{_FULLY}\s+{_ZEKER}\b"), CertaintyLevel.DOUBTFUL),
    (_compile(rf"\b(?:helemaal\s+)?niet\s+{_ZEKER}\b"), CertaintyLevel.GUESS),
    (_compile(r"\bzeker\s+niet\b"), CertaintyLevel.GUESS),
    (_compile(r"\bwaarschijnlijk\s+niet\b"), CertaintyLevel.GUESS),
    (
        _compile(r"\b(?:weet|weten)\s+(?:(?:ik|het|we|wij|hij|zij|ze)\s+){0,2}(?:nog\s+)?niet\b"),
        CertaintyLevel.GUESS,
    ),
    (_compile(r"\bgeen\s+(?:flauw\s+)?(?:idee|benul)\b"), CertaintyLevel.GUESS),
    (_compile(r"\bnatte\s+vinger\b"), CertaintyLevel.GUESS),
    (_compile(r"\b(?:geen|zonder)\s+(?:enige\s+)?twijfel\b|\btwijfel\s+niet\b"), CertaintyLevel.CERTAIN),
    (
        _compile(
            r"\b50\s*/\s*50\b|\bfifty[\s-]*fifty\b|\bvijftig[\s-]*vijftig\b|\bhalf[\s-]*half\b|\bkop\s+of\s+munt\b"
        ),
        CertaintyLevel.DOUBTFUL,
    ),
    (
        _compile(r"\b(?:ongeveer|zo'?n|rond|circa|pakweg)\s+(?:de\s+)?helft\b|\bde\s+helft\b"),
        CertaintyLevel.DOUBTFUL,
    ),
    (
        _compile(
            r"\b(?:redelijk|vrij|vrijwel|bijna|best|aardig|tamelijk|behoorlijk|"
            r"nagenoeg|wel\s+redelijk)\s+zeker\b"
        ),
        CertaintyLevel.LIKELY,
    ),
    (
        _compile(
            r"\b(?:heel|zeer|erg|volkomen|absoluut|honderd\s+procent)\s+zeker\b"
            r"|\bzeker\s+weten\b|\bstaat\s+in\s+de\s+begroting\b"
        ),
        CertaintyLevel.CERTAIN,
    ),
)

# Step 3: single words.
_WORDS: tuple[tuple[re.Pattern[str], CertaintyLevel], ...] = (
    (
        _compile(
            r"\bonzeker\w*|\bgok\w*|\bgegokt\b|\bschatting\w*|\bgeschat\b|\bnauwelijks\b"
            r"|\bonwaarschijnlijk\b|\bspeculatief\b"
        ),
        CertaintyLevel.GUESS,
    ),
    (
        _compile(r"\btwijfel\w*|\bmisschien\b|\bwellicht\b|\bmogelijk\b|\bhelft\b" r"|\bonduidelijk\b"),
        CertaintyLevel.DOUBTFUL,
    ),
    (
        _compile(r"\bwaarschijnlijk\b|\bgrotendeels\b|\bvermoedelijk\b|\bredelijk\b" r"|\baannemelijk\b"),
        CertaintyLevel.LIKELY,
    ),
    (
        _compile(
            r"\bzeker\b|\b(?:kei)?harde?\b|\bbegroot\b|\bbegroting\b|\bgemeten\b"
            r"|\bmeting\w*|\babsoluut\b|\bgegarandeerd\b|\bbewezen\b|\bcontractueel\b"
            r"|\bvastgelegd\b|\bzekerheid\b"
        ),
        CertaintyLevel.CERTAIN,
    ),
)

_PERCENT_AFTER = _compile(r"\s*(?:%|procent\b|pct\b|p[rocent]{4,7}\b)")  # also "procnet", "percent"
_BARE_FRACTION = re.compile(r"^\s*([01])[.,](\d+)\s*$")
_BARE_WHOLE = re.compile(r"^\s*(\d{1,3})\s*$")


def _blank(text: str, match: re.Match[str]) -> str:
    """Replace the matched span by spaces, keeping every other offset intact."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def _first_percentage(text: str) -> Decimal | None:
    """The number of the first percentage in ``text`` (``80`` for ``80%``), or None."""
    for amount in find_amounts(text):
        if _PERCENT_AFTER.match(text, amount.end):
            return amount.value
    return None


_MIN_BARE_PERCENT = Decimal(10)


def _bare_number(text: str) -> Certainty | None:
    """A whole answer that is only a fraction (0..1) or a whole percentage (0..100)."""
    fraction = _BARE_FRACTION.match(text)
    if fraction:
        try:
            value = Decimal(f"{fraction.group(1)}.{fraction.group(2)}")
        except InvalidOperation:  # pragma: no cover - the regex only lets digits through
            return None
        return Certainty(level=None, weight=value) if value <= 1 else None
    whole = _BARE_WHOLE.match(text)
    if whole:
        value = Decimal(whole.group(1))
        # A bare "3" is more likely a miscount than 3%: only 10..100 (or 0) count as a percentage.
        plausible = value == 0 or _MIN_BARE_PERCENT <= value <= _HUNDRED
        return Certainty(level=None, weight=value / _HUNDRED) if plausible else None
    return None


def parse_certainty(text: str) -> Certainty | None:
    """Read how sure the client is from a Dutch answer; None when nothing is recognisable.

    See the module docstring for the levels, weights and the order of the rules.
    """
    if not text or not text.strip():
        return None
    work = text.lower().replace("’", "'")
    levels: set[CertaintyLevel] = set()
    for pattern, level in _PHRASES:
        for match in list(pattern.finditer(work)):
            levels.add(level)
            work = _blank(work, match)
    percentage = _first_percentage(work)
    if percentage is not None:
        if not Decimal(0) <= percentage <= _HUNDRED:
            return None
        return Certainty(level=None, weight=percentage / _HUNDRED)
    for pattern, level in _WORDS:
        if pattern.search(work):
            levels.add(level)
    for level in _CAUTION_ORDER:
        if level in levels:
            return Certainty(level=level, weight=level.weight)
    return _bare_number(text)
