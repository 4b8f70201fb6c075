"""The value question: how the client answered, and what that means."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

__all__ = ["ActionRespondClientAnswer"]


class ActionRespondClientAnswer(Action):
    """Coaches on the client's answer: agrees, doubts or refuses."""

    def name(self) -> str:
        return "action_respond_client_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answer = tracker.get_slot("client_answer") or "doubts"
        dispatcher.utter_message(response=f"utter_client_{answer}")
        return []
