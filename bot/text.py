"""Cleaning free text typed by the salesperson before it is stored or shown back."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_FREE_TEXT", "clean_text", "without_asides"]

MAX_FREE_TEXT = 300  # characters kept for a description (client, value line, next step)

_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str | None) -> str:
    """Text without control characters, with runs of whitespace folded to one space."""
    if not text:
        return ""
    visible = "".join(
        char for char in text if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    return _WHITESPACE.sub(" ", visible).strip()


_ASIDE = re.compile(r"\([^)]*\)")


def without_asides(text: str) -> str:
    """``text`` with its remarks in brackets blanked out ("terug (looptijd checken)"): an aside
    says why, not what."""
    return _ASIDE.sub(" ", text)
