"""Reading stored values that may come from any version: a wrong type reads as empty, never raises."""

from __future__ import annotations

from typing import Any

__all__ = ["listed", "text", "whole"]


def text(value: Any) -> str:
    """The value if it is a string, else ""."""
    return value if isinstance(value, str) else ""


def whole(value: Any, default: int = 0) -> int:
    """A whole number (an int, or a float without fraction; not a bool); else ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def listed(value: Any) -> list[Any]:
    """The value if it is a list, else []."""
    return value if isinstance(value, list) else []
