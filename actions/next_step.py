"""The next step after the verdict, with a concrete moment."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.coaching import coach
from actions.validation import skip_cleared
from bot.moments import is_concrete_moment
from bot.next_steps import mentions_discount, parse_next_step
from bot.text import MAX_FREE_TEXT, clean_text

__all__ = ["ValidateNextStepForm"]


class ValidateNextStepForm(FormValidationAction):
    """Accepts one of the four next steps (never a discount) and a concrete moment."""

    def name(self) -> str:
        return "validate_next_step_form"

    @skip_cleared
    def validate_next_step(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = clean_text(value)
        if mentions_discount(text):
            dispatcher.utter_message(response="utter_next_step_discount_refused")
            return {"next_step": None}
        step = parse_next_step(text)
        if step is None:
            dispatcher.utter_message(response="utter_invalid_next_step")
            return {"next_step": None}
        return {"next_step": step.value}

    @skip_cleared
    def validate_next_step_moment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = clean_text(value)[:MAX_FREE_TEXT]
        coaching = coach(text, "next_step_moment", dispatcher, tracker)
        if not is_concrete_moment(text):
            if not coaching:  # a coaching flag already says why and what to say instead
                dispatcher.utter_message(response="utter_vague_moment")
            return {"next_step_moment": None, **coaching}
        return {"next_step_moment": text, **coaching}
