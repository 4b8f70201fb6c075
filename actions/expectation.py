"""The expectation check: three questions for every client interaction, and who the customer is."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.coaching import coach
from actions.texts import label
from actions.validation import skip_cleared
from bot.expectations import classify_expectation, place_client, same_party
from bot.text import MAX_FREE_TEXT, clean_text
from bot.value_model import Outcome

__all__ = ["ActionPlaceClient", "ActionStartExpectationCheck", "ValidateExpectationForm"]

EXPECTATION_SLOTS = (
    "expectation_level",
    "expectation_treatment",
    "expectation_extra",
    "customer_payer",
    "customer_user",
    "value_measured_for",
)
MIN_ANSWER = 3
_MEASURED_FOR = {"betal": "payer", "gebruik": "user", "beide": "both", "allebei": "both", "twee": "both"}


class ActionStartExpectationCheck(Action):
    """Clears a previous expectation check and introduces the three questions."""

    def name(self) -> str:
        return "action_start_expectation_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_expectation_intro")
        return [SlotSet(slot, None) for slot in (*EXPECTATION_SLOTS, "client_placement")]


def _free_answer(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    text = clean_text(value)[:MAX_FREE_TEXT]
    if len(text) < MIN_ANSWER:
        dispatcher.utter_message(response="utter_expectation_answer_too_short")
        return {slot: None}
    return {slot: text, **coach(text, slot, dispatcher, tracker)}


class ValidateExpectationForm(FormValidationAction):
    """Reads the expectation answer, coaches the wording, and asks whose value was measured."""

    def name(self) -> str:
        return "validate_expectation_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        payer, user = tracker.get_slot("customer_payer"), tracker.get_slot("customer_user")
        if payer and user and same_party(payer, user):
            return [slot for slot in EXPECTATION_SLOTS if slot != "value_measured_for"]
        return list(EXPECTATION_SLOTS)

    @skip_cleared
    def validate_expectation_level(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = _free_answer("expectation_level", value, dispatcher, tracker)
        if answer["expectation_level"] and classify_expectation(answer["expectation_level"]) is None:
            dispatcher.utter_message(response="utter_expectation_level_unclear")
            return {**answer, "expectation_level": None}
        return answer

    @skip_cleared
    def validate_expectation_treatment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _free_answer("expectation_treatment", value, dispatcher, tracker)

    @skip_cleared
    def validate_expectation_extra(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _free_answer("expectation_extra", value, dispatcher, tracker)

    @skip_cleared
    def validate_customer_payer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _free_answer("customer_payer", value, dispatcher, tracker)

    @skip_cleared
    def validate_customer_user(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = _free_answer("customer_user", value, dispatcher, tracker)
        payer = tracker.get_slot("customer_payer") or ""
        if answer["customer_user"] and same_party(payer, answer["customer_user"]):
            return {**answer, "customer_user": payer, "value_measured_for": "same"}
        return answer

    @skip_cleared
    def validate_value_measured_for(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        lowered = clean_text(value).lower()
        measured = next((key for stem, key in _MEASURED_FOR.items() if stem in lowered), None)
        if measured is None:
            dispatcher.utter_message(response="utter_value_measured_for_unclear")
        return {"value_measured_for": measured}


class ActionPlaceClient(Action):
    """Places the client in one of the three outcomes, with the reason."""

    def name(self) -> str:
        return "action_place_client"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        level = classify_expectation(tracker.get_slot("expectation_level") or "")
        if level is None:
            dispatcher.utter_message(response="utter_expectation_level_unclear")
            return []
        figures = tracker.get_slot("assessment") or {}
        verdict = Outcome(figures["outcome"]) if figures.get("outcome") else None
        outcome, reason = place_client(level, verdict)
        measured_for = tracker.get_slot("value_measured_for") or "same"
        dispatcher.utter_message(
            response=f"utter_client_placed_{reason.value}",
            outcome=label(domain, "outcome_label", outcome.value),
            ratio=figures.get("ratio") or "",
        )
        dispatcher.utter_message(
            response=f"utter_value_measured_for_{measured_for}",
            payer=tracker.get_slot("customer_payer") or "",
            user=tracker.get_slot("customer_user") or "",
        )
        return [SlotSet("client_placement", {"outcome": outcome.value, "reason": reason.value})]
