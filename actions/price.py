"""The price form: one-off part, recurring part and contract length."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.validation import skip_cleared
from bot.amounts import format_euro
from bot.price_answers import (
    MAX_PRICE,
    MAX_YEARS,
    PriceProblem,
    parse_contract_years,
    parse_price_part,
    parse_recurring_per_year,
)
from bot.text import clean_text

__all__ = ["ValidatePriceForm"]

_PROBLEM_RESPONSES = {
    PriceProblem.NOT_UNDERSTOOD: "utter_invalid_price",
    PriceProblem.NEGATIVE: "utter_invalid_price_negative",
    PriceProblem.TOO_LARGE: "utter_invalid_price_too_large",
    PriceProblem.BAD_YEARS: "utter_invalid_contract_years",
}


def _reject(dispatcher: CollectingDispatcher, problem: PriceProblem, slot: str) -> dict[str, Any]:
    dispatcher.utter_message(
        response=_PROBLEM_RESPONSES[problem],
        max_amount=format_euro(MAX_PRICE),
        max_years=MAX_YEARS,
    )
    return {slot: None}


class ValidatePriceForm(FormValidationAction):
    """Turns the price answers into exact amounts (the recurring part per year)."""

    def name(self) -> str:
        return "validate_price_form"

    @skip_cleared
    def validate_price_one_off(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        amount = parse_price_part(clean_text(value))
        if isinstance(amount, PriceProblem):
            return _reject(dispatcher, amount, "price_one_off")
        return {"price_one_off": str(amount)}

    @skip_cleared
    def validate_price_recurring(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        per_year = parse_recurring_per_year(clean_text(value))
        if isinstance(per_year, PriceProblem):
            return _reject(dispatcher, per_year, "price_recurring")
        if per_year == 0 and Decimal(tracker.get_slot("price_one_off") or 0) == 0:
            dispatcher.utter_message(response="utter_invalid_price_zero")
            return {"price_recurring": None}
        return {"price_recurring": str(per_year)}

    @skip_cleared
    def validate_contract_years(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        years = parse_contract_years(clean_text(value))
        if isinstance(years, PriceProblem):
            return _reject(dispatcher, years, "contract_years")
        return {"contract_years": str(years)}
