"""The verdict: value against price, what it means for the client, and the advice."""

from __future__ import annotations

import os
from decimal import Decimal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import price, value_lines
from actions.texts import render
from bot.figures import assessment_figures, assessment_numbers
from bot.value_model import Outcome, assess

__all__ = ["ActionAssessValue"]


def discount_rate() -> Decimal:
    """The yearly discount rate from WAARDECOACH_DISCOUNT_RATE (e.g. '0.04'); default 0."""
    return Decimal(os.environ.get("WAARDECOACH_DISCOUNT_RATE", "0"))


def payback_text(domain: DomainDict, months: int | None) -> str:
    """'direct bij de start', 'na 7 maanden' or 'niet binnen de looptijd'."""
    if months is None:
        return render(domain, "utter_payback_never")
    if months == 0:
        return render(domain, "utter_payback_at_start")
    return render(domain, "utter_payback_months", months=months)


class ActionAssessValue(Action):
    """Computes the assessment in :mod:`bot` and explains it."""

    def name(self) -> str:
        return "action_assess_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lines, cost = value_lines(tracker), price(tracker)
        if cost is None or not lines:
            dispatcher.utter_message(response="utter_need_one_value_line")
            return []
        assessment = assess(lines, cost, discount_rate())
        figures = assessment_figures(assessment)
        dispatcher.utter_message(
            response="utter_verdict",
            payback=payback_text(domain, assessment.payback_months),
            **figures,
        )
        if assessment.extra_value_needed:
            dispatcher.utter_message(response="utter_verdict_extra_value_needed", **figures)
        dispatcher.utter_message(response=f"utter_outcome_{assessment.outcome.value}", **figures)
        advice = "promoter" if assessment.outcome is Outcome.PROMOTER else "not_enough"
        dispatcher.utter_message(response=f"utter_advice_{advice}")
        return [SlotSet("assessment", {**figures, "numbers": assessment_numbers(assessment)})]
