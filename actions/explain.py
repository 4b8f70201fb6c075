"""'Waarom vraag je dat?': explains the question being asked, or the verdict."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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
        return []
