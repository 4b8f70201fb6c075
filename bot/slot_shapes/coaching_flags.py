"""The ``coaching_flags`` slot: every coaching flag shown so far, in order, each with the step it was raised at.

The slot holds a list of ``{"rule", "quote", "problem", "suggestion", "step"}``, all strings. The
actions append to it (:func:`flags_to_slot` of the new flags); the trainer pages read it with
:func:`flags_from_slot`, which takes what any version stored: an item that is not a mapping is
skipped, a missing or mistyped field reads as "".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.slot_shapes.lenient import listed, text

__all__ = ["Flag", "flags_from_slot", "flags_to_slot"]


@dataclass(frozen=True)
class Flag:
    """A coaching flag: the rule that fired, the quoted words, the problem, a better wording, the step."""

    rule: str
    quote: str
    problem: str
    suggestion: str
    step: str


def flags_to_slot(flags: Iterable[Flag]) -> list[dict[str, str]]:
    """The flags as the slot's items."""
    return [
        {
            "rule": flag.rule,
            "quote": flag.quote,
            "problem": flag.problem,
            "suggestion": flag.suggestion,
            "step": flag.step,
        }
        for flag in flags
    ]


def flags_from_slot(value: Any) -> tuple[Flag, ...]:
    """The flags in a stored slot value, leniently."""
    return tuple(
        Flag(
            rule=text(item.get("rule")),
            quote=text(item.get("quote")),
            problem=text(item.get("problem")),
            suggestion=text(item.get("suggestion")),
            step=text(item.get("step")),
        )
        for item in listed(value)
        if isinstance(item, Mapping)
    )
