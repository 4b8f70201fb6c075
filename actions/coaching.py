"""Live coaching on the salesperson's wording, and discovery questions to ask the client.

The rules come from ``bot/coaching_rules.yml``. They are loaded when the action server
imports this module, so a broken rule file stops the server at start-up with an error
that names the file, the rule and the problem.

"Wat moet ik hem dan vragen?" (intent ``ask_discovery_questions``) is answered anywhere
by :class:`ActionSuggestDiscoveryQuestions`: questions picked by
:func:`bot.options.discovery_questions` from the value lines, with the extra value to
find when the verdict is known.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import value_lines
from actions.texts import label, render
from actions.verdict import slot_options
from bot.amounts import format_euro, format_percent
from bot.coaching import check_wording, load_rules
from bot.options import DiscoveryQuestion, discovery_questions
from bot.slot_shapes.coaching_flags import Flag, flags_to_slot

__all__ = ["RULES", "ActionSuggestDiscoveryQuestions", "coach", "suggest_questions"]

RULES = load_rules()


def coach(text: str, step: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Flags trust-damaging wording in ``text``; returns the slot update that records it.

    Each flag is shown with the problem and a better Dutch alternative, and added to the
    ``coaching_flags`` slot with the rule, the quoted text, the suggestion and the step
    of the conversation, so trainers can see it later. The flow itself carries on.
    """
    flags = check_wording(text, RULES, value_known=bool(tracker.get_slot("assessment")))
    if not flags:
        return {}
    for flag in flags:
        dispatcher.utter_message(
            response="utter_coaching_flag", quote=flag.quote, problem=flag.problem, suggestion=flag.suggestion
        )
    recorded = [Flag(flag.rule_id, flag.quote, flag.problem, flag.suggestion, step) for flag in flags]
    return {"coaching_flags": [*(tracker.get_slot("coaching_flags") or []), *flags_to_slot(recorded)]}


def _question_text(domain: DomainDict, question: DiscoveryQuestion) -> str:
    """One suggested question in Dutch, about its value line when it has one."""
    response = f"utter_discovery_question_{question.key}"
    line = question.line
    if line is None:
        return render(domain, response)
    return render(
        domain,
        response,
        description=line.description,
        amount=format_euro(line.amount),
        frequency=label(domain, "frequency", line.frequency.value),
        certainty=format_percent(line.certainty),
    )


def _unfill_requested_slot(tracker: Tracker) -> list[EventType]:
    """Undo the form slot that the question itself filled (a from_text mapping takes any text)."""
    requested = tracker.get_slot("requested_slot")
    if not tracker.active_loop.get("name") or not requested:
        return []
    if tracker.get_slot(requested) != tracker.latest_message.get("text"):
        return []
    return [SlotSet(requested, None)]


def suggest_questions(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> None:
    """Sends questions for the client, with the extra value to find when the verdict asks for it."""
    questions = "\n".join(
        _question_text(domain, question) for question in discovery_questions(value_lines(tracker))
    )
    options = slot_options(tracker) if tracker.get_slot("assessment") else None
    if options:
        dispatcher.utter_message(
            response="utter_discovery_questions_with_goal", questions=questions, **options
        )
    else:
        dispatcher.utter_message(response="utter_discovery_questions", questions=questions)


class ActionSuggestDiscoveryQuestions(Action):
    """Answers "wat moet ik hem dan vragen?" with concrete questions for the client."""

    def name(self) -> str:
        return "action_suggest_discovery_questions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        suggest_questions(dispatcher, tracker, domain)
        return _unfill_requested_slot(tracker)
