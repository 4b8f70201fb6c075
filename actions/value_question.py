"""The value question: how the client answered, and what that means."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.draft import SwitchingFormValidation, draft_from, form_slots, render_turn, slots_of
from bot.reactions import read_reaction
from bot.text import clean_message
from bot.value_session import Step, step

__all__ = ["ActionAskClientAnswer", "ActionRespondClientAnswer", "ValidateValueQuestionForm"]


class ValidateValueQuestionForm(SwitchingFormValidation):
    """Keeps the figures a salesperson gives while the client's reaction is asked.

    "ze hebben 6 storingen per jaar minder à 900 per storing" is no reaction of the client: the
    line is read back and kept for its certainty (as with the engagement answer), and the
    reaction is asked again.
    """

    def name(self) -> str:
        return "validate_value_question_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        figures = _figures(dispatcher, tracker, domain)  # rasa-sdk keeps only the form's own slots
        events = await super().run(dispatcher, tracker, domain)
        answered = any(e.get("event") == "slot" and e.get("name") == "client_answer" for e in events)
        text = _answer_text(tracker, domain)
        reaction = read_reaction(text) if text and not answered else None
        if reaction is not None:  # "ja hoor, dat vindt hij redelijk", which the NLU left unmapped
            events.append(SlotSet("client_answer", reaction.value))
        elif text and not answered and not figures:
            # neither a reaction nor figures: said so, and the reaction is asked again (not "Dat begreep ik niet")
            dispatcher.utter_message(response="utter_client_answer_unclear")
            events.append(SlotSet("client_answer", None))
        return events + [SlotSet(name, value) for name, value in figures.items()]


def _answer_text(tracker: Tracker, domain: DomainDict) -> str:
    """The message typed while the reaction is asked; "" otherwise, for buttons, and for the control
    intents that the rules answer ("waarom?", "help", "stop")."""
    if tracker.get_slot("requested_slot") != "client_answer" or tracker.get_slot("client_answer"):
        return ""
    if tracker.get_intent_of_latest_message(skip_fallback_intent=False) in _control_intents(domain):
        return ""
    text = clean_message(str(tracker.latest_message.get("text") or ""))
    return "" if text.startswith("/") else text


def _control_intents(domain: DomainDict) -> set[str]:
    """The intents that interrupt a form (the domain lists them once, for the value line's text)."""
    mappings = domain.get("slots", {}).get("line_description", {}).get("mappings", [])
    return {intent for mapping in mappings[:1] for intent in mapping.get("not_intent", [])}


def _figures(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
    """The value conversation's slots after reading the figures in the answer (taken, asked about or
    named as not used); {} when it has none. Also when the NLU read the reaction from the same
    message ("hij twijfelt, en stilstand kost ze 900 per uur")."""
    if tracker.get_slot("requested_slot") != "client_answer":
        return {}
    text = clean_message(str(tracker.latest_message.get("text") or ""))
    if not text or text.startswith("/"):
        return {}
    draft = draft_from(tracker, Step.ENGAGEMENT)
    turn = step(draft, text)
    if not turn.readback and turn.draft.lines == draft.lines and not turn.asks and not turn.unused:
        return {}  # no figures: the form asks as usual
    render_turn(dispatcher, domain, turn)
    return {**slots_of(turn.draft), **form_slots(turn.draft, text)}


class ActionAskClientAnswer(Action):
    """Asks the client's reaction: with the whole opening question, or briefly once figures were given."""

    def name(self) -> str:
        return "action_ask_client_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked_before = tracker.get_slot("requested_slot") == "client_answer"
        again = asked_before or tracker.get_slot("value_lines") or tracker.get_slot("pending_lines")
        dispatcher.utter_message(
            response="utter_ask_client_answer_again" if again else "utter_ask_client_answer"
        )
        return []


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
