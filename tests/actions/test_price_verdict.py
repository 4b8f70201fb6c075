"""Price form, verdict, next step, summary and 'waarom'."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.coaching import ActionSuggestDiscoveryQuestions
from actions.explain import ActionExplainWhy
from actions.intake import ActionStartValueConversation, ValidateIntakeForm
from actions.next_step import ValidateNextStepForm
from actions.price import ValidatePriceForm
from actions.summary import ActionSummarize
from actions.value_question import ActionRespondClientAnswer
from actions.verdict import ActionAssessValue
from tests.actions.conftest import make_tracker, rendered, responses

LINES = [
    {
        "description": "besparing",
        "amount": "12000",
        "frequency": "year",
        "category": "cost_saving",
        "certainty": "1",
    },
    {
        "description": "tijd",
        "amount": "110",
        "frequency": "week",
        "category": "time_saved",
        "certainty": "0.5",
    },
    {
        "description": "inwerken",
        "amount": "5000",
        "frequency": "one_off",
        "category": "cost_saving",
        "certainty": "1",
    },
]
# Expected value over 3 years: 3 x (12.000 + 0,5 x 110 x 52) + 5.000 = 36.000 + 8.580 + 5.000 = 49.580
PRICE = {"price_one_off": "2000", "price_recurring": "12000", "contract_years": "3"}  # 38.000


def _price_form(slot: str, text: str, slots: dict | None = None):
    return make_tracker({"requested_slot": slot, slot: text, **(slots or {})}, text=text)


@pytest.mark.parametrize(
    ("slot", "text", "expected", "read_back"),
    [
        ("price_one_off", "7.500 euro", {"price_one_off": "7500"}, "€ 7.500,00"),
        ("price_one_off", "geen", {"price_one_off": "0"}, "€ 0,00"),
        ("price_recurring", "4.000 per maand", {"price_recurring": "48000"}, "€ 48.000,00 per jaar"),
        ("price_recurring", "45k per jaar", {"price_recurring": "45000"}, "€ 45.000,00 per jaar"),
        ("price_recurring", "500 per week", {"price_recurring": "26000"}, "€ 26.000,00 per jaar"),
        ("contract_years", "drie jaar", {"contract_years": "3"}, "3 jaar"),
        ("contract_years", "36 maanden", {"contract_years": "3"}, "36 maanden, dat is 3 jaar"),
        # Out of order: a monthly amount given to the one-off question fills the recurring part.
        (
            "price_one_off",
            "we zitten op € 26.500 per maand voor alles",
            {"price_recurring": "318000"},
            "€ 318.000,00",
        ),
        (
            "contract_years",
            "3 jaar, en er komt eenmalig nog 45k bij",
            {"price_one_off": "45000", "contract_years": "3"},
            "45.000",
        ),
    ],
)
def test_price_answers_are_taken_where_they_belong_and_read_back(
    slot, text, expected, read_back, dispatcher, domain
):
    validate = getattr(ValidatePriceForm(), f"validate_{slot}")
    result = validate(text, dispatcher, _price_form(slot, text), domain)
    assert {key: result[key] for key in expected} == expected
    assert read_back in " ".join(rendered(dispatcher, domain))


def test_a_typo_in_the_frequency_is_read_as_the_nearest_word_and_said(dispatcher, domain):
    text = "€ 9.800 per maandd"
    result = ValidatePriceForm().validate_price_recurring(
        text, dispatcher, _price_form("price_recurring", text), domain
    )
    assert result["price_recurring"] == "117600"
    texts = rendered(dispatcher, domain)
    assert "'maandd' als 'maand'" in texts[0] and "€ 117.600,00 per jaar" in texts[1]


@pytest.mark.parametrize(
    ("slot", "text", "response"),
    [
        ("price_one_off", "abc", "utter_turn_ask_not_understood"),
        ("price_one_off", "-500", "utter_turn_ask_negative"),
        ("price_one_off", "1000000000000000", "utter_turn_ask_too_large"),
        ("price_recurring", "30.000", "utter_turn_ask_frequency"),
        ("contract_years", "2,5", "utter_turn_ask_contract_length"),
        ("contract_years", "0", "utter_turn_ask_contract_length"),
        ("contract_years", "100 jaar", "utter_turn_ask_contract_length"),
        ("contract_years", "18 maanden", "utter_turn_ask_contract_length"),
        ("price_recurring", "500 per dag", "utter_turn_ask_days"),  # five or seven days a week?
        ("price_recurring", "12.000 per jaar of per maand", "utter_turn_ask_frequency"),
    ],
)
def test_bad_price_answers_are_asked_again(slot, text, response, dispatcher, domain):
    validate = getattr(ValidatePriceForm(), f"validate_{slot}")
    assert validate(text, dispatcher, _price_form(slot, text), domain)[slot] is None
    assert responses(dispatcher) == [response]
    rendered(dispatcher, domain)


def test_a_zero_price_is_refused(dispatcher, domain):
    tracker = _price_form("price_recurring", "0", {"price_one_off": "0"})
    result = ValidatePriceForm().validate_price_recurring("0", dispatcher, tracker, domain)
    assert result["price_recurring"] is None
    assert responses(dispatcher) == ["utter_turn_ask_price_zero"]


def test_a_correction_at_the_next_price_question_changes_the_previous_answer(dispatcher, domain):
    tracker = _price_form("price_recurring", "nee, dat was 7.500", {"price_one_off": "5000"})
    result = ValidatePriceForm().validate_price_recurring("nee, dat was 7.500", dispatcher, tracker, domain)
    assert (result["price_one_off"], result["price_recurring"]) == ("7500", None)


def test_a_value_given_to_the_price_question_is_named_as_unused(dispatcher, domain):
    text = "eenmalig 2.000; de concurrent vraagt er 1.500 voor"
    result = ValidatePriceForm().validate_price_one_off(
        text, dispatcher, _price_form("price_one_off", text), domain
    )
    assert result["price_one_off"] == "2000"
    assert "niet gebruikt" in rendered(dispatcher, domain)[-1]


async def test_verdict_states_the_figures(dispatcher, domain):
    tracker = make_tracker({"value_lines": LINES, **PRICE})
    events = await ActionAssessValue().run(dispatcher, tracker, domain)
    texts = rendered(dispatcher, domain)
    assert "Waarde (verwacht, gewogen naar zekerheid): € 49.580,00" in texts[0]
    assert "Waarde (als alles uitkomt): € 58.160,00" in texts[0]
    assert "Prijs: € 38.000,00" in texts[0]
    assert "Verschil (waarde min prijs): € 11.580,00" in texts[0]
    assert "Verhouding waarde/prijs: 1,3" in texts[0]
    assert "Terugverdiend: direct bij de start" in texts[0]
    assert responses(dispatcher)[1:] == ["utter_outcome_promoter", "utter_advice_promoter"]
    assert events[0]["name"] == "assessment" and events[0]["value"]["ratio"] == "1,3"
    assert events[0]["value"]["numbers"]["value_expected"] == "49580.00"
    assert events[0]["value"]["numbers"]["price"] == "38000.00"
    assert events[0]["value"]["options"] is None  # a promoter: nothing to reach


async def test_verdict_below_price_does_not_give_in(dispatcher, domain):
    tracker = make_tracker(
        {"value_lines": LINES[:1], "price_one_off": "0", "price_recurring": "15000", "contract_years": "2"}
    )
    await ActionAssessValue().run(dispatcher, tracker, domain)
    texts = rendered(dispatcher, domain)
    assert "Verhouding waarde/prijs: 0,8" in texts[0]
    assert "Terugverdiend: niet binnen de looptijd" in texts[0]
    assert texts[1] == "Er is € 6.000,00 extra waarde nodig om boven de prijs uit te komen."
    assert responses(dispatcher)[2:] == [
        "utter_outcome_dissatisfied",
        "utter_advice_not_enough",
        "utter_option_figures",
    ]
    # 24.000 value against a price of 30.000 over 2 years: 28.500 is needed for 0,95.
    options = texts[4]
    assert "om boven de drempel te komen (verhouding 0,95; nu 0,8)" in options
    assert "minstens € 4.500,00 extra verwachte waarde over 2 jaar, ongeveer € 2.250,00 per jaar" in options
    assert "hoogstens € 25.263,15 kosten over 2 jaar, € 4.736,85 minder dan nu" in options
    assert "naast het eenmalige deel van € 0,00 hoogstens € 12.631,57 per jaar" in options
    assert "kost het probleem de klant € 24.000,00 over 2 jaar, minder dan de € 28.500,00" in options


async def test_verdict_about_equal(dispatcher, domain):
    tracker = make_tracker(
        {"value_lines": LINES[:1], "price_one_off": "0", "price_recurring": "12000", "contract_years": "1"}
    )
    await ActionAssessValue().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_verdict",
        "utter_outcome_satisfied",
        "utter_advice_not_enough",
        "utter_option_figures",
    ]
    texts = rendered(dispatcher, domain)
    assert "Voor een promotor is nog € 2.400,00 extra waarde nodig." in texts[1]
    assert "om van de klant een promotor te maken (verhouding 1,2; nu 1,0)" in texts[3]
    assert "hoogstens € 10.000,00 kosten over 1 jaar" in texts[3]


@pytest.mark.parametrize(
    ("text", "expected", "response"),
    [
        ("drie opties bieden", "three_options", None),
        ("waarde bevestigen en prijs noemen", "confirm_price", None),
        ("ik laat zien waarom het budget te laag is", "explain_budget", None),
        ("meer waarde zoeken", "raise_value", None),
        ("ik geef 10% korting", None, "utter_next_step_discount_refused"),
        ("weet ik niet", None, "utter_invalid_next_step"),
    ],
)
def test_next_step(text, expected, response, dispatcher, domain):
    result = ValidateNextStepForm().validate_next_step(text, dispatcher, make_tracker(), domain)
    assert result == {"next_step": expected}
    assert responses(dispatcher) == ([response] if response else [])


def test_a_next_step_with_its_moment_in_one_message(dispatcher, domain):
    text = "toch liever eerst meer waarde zoeken, donderdag 14:00 bel ik hem"
    result = ValidateNextStepForm().validate_next_step(text, dispatcher, make_tracker(), domain)
    assert result == {"next_step": "raise_value", "next_step_moment": "donderdag 14:00 bel ik hem"}


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("binnenkort", "utter_vague_moment"),
        ("volgende week ergens", "utter_vague_moment"),
        ("zo snel mogelijk", "utter_coaching_flag"),
        ("asap", "utter_coaching_flag"),
    ],
)
def test_vague_moments_are_refused(text, response, dispatcher, domain):
    result = ValidateNextStepForm().validate_next_step_moment(text, dispatcher, make_tracker(), domain)
    assert result["next_step_moment"] is None
    assert responses(dispatcher) == [response]
    assert ("coaching_flags" in result) is (response == "utter_coaching_flag")


def test_concrete_moment_is_kept(dispatcher, domain):
    result = ValidateNextStepForm().validate_next_step_moment(
        "donderdag om 10.00 uur", dispatcher, make_tracker(), domain
    )
    assert result == {"next_step_moment": "donderdag om 10.00 uur"}


async def test_summary_holds_everything(dispatcher, domain):
    tracker = make_tracker({"value_lines": LINES, **PRICE})
    events = await ActionAssessValue().run(CollectingDispatcher(), tracker, domain)
    assessed = events[0]["value"]
    slots = {
        "engagement": "schoonmaak voor een ziekenhuis in Utrecht",
        "client_answer": "agrees",
        "value_lines": LINES,
        "assessment": assessed,
        "next_step": "confirm_price",
        "next_step_moment": "donderdag om 10.00 uur",
    }
    await ActionSummarize().run(dispatcher, make_tracker(slots), domain)
    summary = rendered(dispatcher, domain)[0]
    for part in (
        "Klant en opdracht: schoonmaak voor een ziekenhuis in Utrecht",
        "Waardevraag: de klant ging akkoord",
        "1. besparing: € 12.000,00 per jaar, kostenbesparing, zekerheid 100%",
        "Prijs: eenmalig € 2.000,00, € 12.000,00 per jaar, 3 jaar",
        "waarde € 49.580,00 tegen prijs € 38.000,00, verschil € 11.580,00, verhouding 1,3 (promotor",
        "Volgende stap: waarde bevestigen en de prijs met vertrouwen noemen, donderdag om 10.00 uur",
    ):
        assert part in summary


async def test_summary_of_an_unfinished_conversation(dispatcher, domain):
    await ActionSummarize().run(dispatcher, make_tracker({"engagement": "catering"}), domain)
    summary = rendered(dispatcher, domain)[0]
    assert "Klant en opdracht: catering" in summary
    assert "Prijs: nog niet bekend\nUitkomst: nog niet bekend\nVolgende stap: nog niet bekend" in summary


@pytest.mark.parametrize(
    ("slots", "loop", "response"),
    [
        ({"requested_slot": "line_certainty"}, "value_line_form", "utter_why_line_certainty"),
        ({"requested_slot": "client_answer"}, "value_question_form", "utter_why_client_answer"),
        ({"assessment": {"ratio": "1,3"}}, None, "utter_why_verdict"),
        ({}, None, "utter_why_general"),
    ],
)
async def test_why_explains_the_current_question(slots, loop, response, dispatcher, domain):
    await ActionExplainWhy().run(dispatcher, make_tracker(slots, active_loop=loop), domain)
    assert responses(dispatcher) == [response]


@pytest.mark.parametrize("answer", ["agrees", "doubts", "refuses"])
async def test_client_answer_coaching(answer, dispatcher, domain):
    await ActionRespondClientAnswer().run(dispatcher, make_tracker({"client_answer": answer}), domain)
    assert responses(dispatcher) == [f"utter_client_{answer}"]


async def test_start_resumes_an_unfinished_conversation(dispatcher, domain):
    tracker = make_tracker({"engagement": "catering", "value_lines": LINES})
    assert await ActionStartValueConversation().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_resume_value_conversation"]


async def test_start_clears_a_finished_conversation(dispatcher, domain):
    slots = {"engagement": "catering", "value_lines": LINES, "next_step_moment": "donderdag 10 uur"}
    events = await ActionStartValueConversation().run(dispatcher, make_tracker(slots), domain)
    assert SlotSet("value_lines", []) in events and SlotSet("assessment", None) in events
    assert not any(event["name"] == "promises" for event in events)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("  schoonmaak\tvoor  een ziekenhuis ", "schoonmaak voor een ziekenhuis"),
        ("x", None),
        ("a" * 301, None),
    ],
)
def test_intake(text, kept, dispatcher, domain):
    result = ValidateIntakeForm().validate_engagement(text, dispatcher, make_tracker(), domain)
    assert result == {"engagement": kept}


# -- the method's rule and changing the next step --------------------------------------

LOW_LINES = [
    {
        "description": "schoonmaak",
        "amount": "12000",
        "frequency": "year",
        "category": "cost_saving",
        "certainty": "1",
    },
    {
        "description": "inwerken",
        "amount": "5000",
        "frequency": "one_off",
        "category": "cost_saving",
        "certainty": "0.5",
    },
]
# Expected value 38.500 against a price of 10.000 + 3 x 20.000 = 70.000: ratio 0,55.
LOW_PRICE = {"price_one_off": "10000", "price_recurring": "20000", "contract_years": "3"}
VERDICT = {"event": "action", "name": "action_assess_value"}
WARNING = {
    "event": "bot",
    "text": "Nog niet",
    "metadata": {"utter_action": "utter_next_step_price_below_threshold"},
}


async def low_slots(domain, **extra):
    """The slots after a verdict at ratio 0,55."""
    tracker = make_tracker({"value_lines": LOW_LINES, **LOW_PRICE})
    events = await ActionAssessValue().run(CollectingDispatcher(), tracker, domain)
    return {"value_lines": LOW_LINES, **LOW_PRICE, "assessment": events[0]["value"], **extra}


def with_events(tracker, events):
    tracker.events = events
    return tracker


@pytest.mark.parametrize(
    "text", ["waarde bevestigen en prijs noemen", "ik noem gewoon de prijs", "afsluiten"]
)
async def test_naming_the_price_below_the_threshold_is_refused_with_the_figures(text, dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain)), [VERDICT])
    result = ValidateNextStepForm().validate_next_step(text, dispatcher, tracker, domain)
    assert result == {"next_step": None}
    assert responses(dispatcher) == ["utter_next_step_price_below_threshold"]
    warning = rendered(dispatcher, domain)[0]
    assert "de waarde ligt onder de prijs (verhouding 0,55)" in warning
    assert "Over 3 jaar betaalt de klant € 31.500,00 meer" in warning
    assert "minstens € 28.000,00 extra verwachte waarde" in warning
    assert "hoogstens € 40.526,31 kosten" in warning
    assert "kies die stap dan bewust nog een keer" in warning


async def test_naming_the_price_after_the_warning_is_accepted_against_the_advice(dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain)), [VERDICT, WARNING])
    result = ValidateNextStepForm().validate_next_step("toch de prijs noemen", dispatcher, tracker, domain)
    assert result == {"next_step": "confirm_price"}
    assert responses(dispatcher) == ["utter_next_step_price_against_advice"]
    assert "terwijl de waarde er € 31.500,00 onder ligt" in rendered(dispatcher, domain)[0]


async def test_a_warning_before_a_new_verdict_does_not_count(dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain)), [WARNING, VERDICT])
    result = ValidateNextStepForm().validate_next_step("prijs noemen", dispatcher, tracker, domain)
    assert result == {"next_step": None}
    assert responses(dispatcher) == ["utter_next_step_price_below_threshold"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meer waarde zoeken", "raise_value"),
        ("drie opties bieden", "three_options"),
        ("budget onderbouwen", "explain_budget"),
    ],
)
async def test_the_alternatives_are_accepted_below_the_threshold(text, expected, dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain)), [VERDICT])
    assert ValidateNextStepForm().validate_next_step(text, dispatcher, tracker, domain) == {
        "next_step": expected
    }
    assert dispatcher.messages == []


async def test_naming_the_price_at_a_good_ratio_is_accepted_at_once(dispatcher, domain):
    events = await ActionAssessValue().run(
        CollectingDispatcher(), make_tracker({"value_lines": LINES, **PRICE}), domain
    )
    tracker = make_tracker({"value_lines": LINES, **PRICE, "assessment": events[0]["value"]})
    result = ValidateNextStepForm().validate_next_step("prijs noemen", dispatcher, tracker, domain)
    assert result == {"next_step": "confirm_price"} and dispatcher.messages == []


@pytest.mark.parametrize(
    ("current", "text", "expected"),
    [
        ("raise_value", "toch liever drie opties", {"next_step": "three_options", "next_step_moment": None}),
        (
            "three_options",
            "nee, doe maar meer waarde zoeken",
            {"next_step": "raise_value", "next_step_moment": None},
        ),
        ("three_options", "budget onderbouwen", {"next_step": "explain_budget", "next_step_moment": None}),
        (
            "raise_value",
            "toch liever drie opties, donderdag om 10.00 uur",
            {
                "next_step": "three_options",
                "next_step_moment": "donderdag om 10.00 uur",
            },
        ),
    ],
)
async def test_the_step_can_be_changed_at_the_moment_question(current, text, expected, dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain, next_step=current)), [VERDICT])
    assert ValidateNextStepForm().validate_next_step_moment(text, dispatcher, tracker, domain) == expected
    assert responses(dispatcher) == ["utter_next_step_changed"]
    assert rendered(dispatcher, domain)[0].startswith("Aangepast: je volgende stap is nu ")


async def test_changing_to_the_price_at_the_moment_question_is_checked_too(dispatcher, domain):
    tracker = with_events(make_tracker(await low_slots(domain, next_step="raise_value")), [VERDICT])
    result = ValidateNextStepForm().validate_next_step_moment(
        "nee, toch gewoon de prijs noemen", dispatcher, tracker, domain
    )
    assert result == {"next_step": None, "next_step_moment": None}
    assert responses(dispatcher) == ["utter_next_step_price_below_threshold"]


@pytest.mark.parametrize(
    ("text", "result", "response"),
    [
        (
            "ik wil een andere stap",
            {"next_step": None, "next_step_moment": None},
            "utter_next_step_choose_again",
        ),
        ("meer waarde zoeken", {"next_step_moment": None}, "utter_next_step_unchanged"),
        ("ik geef toch maar korting", {"next_step_moment": None}, "utter_next_step_discount_refused"),
        ("dinsdag om 9 uur", {"next_step_moment": "dinsdag om 9 uur"}, None),
        (
            "dinsdag om 9 uur, dan bespreek ik de opties",
            {"next_step_moment": "dinsdag om 9 uur, dan bespreek ik de opties"},
            None,
        ),
    ],
)
def test_other_answers_at_the_moment_question(text, result, response, dispatcher, domain):
    tracker = make_tracker({"next_step": "raise_value"})
    assert ValidateNextStepForm().validate_next_step_moment(text, dispatcher, tracker, domain) == result
    assert responses(dispatcher) == ([response] if response else [])
    rendered(dispatcher, domain)


async def test_summary_below_the_threshold_does_not_say_with_confidence(dispatcher, domain):
    slots = await low_slots(domain, next_step="confirm_price", next_step_moment="dinsdag om 9 uur")
    await ActionSummarize().run(dispatcher, make_tracker(slots), domain)
    summary = rendered(dispatcher, domain)[0]
    assert "vertrouwen" not in summary
    assert (
        "Volgende stap: de prijs noemen terwijl de waarde eronder ligt (bewust, tegen het advies in), dinsdag om 9 uur"
        in summary
    )
    assert "verhouding 0,55 (ontevreden" in summary


# -- "wat moet ik hem dan vragen?" ------------------------------------------------------


async def test_discovery_questions_after_the_verdict(dispatcher, domain):
    slots = await low_slots(domain, requested_slot="next_step")
    tracker = make_tracker(slots, text="wat moet ik hem dan vragen?", active_loop="next_step_form")
    assert await ActionSuggestDiscoveryQuestions().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_discovery_questions_with_goal"]
    text = rendered(dispatcher, domain)[0]
    assert text.startswith("Je zoekt minstens € 28.000,00 extra verwachte waarde over 3 jaar.")
    assert "'inwerken' (€ 5.000,00 eenmalig)" in text
    assert "Wanneer is dit voor u een succes, en hoe meet u dat?" in text
    assert len(text.splitlines()) == 8


async def test_discovery_questions_before_the_verdict(dispatcher, domain):
    await ActionSuggestDiscoveryQuestions().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_discovery_questions"]
    assert "Wat kost de huidige situatie u per maand" in rendered(dispatcher, domain)[0]


async def test_discovery_questions_undo_the_form_slot_the_question_filled(dispatcher, domain):
    question = "welke vragen kan ik stellen?"
    slots = await low_slots(
        domain, requested_slot="next_step_moment", next_step="raise_value", next_step_moment=question
    )
    tracker = make_tracker(slots, text=question, active_loop="next_step_form")
    assert await ActionSuggestDiscoveryQuestions().run(dispatcher, tracker, domain) == [
        SlotSet("next_step_moment", None)
    ]


async def test_a_question_about_questions_at_the_next_step_gets_questions(dispatcher, domain):
    tracker = make_tracker(await low_slots(domain))
    result = ValidateNextStepForm().validate_next_step(
        "welke vragen kan ik stellen?", dispatcher, tracker, domain
    )
    assert result == {"next_step": None}
    assert responses(dispatcher) == ["utter_discovery_questions_with_goal"]


async def test_how_high_the_price_may_be_is_answered_with_the_ceiling(dispatcher, domain):
    tracker = make_tracker(await low_slots(domain))
    result = ValidateNextStepForm().validate_next_step(
        "hoeveel mag het dan kosten?", dispatcher, tracker, domain
    )
    assert result == {"next_step": None}
    assert responses(dispatcher) == ["utter_price_ceiling"]
    text = rendered(dispatcher, domain)[0]
    assessment = tracker.get_slot("assessment")
    assert assessment["max_price"] in text and assessment["price"] in text and "{" not in text


def test_a_question_about_questions_at_the_moment_question_gets_questions(dispatcher, domain):
    tracker = make_tracker({"next_step": "raise_value"})
    result = ValidateNextStepForm().validate_next_step_moment(
        "wat moet ik hem dan vragen?", dispatcher, tracker, domain
    )
    assert result == {"next_step_moment": None}
    assert responses(dispatcher) == ["utter_discovery_questions"]


async def test_going_back_to_the_price_asks_each_part_again_and_keeps_its_answer(dispatcher, domain):
    slots = await low_slots(domain)
    tracker = with_events(make_tracker(slots), [VERDICT])
    result = ValidateNextStepForm().validate_next_step(
        "ik wil terug naar de prijs", dispatcher, tracker, domain
    )
    assert "switch_to" not in result  # asked here, at the next-step question; nothing is cleared
    assert result["reopened_steps"] == ["price_one_off", "price_recurring", "contract_years"]
    assert (
        result["price_one_off"] == slots["price_one_off"]
        and result["contract_years"] == slots["contract_years"]
    )
    assert responses(dispatcher)[-1] == "utter_reopened_price_one_off"
    assert "Het eenmalige deel staat op € " in rendered(dispatcher, domain)[-1]


async def test_klopt_keeps_a_reopened_answer_and_the_last_one_shows_the_verdict_again(dispatcher, domain):
    slots = await low_slots(domain, reopened_steps=["contract_years"])
    tracker = with_events(make_tracker({**slots, "requested_slot": "next_step"}, text="klopt"), [VERDICT])
    result = ValidateNextStepForm().validate_next_step("klopt", dispatcher, tracker, domain)
    assert result["reopened_steps"] is None and result["contract_years"] == slots["contract_years"]
    assert "utter_turn_verdict_again" in responses(dispatcher)
