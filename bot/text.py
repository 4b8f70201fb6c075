"""Cleaning free text typed by the salesperson before it is stored or shown back."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_FREE_TEXT", "MAX_MESSAGE", "clean_message", "clean_text", "without_asides"]

MAX_FREE_TEXT = 300  # characters kept for a description (client, value line, next step)
MAX_MESSAGE = 1000  # characters of a message that are read for figures

_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r" ?\n[\s]*")


def _visible(text: str) -> str:
    return "".join(char for char in text if char.isspace() or not unicodedata.category(char).startswith("C"))


def clean_text(text: str | None) -> str:
    """Text without control characters, with runs of whitespace folded to one space."""
    return _WHITESPACE.sub(" ", _visible(text)).strip() if text else ""


def clean_message(text: str | None) -> str:
    """A message to read for figures: as :func:`clean_text`, but its line breaks kept (a list of
    value lines, a pasted table: the interpreter reads each line as a part) and at most
    ``MAX_MESSAGE`` characters."""
    if not text:
        return ""
    return _LINE_BREAKS.sub("\n", _SPACES.sub(" ", _visible(text.replace("\r\n", "\n")))).strip()[
        :MAX_MESSAGE
    ]


_ASIDE = re.compile(r"\([^)]*\)")


def without_asides(text: str) -> str:
    """``text`` with its remarks in brackets blanked out ("terug (looptijd checken)"): an aside
    says why, not what."""
    return _ASIDE.sub(" ", text)
