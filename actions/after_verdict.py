"""After the verdict: a changed price, contract length or value line, or going back.

At the next-step questions, :func:`verdict_change` first lets :func:`bot.value_session.step`
read the answer. When it changes a figure, the verdict is computed and shown again and
the next step is asked anew; "terug" or "naar de prijs" ask the price questions again here, each answer kept until it is
changed ("klopt" keeps it), and the verdict is shown again after the last. Anything
else (the next step itself, its moment) is left to the next-step form.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.draft import (
    PRICE_STEPS,
    VALUE_STEPS,
    draft_from,
    form_slots,
    is_prefilled,
    render_turn,
    slots_of,
)
from actions.verdict import discount_rate, explain_verdict
from bot.amounts import format_euro
from bot.moments import is_concrete_moment
from bot.next_steps import read_next_step
from bot.text import clean_message
from bot.value_model import assess
from bot.value_session import Step, Turn, step

__all__ = ["ActionAskNextStep", "verdict_change"]

# What the value conversation's reading says that the next-step form cannot.
_CHANGES = frozenset(
    {
        "price_one_off_read",
        "price_recurring_read",
        "contract_years_read",
        "line_changed",
        "line_read",
        "went_to_rehearsal",
        "went_back",
        "went_to_price",
        "went_to_value",
    }
)
_QUESTIONS = frozenset(
    {
        "ask_amount",
        "ask_arithmetic",
        "ask_frequency",
        "ask_contract_length",
        "ask_which_line",
        "ask_negative",
        "ask_too_large",
    }
)
_NEXT_STEP_KINDS = frozenset(
    {"next_step_taken", "moment_taken", "ask_moment", "ask_next_step", "ask_confirm_price"}
)


def _ours(turn: Turn, text: str) -> bool:
    kinds = {said.kind for said in turn.said}
    if kinds & _CHANGES:
        return True
    return bool(kinds & _QUESTIONS) and read_next_step(text).step is None and not is_concrete_moment(text)


def verdict_change(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any] | None:
    """The slots after a change of figures or a move back; None when the answer is about the next step."""
    if is_prefilled(value, tracker):
        return None
    text = clean_message(str(value))
    before = draft_from(tracker, Step(slot))
    turn = step(before, text)
    if not before.reopened and not _ours(turn, text):
        return None
    shown = Turn(turn.draft, tuple(s for s in turn.said if s.kind not in _NEXT_STEP_KINDS))
    render_turn(dispatcher, domain, shown)
    slots: dict[str, Any] = {**slots_of(turn.draft), "next_step": None, "next_step_moment": None}
    if turn.draft.reopened:  # a price question asked again, its answer kept until it is changed
        draft = turn.draft
        dispatcher.utter_message(
            response=f"utter_reopened_{draft.at.value}",
            one_off=format_euro(draft.one_off or Decimal(0)),
            per_year=format_euro(draft.per_year or Decimal(0)),
            years=draft.years,
        )
    elif turn.draft.at in PRICE_STEPS:
        slots["switch_to"] = "price_form"
    elif turn.draft.at in VALUE_STEPS:
        slots.update(switch_to="value_line_form", **form_slots(turn.draft, text))
    elif turn.draft.mode == "roleplay":
        slots["switch_to"] = "action_start_roleplay"
    elif any(said.kind == "verdict_again" for said in turn.said) and turn.draft.price is not None:
        dispatcher.utter_message(response="utter_turn_verdict_again")
        assessment = assess(turn.draft.lines, turn.draft.price, discount_rate())
        slots["assessment"] = explain_verdict(dispatcher, domain, assessment)
    return slots


class ActionAskNextStep(Action):
    """Asks for the next step, unless a price question was just asked again (it waits for that answer)."""

    def name(self) -> str:
        return "action_ask_next_step"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.get_slot("reopened_steps"):
            dispatcher.utter_message(response="utter_ask_next_step")
        return []
