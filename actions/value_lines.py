"""Value discovery: value lines, their certainty and whether there are more.

The form ``value_line_form`` loops: a message with one or more value lines
(``line_description``), how sure the client is (``line_certainty``), then whether
there is more (``more_values``). Every answer is read by :func:`bot.value_session.step`,
which also takes price parts, corrections and "terug" from any of these questions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.draft import (
    SwitchingFormValidation,
    draft_from,
    form_slots,
    is_prefilled,
    render_turn,
    requested_step,
    slots_of,
    turn_line_variables,
)
from actions.state import value_lines
from actions.texts import render
from actions.validation import skip_cleared
from bot.amounts import find_amounts, format_euro
from bot.text import clean_message, clean_text
from bot.value_model import ValueLine
from bot.value_session import Draft, Step, step

__all__ = [
    "ActionAskLineCertainty",
    "ActionAskLineDescription",
    "ActionCorrectValueLine",
    "ActionListValueLines",
    "ActionRemoveValueLine",
    "ValidateValueLineForm",
    "value_line_rows",
]


def value_turn(
    text: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Read ``text`` at the open question of the value lines, say what was taken; the new slots."""
    turn = step(draft_from(tracker, requested_step(tracker)), clean_message(text))
    render_turn(dispatcher, domain, turn)
    return {**slots_of(turn.draft), **form_slots(turn.draft, text)}


class ValidateValueLineForm(SwitchingFormValidation):
    """Reads value lines, certainties and "more?" answers, and keeps the loop going."""

    def name(self) -> str:
        return "validate_value_line_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        has_lines = bool(tracker.get_slot("value_lines"))
        more = tracker.get_slot("more_values")
        if tracker.get_slot("line_description") is None and has_lines:
            if more is False:
                return []
            if more is None:
                return ["more_values"]
        return ["line_description", "line_certainty"]

    @skip_cleared
    def validate_line_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if is_prefilled(value, tracker):
            return {"line_description": value}  # read earlier (with the engagement): its certainty comes next
        return value_turn(str(value), dispatcher, tracker, domain)

    @skip_cleared
    def validate_line_certainty(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return value_turn(str(value), dispatcher, tracker, domain)

    @skip_cleared
    def validate_more_values(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(tracker.latest_message.get("text") or "")
        if not text or text.startswith("/"):  # a button: the intent is the answer
            return {"more_values": bool(value)}
        return value_turn(text, dispatcher, tracker, domain)


class ActionAskLineDescription(Action):
    """Asks for the first value line, or for the next one."""

    def name(self) -> str:
        return "action_ask_line_description"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("awaiting_factor"):
            return []  # the reply already asked what is missing (the cost per FTE, the rate, ...)
        if tracker.get_slot("value_lines"):
            dispatcher.utter_message(response="utter_ask_next_value_line")
            return []
        if tracker.get_intent_of_latest_message() == "finish_values":
            dispatcher.utter_message(response="utter_need_one_value_line")
        dispatcher.utter_message(response="utter_ask_first_value_line")
        return []


class ActionAskLineCertainty(Action):
    """Asks how sure the client is of the line(s) just read back."""

    def name(self) -> str:
        return "action_ask_line_certainty"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_lines") or []
        if len(pending) > 1:
            dispatcher.utter_message(response="utter_ask_lines_certainty", count=len(pending))
        else:
            dispatcher.utter_message(response="utter_ask_line_certainty")
        return []


class ActionCorrectValueLine(Action):
    """A correction ("nee, dat was 15.000", "de tweede regel is ..."), read like any answer."""

    def name(self) -> str:
        return "action_correct_value_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        lines = tracker.get_slot("value_lines") or tracker.get_slot("pending_lines")
        # "sorry rekenfout, moet 14.000 per maand zijn" before any line: the figure is still read
        if not lines and not tracker.get_slot("awaiting_factor") and not find_amounts(clean_text(text)):
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        slots = value_turn(text, dispatcher, tracker, domain)
        return [SlotSet(key, value) for key, value in slots.items()]


class ActionRemoveValueLine(Action):
    """Drops the lines waiting for their certainty, or else the last confirmed line."""

    def name(self) -> str:
        return "action_remove_value_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        draft = draft_from(tracker, requested_step(tracker))
        if draft.pending:
            removed, kept = draft.pending, Draft(at=Step.LINE, lines=draft.lines)
        elif draft.lines:
            removed, kept = draft.lines[-1:], Draft(at=Step.MORE_VALUES, lines=draft.lines[:-1])
        else:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        for offset, line in enumerate(removed):
            dispatcher.utter_message(
                response="utter_value_line_removed",
                number=len(kept.lines) + 1 + offset,
                count=len(kept.lines),
                **turn_line_variables(domain, line),
            )
        return [
            SlotSet("value_lines", slots_of(kept)["value_lines"]),
            SlotSet("pending_lines", None),
            SlotSet("line_description", None),
            SlotSet("more_values", None),
        ]


class ActionListValueLines(Action):
    """Shows all value lines and their weighted totals before the price is asked."""

    def name(self) -> str:
        return "action_list_value_lines"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lines = value_lines(tracker)
        dispatcher.utter_message(
            response="utter_value_lines_overview",
            lines=value_line_rows(domain, lines),
            one_off=format_euro(sum((line.one_off * line.certainty for line in lines), Decimal(0))),
            per_year=format_euro(sum((line.per_year * line.certainty for line in lines), Decimal(0))),
        )
        dispatcher.utter_message(response="utter_price_intro")
        return []


def value_line_rows(domain: DomainDict, lines: list[ValueLine]) -> str:
    """The value lines as numbered rows, one per text line."""
    return "\n".join(
        render(
            domain,
            "utter_value_line_summary_row",
            number=number,
            description=line.description,
            **turn_line_variables(domain, line),
        )
        for number, line in enumerate(lines, start=1)
    )
