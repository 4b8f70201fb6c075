"""The value conversation's slots as a :class:`bot.value_session.Draft`, and a turn's replies.

The forms keep their slots; each validation builds a draft from them, lets
:func:`bot.value_session.step` read the message, then writes the draft back and says
what the turn produced, every item through a domain response (``utter_turn_<kind>``).
"""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.texts import label, render
from bot.amounts import format_euro, format_percent
from bot.interpreter import Fact
from bot.next_steps import NextStep
from bot.slot_shapes.value_lines import line_from_slot, line_to_slot
from bot.text import clean_text
from bot.value_model import Frequency, ValueLine
from bot.value_session import Awaiting, Draft, Said, Step, Turn

__all__ = [
    "SwitchingFormValidation",
    "changed_slots_only",
    "draft_from",
    "form_slots",
    "is_prefilled",
    "render_turn",
    "requested_step",
    "slots_of",
    "turn_line_variables",
]

VALUE_STEPS = (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES)
PRICE_STEPS = (Step.PRICE_ONE_OFF, Step.PRICE_RECURRING, Step.CONTRACT_YEARS)
MAX_DESCRIPTION = 300


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        return None


def draft_from(tracker: Tracker, at: Step) -> Draft:
    """The draft that the tracker's slots describe, with ``at`` as the open question.

    The slot being asked holds the user's raw answer until it is validated, so it counts
    as unknown.
    """
    asked = tracker.get_slot("requested_slot")

    def slot(name: str) -> Any:
        return None if name == asked else tracker.get_slot(name)

    awaiting = tracker.get_slot("awaiting_factor")
    years = slot("contract_years")
    step_value = slot("next_step")
    reopened = tuple(Step(name) for name in tracker.get_slot("reopened_steps") or ())
    return Draft(
        at=reopened[0] if reopened else at,
        reopened=reopened,
        lines=tuple(line_from_slot(item) for item in tracker.get_slot("value_lines") or []),
        pending=tuple(line_from_slot(item) for item in tracker.get_slot("pending_lines") or []),
        one_off=_decimal(slot("price_one_off")),
        per_year=_decimal(slot("price_recurring")),
        years=int(years) if years not in (None, "") and str(years).isdigit() else None,
        next_step=NextStep(step_value) if step_value in NextStep._value2member_map_ else None,
        awaiting=_awaiting(awaiting),
        recurring_basis=_basis(tracker.get_slot("price_recurring_basis")),
    )


def slots_of(draft: Draft) -> dict[str, Any]:
    """The slot values that hold ``draft`` (the price parts as exact decimal strings)."""
    return {
        "value_lines": [line_to_slot(line) for line in draft.lines],
        "pending_lines": [line_to_slot(line) for line in draft.pending] or None,
        "price_one_off": None if draft.one_off is None else str(draft.one_off),
        "price_recurring": None if draft.per_year is None else str(draft.per_year),
        "contract_years": None if draft.years is None else str(draft.years),
        "price_recurring_basis": None
        if draft.recurring_basis is None
        else {"amount": str(draft.recurring_basis[0]), "frequency": draft.recurring_basis[1].value},
        "reopened_steps": [step.value for step in draft.reopened] or None,
        "awaiting_factor": None
        if draft.awaiting is None
        else {
            "kind": draft.awaiting.kind,
            "value": str(draft.awaiting.value),
            "frequency": draft.awaiting.frequency.value if draft.awaiting.frequency else None,
            "quote": draft.awaiting.quote,
            "count": None if draft.awaiting.count is None else str(draft.awaiting.count),
        },
    }


def _basis(raw: Any) -> tuple[Decimal, Frequency] | None:
    if not isinstance(raw, dict) or "amount" not in raw:
        return None
    return Decimal(str(raw["amount"])), Frequency(raw["frequency"])


def _awaiting(raw: Any) -> Awaiting | None:
    if not isinstance(raw, dict) or "kind" not in raw:
        return None
    frequency = raw.get("frequency")
    return Awaiting(
        str(raw["kind"]),
        Decimal(str(raw["value"])),
        Frequency(frequency) if frequency else None,
        str(raw.get("quote") or ""),
        Decimal(str(raw["count"])) if raw.get("count") is not None else None,
    )


def form_slots(draft: Draft, text: str) -> dict[str, Any]:
    """The value form's own slots after a turn, so that it asks the draft's open question next."""
    if draft.at is Step.CERTAINTY:
        return {
            "line_description": clean_text(text)[:MAX_DESCRIPTION],
            "line_certainty": None,
            "more_values": None,
        }
    if draft.at is Step.LINE:
        return {
            "line_description": None,
            "line_certainty": None,
            "more_values": True if draft.lines else None,
        }
    if draft.at is Step.MORE_VALUES:
        return {"line_description": None, "line_certainty": None, "more_values": None}
    return {"line_description": None, "line_certainty": None, "more_values": False}


def is_prefilled(value: Any, tracker: Tracker) -> bool:
    """True for a slot value that a form validates on activation, not the user's answer now: one
    read from an earlier message (the engagement), or from this one by another form before this
    form asked anything ("ja hoor, en ze besparen 12.000 per jaar" to the client's reaction)."""
    latest = clean_text(str(tracker.latest_message.get("text") or ""))
    activating = tracker.get_slot("requested_slot") is None
    return bool(latest) and (activating or clean_text(str(value)) != latest)


def changed_slots_only(
    events: list[EventType], slots: dict[str, Any], extracted: set[str]
) -> list[EventType]:
    """``events`` without the slot events that set a slot to the value it had (``slots``, before
    the form ran).

    A turn writes back the whole draft (:func:`slots_of`); storing the unchanged slots again
    would store the draft each turn. The slots the form just ``extracted`` are kept as they are.
    """
    keep = {"requested_slot", "switch_to", *extracted}
    current = dict(slots)
    changed = []
    for event in events:
        if event.get("event") == "slot" and event.get("name") not in keep:
            name, value = event["name"], event.get("value")
            if current.get(name) == value:  # a slot that is not there counts as unset
                continue
            current[name] = value
        changed.append(event)
    return changed


class SwitchingFormValidation(FormValidationAction):
    """A form validation that can leave its form for another: set the slot ``switch_to``.

    The form ends and the named form (or action) runs next, as after "terug" or "ik wil
    terug naar de prijs". Slots set to the value they already have are not stored again.
    """

    @abstractmethod
    def name(self) -> str:
        """The validation action's name; abstract, so this base is not registered as an action."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        before, extracted = dict(tracker.slots), set(tracker.slots_to_validate())  # run() changes both
        events = changed_slots_only(await super().run(dispatcher, tracker, domain), before, extracted)
        target = next(
            (e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == "switch_to"),
            None,
        )
        if target:
            events += [
                SlotSet("switch_to", None),
                SlotSet("requested_slot", None),
                ActiveLoop(None),
                FollowupAction(target),
            ]
        return events


def turn_line_variables(domain: DomainDict, line: ValueLine) -> dict[str, str]:
    """The Dutch variables that describe a line in a response."""
    return {
        "amount": format_euro(line.amount),
        "frequency": label(domain, "frequency", line.frequency.value),
        "category": label(domain, "category", line.category.value),
        "certainty": format_percent(line.certainty),
    }


def _number(value: Decimal) -> str:
    """A count or a number of hours the Dutch way: 14, 2,5."""
    text = format_euro(value).removeprefix("€ ").removesuffix(",00")
    return text


def _calculation(domain: DomainDict, fact: Fact) -> str:
    """How the amount was computed, or "" when it was stated as it is."""
    if not fact.terms:
        return ""
    result = format_euro(fact.amount)
    if fact.hourly_rate is not None and len(fact.terms) == 3:
        people, hours, rate = fact.terms
        return render(
            domain,
            "utter_turn_calc_people_hours_rate",
            people=_number(people),
            hours=_number(hours),
            rate=format_euro(rate),
            result=result,
        )
    if fact.hourly_rate is not None:
        hours, rate = fact.terms[0], fact.terms[-1]
        return render(
            domain, "utter_turn_calc_hours_rate", hours=_number(hours), rate=format_euro(rate), result=result
        )
    if fact.operator == "%":
        share, base = fact.terms
        return render(
            domain, "utter_turn_calc_percent", share=_number(share), base=format_euro(base), result=result
        )
    money_terms = [format_euro(t) if t >= 100 else _number(t) for t in fact.terms]
    if set(fact.operator) == {"x"} and all(t < 100 for t in fact.terms):  # "40 × € 45,00": the last is money
        money_terms[-1] = format_euro(fact.terms[-1])
    symbols = fact.operator * (len(money_terms) - 1) if len(fact.operator) == 1 else fact.operator
    written = money_terms[0] + "".join(
        f" {'×' if symbol == 'x' else '+'} {term}"
        for symbol, term in zip(symbols, money_terms[1:], strict=False)
    )
    return render(domain, "utter_turn_calc_terms", terms=written, result=result)


def _fact_variables(domain: DomainDict, fact: Fact) -> dict[str, str]:
    frequency = fact.frequency or Frequency.YEAR
    return {
        "amount": format_euro(fact.amount),
        "frequency": label(domain, "frequency", frequency.value),
        "per_year": format_euro(fact.per_year),
        "calculation": _calculation(domain, fact),
        "quote": fact.quote,
    }


_PRICE_PARTS = ("one_off", "per_year", "years")


def _say(dispatcher: CollectingDispatcher, domain: DomainDict, said: Said, draft: Draft) -> None:
    values = dict(said.values)
    kind = said.kind
    response = f"utter_turn_{kind}"
    if kind in ("line_read", "line_changed"):
        line = values["line"]
        assert isinstance(line, ValueLine)
        fact = values["fact"]
        dispatcher.utter_message(
            response=response,
            number=values["number"],
            calculation=_calculation(domain, fact) if isinstance(fact, Fact) else "",
            **turn_line_variables(domain, line),
        )
    elif kind in ("price_one_off_read", "price_recurring_read"):
        fact = values["fact"]
        assert isinstance(fact, Fact)
        dispatcher.utter_message(response=response, **_fact_variables(domain, fact))
    elif kind == "contract_years_read":
        fact = values["fact"]
        assert isinstance(fact, Fact)
        if fact.months is not None:
            response = "utter_turn_contract_months_read"
        dispatcher.utter_message(
            response=response, years=int(fact.amount), months=_number(fact.months or Decimal(0))
        )
    elif kind == "lines_confirmed":
        lines = values["lines"]
        assert isinstance(lines, tuple)
        first = len(draft.lines) - len(lines) + 1
        for offset, line in enumerate(lines):
            dispatcher.utter_message(
                response="utter_value_line_added",
                number=first + offset,
                weighted=format_euro(line.amount * line.certainty),
                **turn_line_variables(domain, line),
            )
    elif kind == "typo_read_as":
        for typed, read in values["corrections"]:  # type: ignore[attr-defined]
            dispatcher.utter_message(response=response, typed=typed, read=read)
    elif kind == "unused":
        quotes = values["quotes"]
        assert isinstance(quotes, list)
        dispatcher.utter_message(response=response, quotes="', '".join(quotes))
    elif kind == "ask_arithmetic":
        numbers = values["values"]
        assert isinstance(numbers, tuple)
        *terms, stated = numbers
        product = Decimal(1)
        for term in terms:
            product *= term
        dispatcher.utter_message(
            response=response,
            quote=values["quote"],
            computed=format_euro(product),
            stated=format_euro(stated),
        )
    elif kind.startswith("ask_"):
        numbers = values.get("values") or (Decimal(0),)
        assert isinstance(numbers, tuple)
        dispatcher.utter_message(response=response, quote=values.get("quote", ""), count=_number(numbers[0]))
    elif kind == "went_to_price" and draft.reopened:
        dispatcher.utter_message(response="utter_turn_went_to_price_kept")
    elif kind == "went_to_price" and all(isinstance(values.get(k), Decimal | int) for k in _PRICE_PARTS):
        dispatcher.utter_message(
            response="utter_turn_went_to_price_was",
            one_off=format_euro(Decimal(values["one_off"])),  # type: ignore[arg-type]
            per_year=format_euro(Decimal(values["per_year"])),  # type: ignore[arg-type]
            years=values["years"],
        )
    elif kind == "verdict_again":
        return  # the caller shows the verdict itself
    else:
        dispatcher.utter_message(response=response)


def render_turn(dispatcher: CollectingDispatcher, domain: DomainDict, turn: Turn) -> None:
    """Say everything ``turn`` produced, in order."""
    for said in turn.said:
        _say(dispatcher, domain, said, turn.draft)


def requested_step(tracker: Tracker) -> Step:
    """The open question of the value conversation, from the requested slot."""
    return _STEPS.get(tracker.get_slot("requested_slot") or "", Step.LINE)


_STEPS = {
    "line_description": Step.LINE,
    "line_certainty": Step.CERTAINTY,
    "more_values": Step.MORE_VALUES,
    "price_one_off": Step.PRICE_ONE_OFF,
    "price_recurring": Step.PRICE_RECURRING,
    "contract_years": Step.CONTRACT_YEARS,
    "next_step": Step.NEXT_STEP,
    "next_step_moment": Step.NEXT_STEP_MOMENT,
}
