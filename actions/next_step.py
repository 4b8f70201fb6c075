"""The next step after the verdict, with a concrete moment.

The method's rule (:func:`bot.next_steps.check_next_step`): below the threshold, naming
the price is refused once with the reason and the figures of the three other ways;
chosen again after that warning, it is accepted against the advice. At the moment
question the salesperson can still change the step ("toch liever drie opties").
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.after_verdict import verdict_change
from actions.coaching import coach, suggest_questions
from actions.draft import SwitchingFormValidation
from actions.texts import label
from actions.validation import skip_cleared
from actions.verdict import slot_options
from bot.figures import ratio_from_slot
from bot.moments import is_concrete_moment
from bot.next_steps import NextStep, check_next_step, moment_of, read_next_step
from bot.options import asks_for_ceiling, asks_for_questions
from bot.text import MAX_FREE_TEXT, clean_text

__all__ = ["PRICE_WARNING", "ValidateNextStepForm", "warned_since_verdict"]

PRICE_WARNING = "utter_next_step_price_below_threshold"


def warned_since_verdict(tracker: Tracker) -> bool:
    """True when the bot sent the below-threshold warning after the latest verdict."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_assess_value":
            return False
        if (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") == "utter_verdict"
        ):
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == PRICE_WARNING:
            return True
    return False


def choose(step: NextStep, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Apply the method's rule to ``step``; says why when it is refused. True when accepted."""
    assessment = tracker.get_slot("assessment") or {}
    check = check_next_step(step, ratio_from_slot(assessment), warned_since_verdict(tracker))
    options = slot_options(tracker) or {}
    if not check.accepted:
        figures = {key: value for key, value in assessment.items() if not isinstance(value, dict)}
        dispatcher.utter_message(response=PRICE_WARNING, **{**figures, **options})
        return False
    if check.against_advice:
        dispatcher.utter_message(response="utter_next_step_price_against_advice", **options)
    return True


class ValidateNextStepForm(SwitchingFormValidation):
    """Accepts one of the four next steps (never a discount) and a concrete moment."""

    def name(self) -> str:
        return "validate_next_step_form"

    @skip_cleared
    def validate_next_step(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        changed = verdict_change("next_step", value, dispatcher, tracker, domain)
        if changed is not None:
            return changed
        text = clean_text(value)
        answer = read_next_step(text)
        assessment = tracker.get_slot("assessment") or {}
        if answer.step is None and asks_for_ceiling(text) and assessment.get("max_price"):
            figures = {key: value for key, value in assessment.items() if not isinstance(value, dict)}
            dispatcher.utter_message(response="utter_price_ceiling", **figures)  # "hoeveel mag het kosten?"
            return {"next_step": None}
        if answer.step is None and asks_for_questions(text):  # the NLU missed "wat moet ik hem vragen?"
            suggest_questions(dispatcher, tracker, domain)
            return {"next_step": None}
        if answer.discount:
            dispatcher.utter_message(response="utter_next_step_discount_refused")
            return {"next_step": None}
        if answer.step is None:
            dispatcher.utter_message(response="utter_invalid_next_step")
            return {"next_step": None}
        if not choose(answer.step, dispatcher, tracker):
            return {"next_step": None}
        if is_concrete_moment(text):  # "eerst meer waarde zoeken, donderdag 14:00 bel ik hem"
            return {"next_step": answer.step.value, "next_step_moment": moment_of(text)}
        return {"next_step": answer.step.value}

    @skip_cleared
    def validate_next_step_moment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        changed = verdict_change("next_step_moment", value, dispatcher, tracker, domain)
        if changed is not None:
            return changed
        text = clean_text(value)[:MAX_FREE_TEXT]
        concrete = is_concrete_moment(text)
        answer = read_next_step(text)
        if not concrete and answer.step is None and asks_for_questions(text):
            suggest_questions(dispatcher, tracker, domain)
            return {"next_step_moment": None}
        if not concrete and answer.wants_other:
            dispatcher.utter_message(response="utter_next_step_choose_again")
            return {"next_step": None, "next_step_moment": None}
        if answer.discount and not concrete:
            dispatcher.utter_message(response="utter_next_step_discount_refused")
            return {"next_step_moment": None}
        current = tracker.get_slot("next_step")
        if answer.step is not None and not answer.discount and (answer.changes_mind or not concrete):
            if answer.step.value == current:
                if not concrete:
                    step_label = label(domain, "next_step_label", current)
                    dispatcher.utter_message(response="utter_next_step_unchanged", next_step=step_label)
                    return {"next_step_moment": None}
            else:
                return self._change_step(
                    answer.step, moment_of(text) if concrete else None, dispatcher, tracker, domain
                )
        coaching = coach(text, "next_step_moment", dispatcher, tracker)
        if not concrete:
            if not coaching:  # a coaching flag already says why and what to say instead
                dispatcher.utter_message(response="utter_vague_moment")
            return {"next_step_moment": None, **coaching}
        return {"next_step_moment": text, **coaching}

    @staticmethod
    def _change_step(
        step: NextStep,
        moment: str | None,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A change of mind at the moment question: the new step, checked like a first choice."""
        if not choose(step, dispatcher, tracker):
            return {"next_step": None, "next_step_moment": None}
        dispatcher.utter_message(
            response="utter_next_step_changed", next_step=label(domain, "next_step_label", step.value)
        )
        if moment is None:
            return {"next_step": step.value, "next_step_moment": None}
        return {
            "next_step": step.value,
            "next_step_moment": moment,
            **coach(moment, "next_step_moment", dispatcher, tracker),
        }
