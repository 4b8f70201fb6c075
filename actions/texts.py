"""Reading Dutch labels from the domain's responses.

Whole messages are sent with ``dispatcher.utter_message(response=..., **variables)``.
Some variables are themselves Dutch words (a frequency, a category); those labels are
responses too, named ``utter_<group>_<key>``, and are read here so that no Dutch text
lives in Python.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.types import DomainDict

__all__ = ["label", "render"]


def render(domain: DomainDict, response: str, **variables: Any) -> str:
    """The first text variant of ``response`` with ``variables`` filled in."""
    text: str = domain["responses"][response][0]["text"]
    return text.format(**variables) if variables else text


def label(domain: DomainDict, group: str, key: str) -> str:
    """The label ``utter_<group>_<key>``, e.g. ``label(domain, "frequency", "week")``."""
    return render(domain, f"utter_{group}_{key}")
