"""The simplicity promise, the expectation check and coaching flags in the actions."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.expectation import ActionPlaceClient, ActionStartExpectationCheck, ValidateExpectationForm
from actions.promise import (
    ActionAskPromiseText,
    ActionShowPromiseCard,
    ActionStartSimplicityPromise,
    ValidatePromiseForm,
)
from actions.summary import ActionOfferFollowUp, ActionSummarize
from tests.actions.conftest import make_tracker, rendered, responses

CONCRETE = "opzeggen kan met één klik, zonder belletje"
ENTRY = {
    "audience": "management",
    "promise": "elke klacht heeft binnen 4 werkuren een eigenaar",
    "leave_out": "het klachtenformulier van drie pagina's",
    "easy": "melden kost één stap in plaats van vier",
    "measure": "elke maand het aandeel klachten met binnen 4 uur een eigenaar",
}


def test_a_concrete_promise_is_accepted(dispatcher, domain):
    result = ValidatePromiseForm().validate_promise_text(CONCRETE, dispatcher, make_tracker(), domain)
    assert result == {"promise_text": CONCRETE}
    assert dispatcher.messages == []


def test_a_vague_promise_is_sent_back(dispatcher, domain):
    result = ValidatePromiseForm().validate_promise_text(
        "wij zijn klantgericht en ontzorgen optimaal", dispatcher, make_tracker(), domain
    )
    assert result["promise_text"] is None
    assert responses(dispatcher) == ["utter_promise_buzzwords_only"]
    assert "klantgericht" in rendered(dispatcher, domain)[0]


def test_flagged_wording_is_coached_and_recorded(dispatcher, domain):
    tracker = make_tracker({"coaching_flags": [{"rule": "asap", "quote": "asap"}]})
    result = ValidatePromiseForm().validate_promise_text(
        "wij lossen elke storing zo snel mogelijk op, binnen 4 uur", dispatcher, tracker, domain
    )
    assert "utter_coaching_flag" in responses(dispatcher)
    flags = result["coaching_flags"]
    assert flags[0] == {"rule": "asap", "quote": "asap"}
    assert flags[1]["rule"] == "asap" and flags[1]["step"] == "promise_text"
    assert flags[1]["quote"].lower() == "zo snel mogelijk"
    assert flags[1]["suggestion"]
    assert "zo snel mogelijk" in rendered(dispatcher, domain)[0]


def test_the_last_answer_records_the_promise_and_moves_on(dispatcher, domain):
    slots = {
        "promise_text": CONCRETE,
        "promise_leave_out": "het opzegformulier",
        "promise_easy": "opzeggen in één stap",
        "promises": [ENTRY],
    }
    result = ValidatePromiseForm().validate_promise_measure(
        "aantal opzeggingen via de knop per maand", dispatcher, make_tracker(slots), domain
    )
    assert result["promises"][1] == {
        "audience": "employees",
        "promise": CONCRETE,
        "leave_out": "het opzegformulier",
        "easy": "opzeggen in één stap",
        "measure": "aantal opzeggingen via de knop per maand",
    }
    assert all(result[slot] is None for slot in ("promise_text", "promise_leave_out", "promise_easy"))
    assert rendered(dispatcher, domain) == ["Genoteerd: je belofte aan de medewerkers."]


@pytest.mark.parametrize(("done", "expected"), [(0, 4), (2, 4), (3, 0)])
async def test_the_promise_loops_over_three_audiences(done, expected, dispatcher, domain):
    tracker = make_tracker({"promises": [ENTRY] * done})
    assert len(await ValidatePromiseForm().required_slots([], dispatcher, tracker, domain)) == expected


async def test_the_question_names_the_audience(dispatcher, domain):
    await ActionAskPromiseText().run(dispatcher, make_tracker({"promises": [ENTRY]}), domain)
    assert responses(dispatcher) == ["utter_ask_promise_text_employees"]


async def test_start_resumes_an_unfinished_promise_and_renews_a_finished_one(dispatcher, domain):
    assert (
        await ActionStartSimplicityPromise().run(dispatcher, make_tracker({"promises": [ENTRY]}), domain)
        == []
    )
    events = await ActionStartSimplicityPromise().run(
        dispatcher, make_tracker({"promises": [ENTRY] * 3}), domain
    )
    assert SlotSet("promises", []) in events
    assert responses(dispatcher) == ["utter_promise_resume", "utter_promise_intro"]


async def test_the_promise_card(dispatcher, domain):
    await ActionShowPromiseCard().run(dispatcher, make_tracker({"promises": [ENTRY]}), domain)
    card = rendered(dispatcher, domain)[0]
    assert "• het management: elke klacht heeft binnen 4 werkuren een eigenaar" in card
    assert "Laat weg: het klachtenformulier van drie pagina's" in card
    assert "Maakt makkelijk: melden kost één stap in plaats van vier" in card
    assert "Meten: elke maand het aandeel klachten" in card


@pytest.mark.parametrize(
    ("slots", "response"),
    [({"promises": [ENTRY]}, "utter_after_summary_resume_promise"), ({}, "utter_after_summary")],
)
async def test_follow_up_offers_to_resume_the_promise(slots, response, dispatcher, domain):
    await ActionOfferFollowUp().run(dispatcher, make_tracker(slots), domain)
    assert responses(dispatcher) == [response]


def test_an_unclear_expectation_answer_is_asked_again(dispatcher, domain):
    result = ValidateExpectationForm().validate_expectation_level(
        "geen idee eigenlijk", dispatcher, make_tracker(), domain
    )
    assert result["expectation_level"] is None
    assert responses(dispatcher) == ["utter_expectation_level_unclear"]


async def test_same_payer_and_user_skips_whose_value(dispatcher, domain):
    form = ValidateExpectationForm()
    result = form.validate_customer_user(
        "dezelfde", dispatcher, make_tracker({"customer_payer": "het ziekenhuis"}), domain
    )
    assert result == {"customer_user": "het ziekenhuis", "value_measured_for": "same"}
    tracker = make_tracker({"customer_payer": "het ziekenhuis", "customer_user": "het ziekenhuis"})
    assert "value_measured_for" not in await form.required_slots([], dispatcher, tracker, domain)


def test_whose_value_was_measured(dispatcher, domain):
    form = ValidateExpectationForm()
    assert form.validate_value_measured_for("van de gebruiker", dispatcher, make_tracker(), domain) == {
        "value_measured_for": "user"
    }
    assert form.validate_value_measured_for("geen flauw idee", dispatcher, make_tracker(), domain) == {
        "value_measured_for": None
    }


@pytest.mark.parametrize(
    ("level", "assessment", "response", "outcome"),
    [
        ("ik overtref de verwachting", None, "utter_client_placed_answer", "promoter"),
        (
            "ik overtref de verwachting",
            {"outcome": "dissatisfied", "ratio": "0,8"},
            "utter_client_placed_verdict_more_cautious",
            "dissatisfied",
        ),
        (
            "we voldoen precies",
            {"outcome": "promoter", "ratio": "1,6"},
            "utter_client_placed_answer",
            "satisfied",
        ),
    ],
)
async def test_the_client_is_placed_with_the_reason(level, assessment, response, outcome, dispatcher, domain):
    slots = {
        "expectation_level": level,
        "assessment": assessment,
        "customer_payer": "de zorgverzekeraar",
        "customer_user": "de patiënt",
        "value_measured_for": "payer",
    }
    events = await ActionPlaceClient().run(dispatcher, make_tracker(slots), domain)
    assert responses(dispatcher) == [response, "utter_value_measured_for_payer"]
    assert events[0]["value"]["outcome"] == outcome
    texts = rendered(dispatcher, domain)
    assert "de zorgverzekeraar" in texts[1] and "de patiënt" in texts[1]


async def test_start_expectation_check_clears_the_previous_one(dispatcher, domain):
    events = await ActionStartExpectationCheck().run(
        dispatcher, make_tracker({"expectation_level": "x"}), domain
    )
    assert SlotSet("expectation_level", None) in events


async def test_the_card_appears_in_the_summary(dispatcher, domain):
    await ActionSummarize().run(dispatcher, make_tracker({"promises": [ENTRY]}), domain)
    summary = rendered(dispatcher, domain)[0]
    assert (
        "Versimpelingsbelofte:\n• het management: elke klacht heeft binnen 4 werkuren een eigenaar" in summary
    )
