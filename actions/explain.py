"""'Waarom vraag je dat?': explains the question being asked, or the verdict; a figure said with the
question ("waarom wil je dat weten? goed, 42 euro per uur") is read as the answer too."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.price import price_turn
from actions.value_lines import value_turn
from bot.amounts import find_amounts
from bot.text import clean_message

_VALUE_SLOTS = ("line_description", "line_certainty", "more_values")
_PRICE_SLOTS = ("price_one_off", "price_recurring", "contract_years")

__all__ = ["ActionExplainWhy"]


class ActionExplainWhy(Action):
    """Picks ``utter_why_<requested slot>``, else the verdict or the general explanation."""

    def name(self) -> str:
        return "action_explain_why"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = tracker.get_slot("requested_slot")
        response = f"utter_why_{slot}"
        if not (tracker.active_loop.get("name") and response in domain["responses"]):
            response = "utter_why_verdict" if tracker.get_slot("assessment") else "utter_why_general"
        dispatcher.utter_message(response=response)
        return [
            SlotSet(name, value) for name, value in _figures_said_with_it(dispatcher, tracker, domain).items()
        ]


def _figures_said_with_it(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """The slots after reading the message as the open question's answer, when it holds a figure."""
    text = str(tracker.latest_message.get("text") or "")
    slot = tracker.get_slot("requested_slot")
    if not tracker.active_loop.get("name") or not find_amounts(clean_message(text)):
        return {}
    if slot in _VALUE_SLOTS:
        return value_turn(text, dispatcher, tracker, domain)
    if slot in _PRICE_SLOTS:
        return price_turn(slot, text, dispatcher, tracker, domain)
    return {}
