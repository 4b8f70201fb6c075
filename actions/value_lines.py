"""Value discovery: one value line at a time, with corrections and removals.

The form ``value_line_form`` loops: a line (``line_description``), how sure the client
is (``line_certainty``), then whether there is more (``more_values``). A confirmed line
is appended to the ``value_lines`` slot and the loop starts again until the
salesperson says they are done.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.state import line_from_slot, line_to_slot, value_lines
from actions.texts import label, render
from actions.validation import skip_cleared
from bot.amounts import format_euro, format_percent
from bot.certainty import parse_certainty
from bot.text import MAX_FREE_TEXT, clean_text
from bot.value_lines import MAX_LINE_AMOUNT, LineProblem, ParsedLine, parse_correction, parse_value_line
from bot.value_model import Frequency, ValueLine

__all__ = [
    "ActionAskLineCertainty",
    "ActionAskLineDescription",
    "ActionCorrectValueLine",
    "ActionListValueLines",
    "ActionRemoveValueLine",
    "ValidateValueLineForm",
]


def line_variables(domain: DomainDict, line: ValueLine) -> dict[str, str]:
    """The Dutch variables that describe a line in a response."""
    return {
        "amount": format_euro(line.amount),
        "frequency": label(domain, "frequency", line.frequency.value),
        "category": label(domain, "category", line.category.value),
        "certainty": format_percent(line.certainty),
    }


def _pending(parsed: ParsedLine, description: str) -> dict[str, Any]:
    line = ValueLine(description, parsed.amount, parsed.frequency, parsed.category)
    pending: dict[str, Any] = line_to_slot(line)
    if parsed.hours is not None and parsed.hourly_rate is not None:
        pending["hours"] = str(parsed.hours)
        pending["hourly_rate"] = str(parsed.hourly_rate)
    return pending


class ValidateValueLineForm(FormValidationAction):
    """Parses value lines and certainties, and keeps the loop going."""

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
        text = clean_text(value)[:MAX_FREE_TEXT]
        parsed = parse_value_line(text)
        if isinstance(parsed, LineProblem):
            dispatcher.utter_message(
                response=f"utter_invalid_line_{parsed.value}",
                max_amount=format_euro(MAX_LINE_AMOUNT),
            )
            return {"line_description": None, "pending_line": None}
        return {"line_description": text, "pending_line": _pending(parsed, text)}

    @skip_cleared
    def validate_line_certainty(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        certainty = parse_certainty(clean_text(value))
        pending = tracker.get_slot("pending_line")
        if certainty is None or not pending:
            dispatcher.utter_message(response="utter_invalid_certainty")
            return {"line_certainty": None}
        line = line_from_slot({**pending, "certainty": str(certainty.weight)})
        lines = [*(tracker.get_slot("value_lines") or []), line_to_slot(line)]
        dispatcher.utter_message(
            response="utter_value_line_added",
            number=len(lines),
            weighted=format_euro(line.amount * line.certainty),
            **line_variables(domain, line),
        )
        return {
            "value_lines": lines,
            "line_description": None,
            "line_certainty": None,
            "pending_line": None,
            "more_values": None,
        }

    @skip_cleared
    def validate_more_values(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"more_values": bool(value)}


class ActionAskLineDescription(Action):
    """Asks for the first value line, or for the next one."""

    def name(self) -> str:
        return "action_ask_line_description"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("value_lines"):
            dispatcher.utter_message(response="utter_ask_next_value_line")
            return []
        if tracker.get_intent_of_latest_message() == "finish_values":
            dispatcher.utter_message(response="utter_need_one_value_line")
        dispatcher.utter_message(response="utter_ask_first_value_line")
        return []


class ActionAskLineCertainty(Action):
    """Reads the understood line back and asks how sure the client is of it."""

    def name(self) -> str:
        return "action_ask_line_certainty"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_line")
        if not pending:
            dispatcher.utter_message(response="utter_invalid_certainty")
            return []
        line = line_from_slot(pending)
        variables = line_variables(domain, line)
        if "hours" in pending:
            dispatcher.utter_message(
                response="utter_line_time_saved",
                hours=pending["hours"].replace(".", ","),
                hourly_rate=format_euro(Decimal(pending["hourly_rate"])),
                **variables,
            )
        dispatcher.utter_message(response="utter_ask_line_certainty", **variables)
        return []


def _corrected(line: ValueLine, amount: Decimal | None, frequency: Frequency | None) -> ValueLine:
    return ValueLine(
        description=line.description,
        amount=line.amount if amount is None else amount,
        frequency=line.frequency if frequency is None else frequency,
        category=line.category,
        certainty=line.certainty,
    )


class ActionCorrectValueLine(Action):
    """Applies "nee, dat was 15.000" to the line being entered, or else to the last line."""

    def name(self) -> str:
        return "action_correct_value_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_line")
        lines = list(tracker.get_slot("value_lines") or [])
        if not pending and not lines:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        amount, frequency = parse_correction(clean_text(tracker.latest_message.get("text")))
        if (amount is None and frequency is None) or (
            amount is not None and not Decimal(0) < amount <= MAX_LINE_AMOUNT
        ):
            dispatcher.utter_message(response="utter_correction_not_understood")
            return []
        if pending:
            line = _corrected(line_from_slot(pending), amount, frequency)
            updated = {key: value for key, value in pending.items() if key not in ("hours", "hourly_rate")}
            dispatcher.utter_message(response="utter_pending_line_changed", **line_variables(domain, line))
            return [SlotSet("pending_line", {**updated, **line_to_slot(line)})]
        line = _corrected(line_from_slot(lines[-1]), amount, frequency)
        lines[-1] = line_to_slot(line)
        dispatcher.utter_message(
            response="utter_value_line_changed", number=len(lines), **line_variables(domain, line)
        )
        return [SlotSet("value_lines", lines)]


class ActionRemoveValueLine(Action):
    """Drops the line being entered, or else the last confirmed line."""

    def name(self) -> str:
        return "action_remove_value_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_line")
        lines = list(tracker.get_slot("value_lines") or [])
        if pending:
            removed, events = (
                line_from_slot(pending),
                [
                    SlotSet("pending_line", None),
                    SlotSet("line_description", None),
                ],
            )
            number = len(lines) + 1
        elif lines:
            removed, number = line_from_slot(lines.pop()), len(lines) + 1
            events = [SlotSet("value_lines", lines)]
        else:
            dispatcher.utter_message(response="utter_nothing_to_change")
            return []
        dispatcher.utter_message(
            response="utter_value_line_removed",
            number=number,
            count=len(lines),
            **line_variables(domain, removed),
        )
        return [*events, SlotSet("more_values", None)]


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
            **line_variables(domain, line),
        )
        for number, line in enumerate(lines, start=1)
    )
