"""The verdict: value against price, what it means for the client, and the advice."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import price, value_lines
from actions.texts import render
from bot.figures import assessment_figures, assessment_numbers, option_texts
from bot.options import option_figures, target_ratio
from bot.value_model import DISSATISFIED_BELOW, Assessment, Outcome, assess

__all__ = ["ActionAssessValue", "current_assessment", "explain_verdict", "option_variables", "slot_options"]


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


def current_assessment(tracker: Tracker) -> Assessment | None:
    """The assessment of the tracker's value lines and price, or None when either is missing."""
    lines, cost = value_lines(tracker), price(tracker)
    if cost is None or not lines:
        return None
    return assess(lines, cost, discount_rate())


def _options_for(assessment: Assessment) -> dict[str, Any] | None:
    target = target_ratio(assessment)
    return None if target is None else option_texts(option_figures(assessment, target))


def slot_options(tracker: Tracker) -> dict[str, Any] | None:
    """The figures of the three ways forward kept with the verdict (recomputed for older slots)."""
    kept = tracker.get_slot("assessment") or {}
    if "options" in kept:
        options: dict[str, Any] | None = kept["options"]
        return options
    assessment = current_assessment(tracker)
    return None if assessment is None else _options_for(assessment)


def option_variables(domain: DomainDict, assessment: Assessment) -> dict[str, Any] | None:
    """The variables of ``utter_option_figures``, or None for a promoter (nothing to reach)."""
    target = target_ratio(assessment)
    if target is None:
        return None
    figures = option_figures(assessment, target)
    texts = {**assessment_figures(assessment), **option_texts(figures)}
    goal = "pass" if target == DISSATISFIED_BELOW else "promoter"
    if assessment.price.per_year == 0:
        price_split = ""
    elif figures.max_price_per_year is None:
        price_split = render(domain, "utter_option_price_split_one_off_too_high", **texts)
    else:
        price_split = render(domain, "utter_option_price_split", **texts)
    budget = "covers" if figures.problem_covers_price else "short"
    return {
        **texts,
        "goal": render(domain, f"utter_option_goal_{goal}", **texts),
        "price_split": price_split,
        "budget": render(domain, f"utter_option_budget_{budget}", **texts),
    }


def explain_verdict(
    dispatcher: CollectingDispatcher, domain: DomainDict, assessment: Assessment
) -> dict[str, Any]:
    """Say the verdict, what it means, the advice and the figures of each way; the assessment slot."""
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
    options = option_variables(domain, assessment)
    if options is not None:
        dispatcher.utter_message(response="utter_option_figures", **options)
    kept = {**figures, "numbers": assessment_numbers(assessment), "options": _options_for(assessment)}
    return kept


class ActionAssessValue(Action):
    """Computes the assessment in :mod:`bot` and explains it, with the figures of each way forward."""

    def name(self) -> str:
        return "action_assess_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        assessment = current_assessment(tracker)
        if assessment is None:
            dispatcher.utter_message(response="utter_need_one_value_line")
            return []
        return [SlotSet("assessment", explain_verdict(dispatcher, domain, assessment))]
