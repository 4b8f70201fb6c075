"""The simplicity promise (versimpelingsbelofte): one concrete promise per audience.

For management, employees and customers in turn the salesperson words a promise, then
answers the follow-up questions on focus (what to leave out), easy and efficient (steps
for the customer, the step removed) and how the promise is measured. The result is a
promise card, which also appears in the conversation summary.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.coaching import coach
from actions.texts import label, render
from actions.validation import skip_cleared
from bot.promises import check_promise
from bot.text import MAX_FREE_TEXT, clean_text

__all__ = [
    "AUDIENCES",
    "ActionAskPromiseText",
    "ActionShowPromiseCard",
    "ActionStartSimplicityPromise",
    "ValidatePromiseForm",
    "promise_card_rows",
]

AUDIENCES = ("management", "employees", "customers")
PROMISE_SLOTS = ("promise_text", "promise_leave_out", "promise_easy", "promise_measure")
MIN_ANSWER = 3


def current_audience(tracker: Tracker) -> str | None:
    """The audience whose promise is being made, or None when all three are done."""
    done = len(tracker.get_slot("promises") or [])
    return AUDIENCES[done] if done < len(AUDIENCES) else None


def promise_card_rows(domain: DomainDict, promises: list[dict[str, str]]) -> str:
    """The promises as card rows, one block per audience."""
    return "\n".join(
        render(
            domain,
            "utter_promise_card_row",
            **{**item, "audience": label(domain, "audience", item["audience"])},
        )
        for item in promises
    )


class ActionStartSimplicityPromise(Action):
    """Starts the promise, or picks up where it was left; a finished card starts anew."""

    def name(self) -> str:
        return "action_start_simplicity_promise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        promises = tracker.get_slot("promises") or []
        if promises and current_audience(tracker) is not None:
            dispatcher.utter_message(response="utter_promise_resume")
            return []
        dispatcher.utter_message(response="utter_promise_intro")
        return [SlotSet("promises", []), *(SlotSet(slot, None) for slot in PROMISE_SLOTS)]


class ValidatePromiseForm(FormValidationAction):
    """Checks each promise for vagueness and coaches the wording of every answer."""

    def name(self) -> str:
        return "validate_promise_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return list(PROMISE_SLOTS) if current_audience(tracker) else []

    @skip_cleared
    def validate_promise_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = clean_text(value)[:MAX_FREE_TEXT]
        coaching = coach(text, "promise_text", dispatcher, tracker)
        check = check_promise(text)
        if not check.concrete:
            dispatcher.utter_message(
                response=f"utter_promise_{check.problem.value}" if check.problem else "utter_promise_empty",
                buzzwords=", ".join(check.buzzwords),
            )
            return {"promise_text": None, **coaching}
        return {"promise_text": text, **coaching}

    def _answer(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        text = clean_text(value)[:MAX_FREE_TEXT]
        if len(text) < MIN_ANSWER:
            dispatcher.utter_message(response="utter_promise_answer_too_short")
            return {slot: None}
        return {slot: text, **coach(text, slot, dispatcher, tracker)}

    @skip_cleared
    def validate_promise_leave_out(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer("promise_leave_out", value, dispatcher, tracker)

    @skip_cleared
    def validate_promise_easy(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer("promise_easy", value, dispatcher, tracker)

    @skip_cleared
    def validate_promise_measure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = self._answer("promise_measure", value, dispatcher, tracker)
        audience = current_audience(tracker)
        if answer["promise_measure"] is None or audience is None:
            return answer
        entry = {
            "audience": audience,
            "promise": tracker.get_slot("promise_text") or "",
            "leave_out": tracker.get_slot("promise_leave_out") or "",
            "easy": tracker.get_slot("promise_easy") or "",
            "measure": answer["promise_measure"],
        }
        dispatcher.utter_message(
            response="utter_promise_recorded", audience=label(domain, "audience", audience)
        )
        return {
            **answer,
            "promises": [*(tracker.get_slot("promises") or []), entry],
            **dict.fromkeys(PROMISE_SLOTS),
        }


class ActionAskPromiseText(Action):
    """Asks for the promise to the current audience, with what that promise is about."""

    def name(self) -> str:
        return "action_ask_promise_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response=f"utter_ask_promise_text_{current_audience(tracker) or 'customers'}"
        )
        return []


class ActionShowPromiseCard(Action):
    """Shows the promise card: per audience the promise, what it leaves out, what it makes easy, the measure."""

    def name(self) -> str:
        return "action_show_promise_card"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_promise_card", rows=promise_card_rows(domain, tracker.get_slot("promises") or [])
        )
        return []
