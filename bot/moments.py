"""Is a proposed moment for the next step concrete?

The coach only accepts a next step with a *concrete* moment: something that can go in
a calendar. A moment is concrete when the text names

* a day: a weekday (``maandag`` .. ``zondag``, also in compounds such as
  ``vrijdagmiddag`` and abbreviated ``ma``/``di``/... before a date or time),
  ``vandaag``, ``morgen`` (``morgenochtend``), ``overmorgen``, ``vanmiddag``,
  ``vanavond``, ``vanochtend``;
* a date: ``14 maart``, ``3 apr``, ``14e maart``, ``de 14e``, ``14-3``, ``14/03/2027``,
  ``14.03.2027``;
* or a clock time: ``10 uur``, ``om 15 uur``, ``10u``, ``9u30``, ``10.00``, ``9:30``,
  ``half tien``, ``kwart over drie``, ``om tien``, ``tien uur``.

So dates and times as people write them count: ``donderdag 12 juni om 14.00 uur``,
``dinsdag om 9 uur``, ``morgen voor 12.00 uur``, ``over twee weken op maandagochtend``.

A number of hours that is a *duration* is no clock time: ``binnen 4 uur``, ``8 uur per
dag``, ``2 uur lang``, ``12 uur stilstand``, ``ruim 3 uur``.

Vague moments are not concrete: ``volgende week``, ``binnenkort``, ``zo snel
mogelijk``, ``z.s.m.``, ``asap``, ``later``, ``ergens in maart``, ``deze maand``,
``begin april``, ``na de zomer``, ``in 2027``, the empty string. ``volgende week
dinsdag`` is concrete because it names a weekday.

Only the presence of a day, date or time is checked; a negation (``niet morgen``)
is not understood.
"""

from __future__ import annotations

import re

__all__ = ["is_concrete_moment"]

_MONTH = (
    r"(?:jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?"
    r"|aug(?:ustus)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct|nov(?:ember)?|dec(?:ember)?)"
)
_HOUR_WORD = r"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)"
_HOUR_NUM = r"(?:[01]?\d|2[0-3])"
_DAY_NUM = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_ORDINAL = r"(?:e|ste|de)"

_DAY_WORDS = re.compile(
    r"(?<!\w)(?:maan|dins|woens|donder|vrij|zater|zon)dag(?:ochtend|morgen|middag|avond)?(?!\w)"
    r"|\b(?:over)?morgen(?:ochtend|vroeg|middag|avond)?\b"
    r"|\bvandaag\b|\bvan(?:ochtend|morgen|middag|avond)\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b{_DAY_NUM}{_ORDINAL}?\s+{_MONTH}\b"
    rf"|\bde\s+{_DAY_NUM}{_ORDINAL}\b"
    rf"|\b{_DAY_NUM}[-/]{_MONTH_NUM}(?:[-/](?:\d{{4}}|\d{{2}}))?\b"
    rf"|\b{_DAY_NUM}\.{_MONTH_NUM}\.(?:\d{{4}}|\d{{2}})\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    rf"\b{_HOUR_NUM}[:.][0-5]\d\s*(?:uur|u|h)?\b"
    rf"|\b{_HOUR_NUM}u[0-5]\d\b"
    rf"|(?P<hours>\b{_HOUR_NUM}\s*(?:uur|u|h)\b)"
    rf"|\b(?:half|kwart\s+(?:over|voor))\s+(?:{_HOUR_WORD}|{_HOUR_NUM})\b"
    rf"|(?P<word_hours>\b(?!een\b){_HOUR_WORD}\s+uur\b)"
    rf"|\bom\s+(?:{_HOUR_WORD}|{_HOUR_NUM})\b"
    r"|\b(?:1[0-2]|0?[1-9])\s*(?:am|pm)\b",
    re.IGNORECASE,
)
_ABBREVIATED_DAY = re.compile(
    rf"\b(?:ma|di|wo|do|vr|za|zo)\.?\s+(?={_DAY_NUM}{_ORDINAL}?\s+{_MONTH}\b|{_DAY_NUM}[-/]"
    rf"|{_HOUR_NUM}[:.][0-5]\d|om\b)",
    re.IGNORECASE,
)

# Words before or after "N uur" that make it a duration, not a clock time.
_DURATION_BEFORE = re.compile(
    r"\b(?:binnen|in|per|ruim|bijna|ongeveer|circa|ca|maximaal|minimaal|hooguit|zo'n|elke|iedere"
    r"|extra|nog|wel|slechts|maar|pakweg|gemiddeld|totaal|dan|duurt|kost|kosten|scheelt)\s*$",
    re.IGNORECASE,
)
_DURATION_AFTER = re.compile(
    r"^\s*(?:per|lang|langer|korter|stilstand|extra|minder|meer|achterstand|werk\w*|wachttijd\w*"
    r"|wachten|vertraging|verlies|verloren|reistijd|overwerk|aan|in\s+de\s+(?:week|maand)|per\s+\w+)\b",
    re.IGNORECASE,
)

_PATTERNS = (_DAY_WORDS, _DATE, _ABBREVIATED_DAY)


def _is_clock_time(match: re.Match[str]) -> bool:
    """Whether a time match is a clock time, not a number of hours ("binnen 4 uur")."""
    if match.group("hours") is None and match.group("word_hours") is None:
        return True
    text = match.string
    return not (
        _DURATION_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
        or _DURATION_AFTER.match(text[match.end() :])
    )


def is_concrete_moment(text: str) -> bool:
    """Return True when ``text`` names a day, a date or a clock time (see module docstring)."""
    if not text or not text.strip():
        return False
    if any(pattern.search(text) for pattern in _PATTERNS):
        return True
    return any(_is_clock_time(match) for match in _TIME.finditer(text))
