"""The summary the salesperson can copy: client, value lines, price, verdict, next step."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.promise import current_audience, promise_card_rows
from actions.state import value_lines
from actions.texts import label, render
from actions.value_lines import value_line_rows
from bot.figures import ratio_from_slot
from bot.next_steps import NextStep, step_label_key

__all__ = ["ActionOfferFollowUp", "ActionSummarize", "summary_step_key"]


def summary_step_key(step: str, assessment: dict[str, Any] | None) -> str:
    """The label key of the chosen step, consistent with the verdict (never 'met vertrouwen' below it)."""
    try:
        return step_label_key(NextStep(step), ratio_from_slot(assessment))
    except ValueError:
        return step


class ActionSummarize(Action):
    """Sends the summary of everything gathered so far; unknown parts say so."""

    def name(self) -> str:
        return "action_summarize"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        missing = render(domain, "utter_summary_missing")
        figures = tracker.get_slot("assessment") or {}
        answer = tracker.get_slot("client_answer")
        step, moment = tracker.get_slot("next_step"), tracker.get_slot("next_step_moment")
        dispatcher.utter_message(
            response="utter_summary",
            engagement=tracker.get_slot("engagement") or missing,
            client_answer=label(domain, "client_answer", answer) if answer else missing,
            lines=value_line_rows(domain, value_lines(tracker)) or missing,
            price_line=render(domain, "utter_summary_price_line", **figures) if figures else missing,
            outcome_line=render(
                domain,
                "utter_summary_outcome_line",
                **{**figures, "outcome": label(domain, "outcome_label", figures["outcome"])},
            )
            if figures
            else missing,
            next_step_line=render(
                domain,
                "utter_summary_next_step_line",
                next_step=label(domain, "next_step_label", summary_step_key(step, figures)),
                next_step_moment=moment,
            )
            if step and moment
            else missing,
            promise_card=promise_card_rows(domain, tracker.get_slot("promises") or [])
            or render(domain, "utter_promise_card_missing"),
        )
        return []


class ActionOfferFollowUp(Action):
    """Offers what to do next; a promise that was started but not finished comes first."""

    def name(self) -> str:
        return "action_offer_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        unfinished = bool(tracker.get_slot("promises")) and current_audience(tracker) is not None
        started = unfinished or any(
            tracker.get_slot(slot) for slot in ("promise_text", "promise_leave_out", "promise_easy")
        )
        dispatcher.utter_message(
            response="utter_after_summary_resume_promise" if started else "utter_after_summary"
        )
        return []
