"""Jinja filters for the review pages and exports: Dutch dates, euros, ratios, counts and Markdown escaping.

Times are shown in Amsterdam time, formatted by Babel for the Dutch locale; money goes
through :func:`bot.amounts.format_euro` (``€ 12.500,00``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_datetime, get_timezone
from babel.numbers import format_decimal

from bot.amounts import format_euro, format_ratio

__all__ = [
    "FILTERS",
    "dutch_date",
    "dutch_datetime",
    "dutch_time",
    "euro",
    "iso_time",
    "markdown_escape",
    "markdown_quote",
    "ratio",
    "thousands",
]

LOCALE = "nl_NL"
TIMEZONE = get_timezone("Europe/Amsterdam")
# Characters that would make stored text into markup (emphasis, links, HTML, tables);
# a "#" only at the start of a line, where it would make a heading.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])|^(#)", re.MULTILINE)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def dutch_datetime(moment: datetime) -> str:
    """'22 nov 2026 08:55' in Amsterdam time."""
    return format_datetime(moment, "d MMM y HH:mm", tzinfo=TIMEZONE, locale=LOCALE).replace(".", "")


def dutch_date(moment: datetime) -> str:
    """'zondag 22 november 2026' in Amsterdam time."""
    return format_datetime(moment, "EEEE d MMMM y", tzinfo=TIMEZONE, locale=LOCALE)


def dutch_time(moment: datetime) -> str:
    """'08:55' in Amsterdam time."""
    return format_datetime(moment, "HH:mm", tzinfo=TIMEZONE, locale=LOCALE)


def iso_time(moment: datetime) -> str:
    """ISO 8601 in Amsterdam time to the second: '2026-11-22T08:55:04+01:00'."""
    return _local(moment).replace(microsecond=0).isoformat()


def euro(amount: Decimal) -> str:
    """'€ 12.500,00'."""
    return format_euro(amount)


def ratio(value: Decimal) -> str:
    """'1,3'."""
    return format_ratio(value)


def thousands(number: int) -> str:
    """'100.000'."""
    return format_decimal(number, locale=LOCALE)


def markdown_escape(text: Any) -> str:
    """Text with Markdown's special characters escaped, so stored text stays literal text."""
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), str(text))


def markdown_quote(text: Any) -> str:
    """Escaped text as a Markdown block quote: every line kept, blank lines between paragraphs."""
    lines = markdown_escape(text).split("\n")
    quoted = []
    for number, line in enumerate(lines):
        line = line.rstrip()
        follows = number + 1 < len(lines) and lines[number + 1].strip()
        quoted.append(f"> {line}  " if line and follows else f"> {line}".rstrip())
    return "\n".join(quoted)


FILTERS: dict[str, Callable[..., str]] = {
    "dutch_date": dutch_date,
    "dutch_datetime": dutch_datetime,
    "dutch_time": dutch_time,
    "euro": euro,
    "iso_time": iso_time,
    "md": markdown_escape,
    "md_quote": markdown_quote,
    "ratio": ratio,
    "thousands": thousands,
}
