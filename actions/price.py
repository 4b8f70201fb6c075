"""The price form: one-off part, recurring part and contract length.

Each answer is read by :func:`bot.value_session.step`: an amount goes to the part its
words name (a monthly amount given to the one-off question fills the recurring part),
corrections change the earlier answer, and "terug" to the value lines leaves the form.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.draft import (
    VALUE_STEPS,
    SwitchingFormValidation,
    draft_from,
    form_slots,
    is_prefilled,
    render_turn,
    slots_of,
)
from actions.validation import skip_cleared
from bot.text import clean_message
from bot.value_session import Step, step

__all__ = ["ValidatePriceForm"]


def price_turn(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Read the answer to the price question ``slot``; the slots of the new draft."""
    if is_prefilled(value, tracker):
        return {slot: value}  # given earlier (e.g. with the value lines) and read back then
    text = clean_message(str(value))
    turn = step(draft_from(tracker, Step(slot)), text)
    render_turn(dispatcher, domain, turn)
    slots = slots_of(turn.draft)
    if turn.draft.at in VALUE_STEPS:  # back to the value lines, or a new line's certainty asked
        slots.update(switch_to="value_line_form", **form_slots(turn.draft, text))
    return slots


class ValidatePriceForm(SwitchingFormValidation):
    """Turns the price answers into exact amounts (the recurring part per year)."""

    def name(self) -> str:
        return "validate_price_form"

    @skip_cleared
    def validate_price_one_off(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return price_turn("price_one_off", value, dispatcher, tracker, domain)

    @skip_cleared
    def validate_price_recurring(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return price_turn("price_recurring", value, dispatcher, tracker, domain)

    @skip_cleared
    def validate_contract_years(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return price_turn("contract_years", value, dispatcher, tracker, domain)
