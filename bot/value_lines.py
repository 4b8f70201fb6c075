"""Reading a value line from one Dutch sentence: amount, frequency and category.

``parse_value_line`` turns "ze besparen 12.000 euro per jaar op schoonmaakkosten"
into a :class:`ParsedLine` (12000, ``YEAR``, ``COST_SAVING``), or returns a
:class:`LineProblem` code that the chatbot turns into a Dutch re-ask.

Amount
    Amounts come from :func:`bot.amounts.find_amounts`. Numbers that belong to a
    frequency phrase (``één keer``) are skipped. A money-marked amount (€, euro, EUR,
    k, ton, miljoen) wins over a plain number; otherwise the first plain number is
    used, skipping a four-digit year (19xx/20xx written in digits) and a bare ``een``
    when another number is there. An amount preceded by ``niet`` ("niet 1500 maar
    15.000") is skipped when another amount is there. A plain number without a unit is
    taken as euros: ``12000 per jaar`` is 12000.

Time saved
    A number directly followed by ``uur``/``uren``/``u`` (or ``minuten``, counted as a
    fraction of an hour; also ``een uur``, ``anderhalf uur``) is a number of hours.
    The hourly rate is a number marked by ``per uur``, ``p/u``, ``/uur``, ``/u`` after
    it, or by ``uurtarief``, ``uurloon``, ``tarief``, ``per uur``, ``à``/``a``/``@`` or
    ``tegen`` before it. The amount is hours × rate and the category is always
    ``TIME_SAVED``; "2 uur per week à 55 euro" is 110 per week. An amount or a number
    of hours with more than two decimals (20 minutes) is rounded half-up to cents.
    ``per uur`` is never a frequency. Hours without a rate give
    ``HOURS_WITHOUT_RATE``, unless a money amount directly followed by a frequency is
    also there ("2 uur per week, dat scheelt 500 euro per maand"): that amount is the
    line, with ``hours`` set and ``hourly_rate`` None.

Frequency
    ============ ==================================================================
    ``ONE_OFF``  eenmalig, één keer, een keer, eenmaal, bij de start, bij aanvang
    ``WEEK``     per week, wekelijks, elke/iedere week, p/w, /week, in de week
    ``MONTH``    per maand, maandelijks, elke/iedere maand, p/m, /maand, per mnd
    ``QUARTER``  per kwartaal, kwartaal, elk kwartaal, driemaandelijks
    ``YEAR``     per jaar, jaarlijks, elk/ieder jaar, p/j, p.j., /jaar, op jaarbasis,
                 per annum
    daily        per dag, per werkdag, dagelijks, elke (werk)dag, p/d, /dag
    ============ ==================================================================

    A day is not a supported frequency: a daily amount is turned into a weekly one
    with :data:`WORKING_DAYS_PER_WEEK` (5) working days, so "3 uur per dag à 50 euro"
    is 750 per week (hours 15). A count before a period multiplies the amount:
    "2x per maand 300 euro" is 600 per month, "twee keer per dag 10 euro" is 100 per
    week; ``één keer per maand`` is simply monthly. A frequency phrase preceded by
    ``niet`` ("niet per maand maar per jaar") is ignored. When a sentence has several
    frequency phrases, the one nearest the amount (or the hours) is used.
    With no frequency phrase the line is yearly and ``frequency_stated`` is False.

Category (:func:`detect_category`), first rule that matches:
    1. ``RISK_REDUCTION``: risico, boete, schade, incident, uitval, claim, veilig(heid),
       storing, ongeval, ongeluk, datalek, aansprakelijk, rechtszaak, sanctie. Risk
       wins over cost saving: "het risico op een boete van 50.000 euro daalt".
    2. ``EXTRA_REVENUE``: omzet, verkoop/verkopen, meer/nieuwe/extra klanten,
       opbrengst, inkomsten, winst (not tijdwinst), upsell, marge.
    3. ``TIME_SAVED``: uur, uren, uurtje, minuten, tijd, tijdwinst, tijdsbesparing.
    4. ``COST_SAVING``: besparen/bespaar/besparing, kost/kosten (also in compounds such
       as schoonmaakkosten), goedkoper, scheelt/schelen, uitgaven, zuiniger, korting.
       So "minder ziekteverzuim, dat scheelt 8k per jaar" is ``COST_SAVING``
       (ziekteverzuim itself is no keyword).
    5. ``OTHER``.

Problems, checked in this order: ``NO_AMOUNT`` (no number at all), ``NEGATIVE``
(a minus sign or ``min`` before the amount, not a range like ``2-3``),
``HOURS_WITHOUT_RATE``, ``ZERO``, ``TOO_LARGE`` (more than :data:`MAX_LINE_AMOUNT`
per occurrence, taken for a typo).

Known limits: "500 euro minder omzet" is read as a positive amount; a sentence with
two value lines ("eenmalig 5.000 en daarna 100 per maand") yields only the first; a
count of people or items is not multiplied in ("3 medewerkers besparen elk 500 euro"
is 500); a plain number without a unit is taken for euros.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.amounts import AmountMatch, find_amounts, parse_number
from bot.value_model import Category, Frequency

__all__ = [
    "MAX_LINE_AMOUNT",
    "WORKING_DAYS_PER_WEEK",
    "FrequencyMatch",
    "LineProblem",
    "ParsedLine",
    "detect_category",
    "find_frequencies",
    "find_frequency",
    "parse_frequency",
    "parse_value_line",
]

MAX_LINE_AMOUNT = Decimal("100000000")  # 100 miljoen per occurrence; larger is a typo
WORKING_DAYS_PER_WEEK = Decimal(5)

_ONE = Decimal(1)
_CENT = Decimal("0.01")
_MINUTES_PER_HOUR = Decimal(60)


class LineProblem(str, enum.Enum):
    """Why a sentence could not be read as a value line."""

    NO_AMOUNT = "no_amount"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    ZERO = "zero"
    HOURS_WITHOUT_RATE = "hours_without_rate"


@dataclass(frozen=True)
class ParsedLine:
    """A value line read from a sentence; ``amount`` is per occurrence of ``frequency``."""

    amount: Decimal
    frequency: Frequency
    category: Category
    hours: Decimal | None
    hourly_rate: Decimal | None
    frequency_stated: bool


@dataclass(frozen=True)
class FrequencyMatch:
    """A frequency phrase in a text, from ``start`` to ``end``.

    ``factor`` is what an amount stated with this phrase must be multiplied by to be
    per ``frequency``: 5 (:data:`WORKING_DAYS_PER_WEEK`) for a daily phrase, which is
    reported as ``WEEK``; the count of "2x per maand" / "drie keer per jaar"; both for
    "2 keer per dag" (10); 1 otherwise.
    """

    frequency: Frequency
    factor: Decimal
    start: int
    end: int


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# "één keer" is one-off unless a period follows ("één keer per maand").
_NOT_A_PERIOD = r"(?!\s*(?:per\b|in\s+de\b|in\s+het\b|elke\b|iedere?\b|p/|/|a\s+|à\s*))"

_FREQUENCY_PATTERNS: tuple[tuple[re.Pattern[str], Frequency, Decimal], ...] = (
    (
        _compile(
            r"\b(?:één|eén|een)malig\w*|\beenmaal\b"
            + _NOT_A_PERIOD
            + r"|(?:\b(?:een|1)|(?<!\w)(?:één|eén))\s*(?:keer|maal)\b"
            + _NOT_A_PERIOD
            + r"|\bbij\s+(?:de\s+)?(?:start|aanvang|invoering|implementatie)\b"
            + r"|\b(?:one[\s-]?off)\b"
        ),
        Frequency.ONE_OFF,
        _ONE,
    ),
    (
        _compile(
            r"\bper\s+week\b|\bwekelijks\w*|\b(?:elke|iedere)\s+week\b|\bp/w\b|/\s*week\b"
            r"|\bin\s+de\s+week\b|\bweek\s+na\s+week\b|\bp\.w\.\B"
        ),
        Frequency.WEEK,
        _ONE,
    ),
    (
        _compile(
            r"\bper\s+(?:maand|mnd)\b|\bmaandelijks\w*|\b(?:elke|iedere)\s+maand\b|\bp/m\b"
            r"|/\s*(?:maand|mnd)\b|\bin\s+de\s+maand\b|\bmaand\s+na\s+maand\b|\bp\.m\.\B"
        ),
        Frequency.MONTH,
        _ONE,
    ),
    (
        _compile(r"\bkwartaal\w*|\bdriemaandelijks\w*|\bp/k\b|/\s*kwartaal\b"),
        Frequency.QUARTER,
        _ONE,
    ),
    (
        _compile(
            r"\bper\s+jaar\b|\bjaarlijks\w*|\b(?:elk|ieder)\s+jaar\b|\bp/j\b|\bp\.j\.|/\s*jaar\b"
            r"|\bop\s+jaarbasis\b|\bper\s+annum\b|\bp\.a\.|\bjaar\s+na\s+jaar\b"
        ),
        Frequency.YEAR,
        _ONE,
    ),
    (
        _compile(
            r"\bper\s+(?:werk)?dag\b|\bdagelijks\w*|\b(?:elke|iedere)\s+(?:werk)?dag\b"
            r"|\bp/d\b|/\s*dag\b|\bdag\s+in\s+dag\s+uit\b"
        ),
        Frequency.WEEK,
        WORKING_DAYS_PER_WEEK,
    ),
)

_COUNT_BEFORE = _compile(r"(?<![\w.,])([0-9]+|[^\W\d_]+)\s*(?:x|×|keer|maal)\s*$")
_MAX_COUNT = Decimal(1000)
_NEGATED_BEFORE = _compile(r"\b(?:niet|geen)\s+(?:meer\s+)?(?:€\s*)?$")  # "per kwartaal, geen per jaar"

_HOURS_AFTER = _compile(r"\s*(?:uur|uren|uurtjes?|u|h|hrs?)\b(?!\s*(?:tarief|loon|prijs))")
_ONE_HOUR = _compile(r"(?<!\w)(?:een|één|eén)(?=\s+uur(?:tje)?\b)")
_MINUTES_AFTER = _compile(r"\s*(?:minuten|minuut|min)\b")
_RATE_AFTER = _compile(
    r"\s*(?:euro|eur|€|,-)?\s*(?:per\s+(?:uur|h)\b|p/u\b|p\.u\.|/\s*(?:uur|u|h)\b|het\s+uur\b)"
)
_RATE_BEFORE = _compile(
    r"(?:\buur(?:tarief|loon|prijs)|\btarief|\bper\s+uur\s*:?|(?<!\w)à|\ba|@|\btegen)"
    r"\s*(?:van|is|:|=|bedraagt|ligt\s+op|zo'?n|ongeveer|circa)?\s*(?:€|eur\b|euro\b)?\s*$"
)
_MINUS_BEFORE = _compile(r"(?:[-−–]|\bmin(?:us)?\s)\s*(?:€|eur\b|euro\b)?\s*$")
_UNIT_GAP = _compile(r"\s*(?:€|eur\b|euro\b|,-)?[\s,.]*")
_YEAR_DIGITS = re.compile(r"^(?:19|20)\d\d$")
_BARE_EEN = _compile(r"^(?:een|één|eén)$")

_RISK = _compile(
    r"risico|boete|schade|incident|uitval|claim|veilig|storing|ongeval|ongeluk|datalek"
    r"|aansprakelijk|rechtszaak|sanctie"
)
_REVENUE = _compile(
    r"omzet|\bverko(?:op|pen|cht)\w*|\b(?:meer|nieuwe|extra)\s+klanten\b|opbrengst"
    r"|inkomsten|\bwinst\w*|\bupsell\w*|\bmarge\b"
)
_TIME = _compile(r"\buur\b|\buren\b|\buurtjes?\b|\bminuten\b|\btijd\b|\btijd(?:s)?(?:winst|besparing)\b")
_COST = _compile(
    r"\bbespa\w*|kost(?:en|t|e|prijs|post|posten)?\b|\bgoedkoper\b|\bschee?l(?:t|en|de|den)\b"
    r"|uitgaven\b|\bzuiniger\b|\bkorting\b"
)


def find_frequencies(text: str) -> list[FrequencyMatch]:
    """Every non-negated frequency phrase in ``text``, left to right, without overlaps."""
    found: list[FrequencyMatch] = []
    for pattern, frequency, factor in _FREQUENCY_PATTERNS:
        for match in pattern.finditer(text):
            start, count = match.start(), _ONE
            counted = _COUNT_BEFORE.search(text, 0, start)
            if counted and frequency is not Frequency.ONE_OFF:
                number = parse_number(counted.group(1))
                if number is not None and number == number.to_integral_value() and (0 < number <= _MAX_COUNT):
                    start, count = counted.start(), number
            if _NEGATED_BEFORE.search(text, 0, start):
                continue
            found.append(FrequencyMatch(frequency, factor * count, start, match.end()))
    found.sort(key=lambda item: (item.start, -item.end))
    result: list[FrequencyMatch] = []
    for item in found:
        if result and item.start < result[-1].end:
            continue
        result.append(item)
    return result


def find_frequency(text: str) -> FrequencyMatch | None:
    """The first frequency phrase in ``text`` with its factor (5 for daily), or None."""
    frequencies = find_frequencies(text)
    return frequencies[0] if frequencies else None


def parse_frequency(text: str) -> Frequency | None:
    """The first frequency named in ``text``, or None.

    A daily phrase (per dag, dagelijks) is reported as ``WEEK`` and "2x per maand" as
    ``MONTH``; the factor they need (×5, ×2) is lost here, so a caller that holds an
    amount must use :func:`find_frequency` and multiply by its ``factor``.
    """
    match = find_frequency(text)
    return match.frequency if match else None


def detect_category(text: str) -> Category:
    """The category of a value line by keywords (see the module docstring for the order)."""
    for pattern, category in (
        (_RISK, Category.RISK_REDUCTION),
        (_REVENUE, Category.EXTRA_REVENUE),
        (_TIME, Category.TIME_SAVED),
        (_COST, Category.COST_SAVING),
    ):
        if pattern.search(text):
            return category
    return Category.OTHER


def _overlaps(match: AmountMatch, spans: list[tuple[int, int]]) -> bool:
    return any(match.start < end and start < match.end for start, end in spans)


def _is_negative(text: str, match: AmountMatch) -> bool:
    """A minus sign (or ``min``) directly before the amount, not a range like ``2-3``."""
    if match.value < 0:
        return True
    sign = _MINUS_BEFORE.search(text, 0, match.start)
    if sign is None:
        return False
    before = text[: sign.start()].rstrip()
    return not before or not before[-1].isdigit()


def _select_amount(text: str, candidates: list[AmountMatch]) -> AmountMatch | None:
    """The amount a sentence is about (see "Amount" in the module docstring)."""
    if not candidates:
        return None
    kept = [m for m in candidates if not _NEGATED_BEFORE.search(text, 0, m.start)] or candidates
    money = [m for m in kept if m.is_money]
    if money:
        return money[0]
    plain = [
        m
        for m in kept
        if not _YEAR_DIGITS.match(text[m.start : m.end].strip())
        and not _BARE_EEN.match(text[m.start : m.end].strip())
    ]
    return plain[0] if plain else kept[0]


def _nearest_frequency(
    text: str, frequencies: list[FrequencyMatch], anchor: AmountMatch
) -> FrequencyMatch | None:
    """The frequency phrase nearest to ``anchor``; after it wins a tie.

    A money unit right after the amount ("12.000 euro per jaar") does not count as
    distance.
    """
    best: tuple[int, int, FrequencyMatch] | None = None
    for item in frequencies:
        if item.start >= anchor.end:
            gap = text[anchor.end : item.start]
            distance = len(gap) - len(_UNIT_GAP.match(gap).group(0))  # type: ignore[union-attr]
            key = (distance, 0, item)
        elif item.end <= anchor.start:
            key = (anchor.start - item.end, 1, item)
        else:
            continue
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


@dataclass(frozen=True)
class _Reading:
    """The raw reading of a sentence, before problems are checked."""

    amount: Decimal
    anchor: AmountMatch
    category: Category | None  # None: decide by keywords
    hours: Decimal | None
    hourly_rate: Decimal | None


def _hours_of(text: str, match: AmountMatch) -> Decimal | None:
    if _HOURS_AFTER.match(text, match.end):
        return match.value
    if _MINUTES_AFTER.match(text, match.end):
        return match.value / _MINUTES_PER_HOUR
    return None


def _is_rate(text: str, match: AmountMatch) -> bool:
    return bool(_RATE_AFTER.match(text, match.end) or _RATE_BEFORE.search(text, 0, match.start))


def _read(text: str, frequencies: list[FrequencyMatch]) -> _Reading | LineProblem:
    """Find the amount (or hours × rate) in ``text``."""
    spans = [(item.start, item.end) for item in frequencies]
    matches = [m for m in find_amounts(text) if not _overlaps(m, spans)]
    hours = [(m, h) for m in matches if (h := _hours_of(text, m)) is not None]
    if not hours:
        # find_amounts skips the article "een"; "een uur" is one hour.
        one = _ONE_HOUR.search(text)
        if one and not any(s < one.end() and one.start() < e for s, e in spans):
            hours = [(AmountMatch(_ONE, one.start(), one.end(), False), _ONE)]
    if not hours:
        chosen = _select_amount(text, matches)
        if chosen is None:
            return LineProblem.NO_AMOUNT
        if _is_negative(text, chosen):
            return LineProblem.NEGATIVE
        return _Reading(chosen.value, chosen, None, None, None)
    hours_match, hours_value = hours[0]
    if _is_negative(text, hours_match):
        return LineProblem.NEGATIVE
    others = [m for m in matches if not _overlaps(m, [(h.start, h.end) for h, _ in hours])]
    rates = [m for m in others if _is_rate(text, m)]
    if rates:
        rate = rates[0]
        if _is_negative(text, rate):
            return LineProblem.NEGATIVE
        return _Reading(hours_value * rate.value, hours_match, Category.TIME_SAVED, hours_value, rate.value)
    totals = [
        m
        for m in others
        if m.is_money
        and any(
            _UNIT_GAP.match(text, m.end).end() == f.start  # type: ignore[union-attr]
            for f in frequencies
        )
    ]
    if totals:
        total = totals[0]
        if _is_negative(text, total):
            return LineProblem.NEGATIVE
        return _Reading(total.value, total, None, hours_value, None)
    return LineProblem.HOURS_WITHOUT_RATE


def _to_cents(value: Decimal) -> Decimal:
    """``value`` rounded half-up to two decimals when it has more (20 minutes = 0.33 h)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and abs(value) <= MAX_LINE_AMOUNT * 10:
        return value.quantize(_CENT, ROUND_HALF_UP)
    return value


def parse_value_line(text: str) -> ParsedLine | LineProblem:
    """Read one value line from a Dutch sentence (rules in the module docstring)."""
    if not text or not text.strip():
        return LineProblem.NO_AMOUNT
    frequencies = find_frequencies(text)
    reading = _read(text, frequencies)
    if isinstance(reading, LineProblem):
        return reading
    frequency = _nearest_frequency(text, frequencies, reading.anchor)
    factor = frequency.factor if frequency else _ONE
    amount = _to_cents(reading.amount * factor)
    hours = None if reading.hours is None else _to_cents(reading.hours * factor)
    if amount == 0:
        return LineProblem.ZERO
    if amount > MAX_LINE_AMOUNT:
        return LineProblem.TOO_LARGE
    return ParsedLine(
        amount=amount,
        frequency=frequency.frequency if frequency else Frequency.YEAR,
        category=reading.category or detect_category(text),
        hours=hours,
        hourly_rate=reading.hourly_rate,
        frequency_stated=frequency is not None,
    )
