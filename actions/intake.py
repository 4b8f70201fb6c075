"""Starting a value conversation and the intake of client and engagement."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.draft import SwitchingFormValidation, draft_from, form_slots, render_turn, slots_of
from actions.validation import skip_cleared
from bot.text import MAX_FREE_TEXT, clean_message, clean_text
from bot.value_session import Step, step

__all__ = ["ActionStartValueConversation", "ValidateIntakeForm"]

# Everything one value conversation fills in; cleared when a new one starts. Other work
# in the same chat (the simplicity promise, coaching flags) is kept.
VALUE_CONVERSATION_SLOTS = (
    "engagement",
    "client_answer",
    "line_description",
    "line_certainty",
    "more_values",
    "pending_lines",
    "awaiting_factor",
    "price_recurring_basis",
    "reopened_steps",
    "switch_to",
    "price_one_off",
    "price_recurring",
    "contract_years",
    "assessment",
    "next_step",
    "next_step_moment",
)
MIN_ENGAGEMENT = 3


class ActionStartValueConversation(Action):
    """Starts a value conversation, or picks up an unfinished one so nothing is lost.

    A conversation is finished once its next step has a moment; only then does a new
    start clear it. An unfinished one is kept: the chained forms skip every question that
    already has an answer, so the salesperson lands on the first open question. "opnieuw"
    wipes everything instead.
    """

    def name(self) -> str:
        return "action_start_value_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("engagement") and not tracker.get_slot("next_step_moment"):
            dispatcher.utter_message(response="utter_resume_value_conversation")
            return []
        dispatcher.utter_message(response="utter_start_value_conversation")
        return [SlotSet(slot, None) for slot in VALUE_CONVERSATION_SLOTS] + [SlotSet("value_lines", [])]


class ValidateIntakeForm(SwitchingFormValidation):
    """Accepts a short free-text description of the client and the engagement."""

    def name(self) -> str:
        return "validate_intake_form"

    @skip_cleared
    def validate_engagement(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = clean_text(value)
        if not MIN_ENGAGEMENT <= len(text) <= MAX_FREE_TEXT:
            dispatcher.utter_message(response="utter_invalid_engagement", max_length=MAX_FREE_TEXT)
            return {"engagement": None}
        # "IT-helpdesk voor 3 scholen, scheelt ze 2.000 per maand, wij vragen 900 per maand":
        # the figures are kept and read back, not dropped
        turn = step(draft_from(tracker, Step.ENGAGEMENT), clean_message(value))
        if not turn.said:
            return {"engagement": text}
        render_turn(dispatcher, domain, turn)
        return {"engagement": text, **slots_of(turn.draft), **form_slots(turn.draft, text)}
