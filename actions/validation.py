"""Shared behaviour of the form validation actions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

__all__ = ["skip_cleared"]

Validator = Callable[[Any, Any, CollectingDispatcher, Tracker, DomainDict], dict[str, Any]]


def skip_cleared(validate: Validator) -> Validator:
    """Leaves a slot alone when an action cleared it (set it to None) instead of the user.

    rasa-sdk validates every slot set since the user's last message, including slots that
    an action such as a removal just reset; those must not be read as an empty answer.
    """

    @functools.wraps(validate)
    def wrapper(
        self: Any, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {}
        return validate(self, value, dispatcher, tracker, domain)

    return wrapper
