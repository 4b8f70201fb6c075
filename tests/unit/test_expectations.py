"""The expectation check: reading the answer and placing the client."""

from __future__ import annotations

import pytest

from bot.expectations import ExpectationLevel, PlacementReason, classify_expectation, place_client, same_party
from bot.value_model import Outcome


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("ik overtref de verwachting, want we reageren binnen een uur", ExpectationLevel.EXCEEDS),
        ("ruim boven verwachting: ze krijgen elke maand een rapport", ExpectationLevel.EXCEEDS),
        ("we verrassen ze met een gratis nulmeting", ExpectationLevel.EXCEEDS),
        ("ik voldoe aan de verwachting, meer niet", ExpectationLevel.MEETS),
        ("we maken waar wat we beloofd hebben", ExpectationLevel.MEETS),
        ("precies wat ze verwachten", ExpectationLevel.MEETS),
        ("eerlijk gezegd haal ik het niet, de planning is te krap", ExpectationLevel.BELOW),
        ("we voldoen niet aan de verwachting", ExpectationLevel.BELOW),
        ("we schieten tekort in de avonduren", ExpectationLevel.BELOW),
        ("we kunnen het niet overtreffen", ExpectationLevel.BELOW),
        ("geen idee", None),
        ("", None),
    ],
)
def test_classify(text, level):
    assert classify_expectation(text) is level


@pytest.mark.parametrize(
    ("level", "verdict", "outcome", "reason"),
    [
        (ExpectationLevel.EXCEEDS, None, Outcome.PROMOTER, PlacementReason.ANSWER),
        (ExpectationLevel.MEETS, None, Outcome.SATISFIED, PlacementReason.ANSWER),
        (ExpectationLevel.BELOW, None, Outcome.DISSATISFIED, PlacementReason.ANSWER),
        (
            ExpectationLevel.EXCEEDS,
            Outcome.SATISFIED,
            Outcome.SATISFIED,
            PlacementReason.VERDICT_MORE_CAUTIOUS,
        ),
        (
            ExpectationLevel.EXCEEDS,
            Outcome.DISSATISFIED,
            Outcome.DISSATISFIED,
            PlacementReason.VERDICT_MORE_CAUTIOUS,
        ),
        (ExpectationLevel.MEETS, Outcome.PROMOTER, Outcome.SATISFIED, PlacementReason.ANSWER),
        (ExpectationLevel.BELOW, Outcome.PROMOTER, Outcome.DISSATISFIED, PlacementReason.ANSWER),
    ],
)
def test_place_client(level, verdict, outcome, reason):
    assert place_client(level, verdict) == (outcome, reason)


@pytest.mark.parametrize(
    ("payer", "user", "same"),
    [
        ("de zorgverzekeraar", "de patiënt", False),
        ("de hoofdaannemer", "de huiseigenaar", False),
        ("het ziekenhuis", "dezelfde", True),
        ("het ziekenhuis", "Het ziekenhuis!", True),
        ("de gemeente", "de gemeente zelf", True),
    ],
)
def test_same_party(payer, user, same):
    assert same_party(payer, user) is same
