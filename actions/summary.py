"""The summary the salesperson can copy: client, value lines, price, verdict, next step."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import value_lines
from actions.texts import label, render
from actions.value_lines import value_line_rows

__all__ = ["ActionSummarize"]


class ActionSummarize(Action):
    """Sends the summary of everything gathered so far; unknown parts say so."""

    def name(self) -> str:
        return "action_summarize"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        missing = render(domain, "utter_summary_missing")
        figures = dict(tracker.get_slot("assessment") or {})
        answer = tracker.get_slot("client_answer")
        step = tracker.get_slot("next_step")
        outcome = figures.get("outcome")
        variables = {
            key: figures.get(key) or missing
            for key in (
                "price_one_off",
                "price_per_year",
                "years",
                "value_expected",
                "price",
                "surplus",
                "ratio",
            )
        }
        dispatcher.utter_message(
            response="utter_summary",
            engagement=tracker.get_slot("engagement") or missing,
            client_answer=label(domain, "client_answer", answer) if answer else missing,
            lines=value_line_rows(domain, value_lines(tracker)) or missing,
            outcome=label(domain, "outcome_label", outcome) if outcome else missing,
            next_step=label(domain, "next_step_label", step) if step else missing,
            next_step_moment=tracker.get_slot("next_step_moment") or missing,
            **variables,
        )
        dispatcher.utter_message(response="utter_after_summary")
        return []
