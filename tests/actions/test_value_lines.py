"""Value discovery through the forms: read-back, several lines, certainty, corrections, removals."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from actions.value_lines import (
    ActionAskLineCertainty,
    ActionAskLineDescription,
    ActionCorrectValueLine,
    ActionListValueLines,
    ActionRemoveValueLine,
    ValidateValueLineForm,
)
from tests.actions.conftest import make_tracker, rendered, responses

SAVING = {
    "description": "ze besparen 12.000 euro per jaar op schoonmaakkosten",
    "amount": "12000",
    "frequency": "year",
    "category": "cost_saving",
    "certainty": "1",
}
ONE_OFF = {
    "description": "eenmalig 5.000 euro minder inwerkkosten",
    "amount": "5000",
    "frequency": "one_off",
    "category": "cost_saving",
    "certainty": "0.5",
}


def _line_form(text: str, slots: dict | None = None, requested: str = "line_description"):
    return make_tracker({"requested_slot": requested, **(slots or {})}, text=text)


def test_a_value_line_is_read_back_and_waits_for_its_certainty(dispatcher, domain):
    text = SAVING["description"]
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, _line_form(text), domain)
    assert result["line_description"] == text
    assert result["pending_lines"][0]["amount"] == "12000"
    assert result["pending_lines"][0]["frequency"] == "year"
    assert result["pending_lines"][0]["category"] == "cost_saving"
    assert rendered(dispatcher, domain) == ["Ik noteer als waarde 1: € 12.000,00 per jaar, kostenbesparing."]


def test_two_lines_in_one_message_become_two_lines(dispatcher, domain):
    text = "ze besparen 12.000 per jaar op schoonmaak en eenmalig 4.000 op inwerken"
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, _line_form(text), domain)
    assert [(line["amount"], line["frequency"]) for line in result["pending_lines"]] == [
        ("12000", "year"),
        ("4000", "one_off"),
    ]
    texts = rendered(dispatcher, domain)
    assert "waarde 1: € 12.000,00 per jaar" in texts[0] and "waarde 2: € 4.000,00 eenmalig" in texts[1]


async def test_several_pending_lines_get_one_certainty_question(dispatcher, domain):
    tracker = make_tracker({"pending_lines": [SAVING, ONE_OFF]})
    await ActionAskLineCertainty().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_lines_certainty"]
    assert "2" in rendered(dispatcher, domain)[0]


def test_people_hours_and_rate_are_multiplied_and_the_sum_is_shown(dispatcher, domain):
    text = "14 mensen, elk 6 uur per week, à 48 euro"
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, _line_form(text), domain)
    assert result["pending_lines"][0]["amount"] == "4032"
    assert result["pending_lines"][0]["frequency"] == "week"
    assert "14 × 6 uur × € 48,00 per uur = € 4.032,00" in rendered(dispatcher, domain)[0]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("heel veel", "utter_turn_ask_not_understood"),
        ("12abc per maand", "utter_turn_ask_amount"),
        ("een paar duizend per jaar", "utter_turn_ask_amount"),
        ("tussen 5 en 10k per jaar", "utter_turn_ask_amount"),
        ("3 x 5.000 = 12.000 per jaar", "utter_turn_ask_arithmetic"),
        ("-500 euro per jaar", "utter_turn_ask_negative"),
        ("0 euro per jaar", "utter_turn_ask_zero"),
        ("1000000000000000 euro per jaar", "utter_turn_ask_too_large"),
        ("2 uur per week minder werk", "utter_turn_ask_hourly_rate"),
        ("twee FTE minder", "utter_turn_ask_fte_cost"),
        ("elke gemiste levering kost ze 300", "utter_turn_ask_per_item"),
        ("per filiaal 900 per jaar, het gaat om 6 winkels", "utter_turn_ask_per_item_count"),
    ],
)
def test_what_cannot_be_taken_is_asked_and_nothing_is_stored(text, response, dispatcher, domain):
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, _line_form(text), domain)
    assert result["line_description"] is None and result["pending_lines"] is None
    assert response in responses(dispatcher)
    rendered(dispatcher, domain)


def test_the_cost_per_fte_completes_the_earlier_answer(dispatcher, domain):
    first = ValidateValueLineForm().validate_line_description(
        "twee FTE minder", dispatcher, _line_form("twee FTE minder"), domain
    )
    tracker = _line_form("die kost 58.000 per jaar", {"awaiting_factor": first["awaiting_factor"]})
    result = ValidateValueLineForm().validate_line_description(
        "die kost 58.000 per jaar", dispatcher, tracker, domain
    )
    assert result["pending_lines"][0]["amount"] == "116000"
    assert result["awaiting_factor"] is None


def test_yes_to_the_offered_count_multiplies_the_amount_per_item(dispatcher, domain):
    text = "per filiaal 900 per jaar, het gaat om 6 winkels"
    first = ValidateValueLineForm().validate_line_description(text, dispatcher, _line_form(text), domain)
    tracker = _line_form("ja", {"awaiting_factor": first["awaiting_factor"]})
    result = ValidateValueLineForm().validate_line_description("ja", dispatcher, tracker, domain)
    assert result["pending_lines"][0]["amount"] == "5400"
    assert result["awaiting_factor"] is None


def test_certainty_confirms_the_pending_lines(dispatcher, domain):
    tracker = _line_form("waarschijnlijk", {"pending_lines": [SAVING]}, requested="line_certainty")
    result = ValidateValueLineForm().validate_line_certainty("waarschijnlijk", dispatcher, tracker, domain)
    assert result["value_lines"] == [{**SAVING, "certainty": "0.75"}]
    assert result["pending_lines"] is None
    assert result["line_description"] is None and result["more_values"] is None
    texts = rendered(dispatcher, domain)
    assert "Regel 1: € 12.000,00 per jaar" in texts[0] and "zekerheid 75%" in texts[0]


def test_a_bare_yes_at_the_certainty_question_asks_again(dispatcher, domain):
    tracker = _line_form("klopt", {"pending_lines": [SAVING]}, requested="line_certainty")
    result = ValidateValueLineForm().validate_line_certainty("klopt", dispatcher, tracker, domain)
    assert result["pending_lines"] == [SAVING]
    assert result["line_description"]  # the certainty question comes again
    assert responses(dispatcher) == ["utter_turn_ask_certainty"]


def test_a_recurring_price_given_among_the_value_lines_is_kept_for_the_price(dispatcher, domain):
    text = "onze prijs is 2.000 per maand"
    tracker = _line_form(text, {"value_lines": [SAVING], "more_values": True})
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, tracker, domain)
    assert result["price_recurring"] == "24000"
    assert "€ 24.000,00 per jaar" in rendered(dispatcher, domain)[0]


def test_done_at_the_more_question_with_the_price_in_the_same_message(dispatcher, domain):
    text = "Nee dat was het. Eenmalig 2.500 en verder 1.800 per maand"
    tracker = _line_form(text, {"value_lines": [SAVING]}, requested="more_values")
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, tracker, domain)
    assert result["more_values"] is False
    assert (result["price_one_off"], result["price_recurring"]) == ("2500", "21600")


def test_a_button_answer_to_more_values_is_taken_as_it_is(dispatcher, domain):
    tracker = _line_form("/finish_values", {"value_lines": [SAVING]}, requested="more_values")
    assert ValidateValueLineForm().validate_more_values(False, dispatcher, tracker, domain) == {
        "more_values": False
    }


async def test_correction_changes_the_last_line(dispatcher, domain):
    tracker = _line_form("nee, dat was 15.000", {"value_lines": [ONE_OFF, SAVING]}, requested="more_values")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    lines = next(e["value"] for e in events if e["name"] == "value_lines")
    assert lines[0] == ONE_OFF and lines[1]["amount"] == "15000"
    assert rendered(dispatcher, domain) == [
        "Aangepast. Waarde 2 is nu: € 15.000,00 per jaar, kostenbesparing."
    ]


async def test_correction_by_position_and_by_description(dispatcher, domain):
    slots = {"value_lines": [SAVING, ONE_OFF]}
    tracker = _line_form("wacht, de eerste was geen 12.000 maar 14.000", slots, requested="more_values")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    lines = next(e["value"] for e in events if e["name"] == "value_lines")
    assert (lines[0]["amount"], lines[1]["amount"]) == ("14000", "5000")
    tracker = _line_form("die van het inwerken is 6.000", slots, requested="more_values")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    lines = next(e["value"] for e in events if e["name"] == "value_lines")
    assert (lines[0]["amount"], lines[1]["amount"]) == ("12000", "6000")


async def test_an_unclear_correction_asks_which_line(dispatcher, domain):
    tracker = _line_form(
        "die van de parkeerplaats is 2.000", {"value_lines": [SAVING, ONE_OFF]}, "more_values"
    )
    await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_turn_ask_which_line"]


async def test_correction_without_lines_or_figure(dispatcher, domain):
    await ActionCorrectValueLine().run(dispatcher, make_tracker(text="nee, dat klopt niet"), domain)
    assert responses(dispatcher) == ["utter_nothing_to_change"]


async def test_a_corrected_figure_before_any_line_is_read(dispatcher, domain):
    # "sorry rekenfout, ..." after the sum of the first line was questioned: the figure is the line
    tracker = _line_form("sorry rekenfout, moet 14.000 per maand zijn", {}, "line_description")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    assert "utter_nothing_to_change" not in responses(dispatcher)
    pending = next(event["value"] for event in events if event.get("name") == "pending_lines")
    assert [(line["amount"], line["frequency"]) for line in pending] == [("14000", "month")]


async def test_remove_the_pending_lines_then_the_last_line(dispatcher, domain):
    tracker = make_tracker({"value_lines": [ONE_OFF], "pending_lines": [SAVING]})
    events = await ActionRemoveValueLine().run(dispatcher, tracker, domain)
    assert SlotSet("pending_lines", None) in events and SlotSet("value_lines", [ONE_OFF]) in events
    tracker = make_tracker({"value_lines": [ONE_OFF, SAVING]})
    events = await ActionRemoveValueLine().run(dispatcher, tracker, domain)
    assert SlotSet("value_lines", [ONE_OFF]) in events
    rendered(dispatcher, domain)


async def test_ask_first_and_next_line(dispatcher, domain):
    await ActionAskLineDescription().run(dispatcher, make_tracker(), domain)
    await ActionAskLineDescription().run(dispatcher, make_tracker({"value_lines": [SAVING]}), domain)
    assert responses(dispatcher) == ["utter_ask_first_value_line", "utter_ask_next_value_line"]


async def test_overview_of_the_lines(dispatcher, domain):
    await ActionListValueLines().run(dispatcher, make_tracker({"value_lines": [SAVING, ONE_OFF]}), domain)
    texts = rendered(dispatcher, domain)
    assert "Totaal: eenmalig € 2.500,00 en € 12.000,00 per jaar" in texts[0]


async def test_back_from_the_price_leaves_for_the_value_lines(dispatcher, domain):
    from actions.price import ValidatePriceForm

    tracker = make_tracker(
        {"value_lines": [SAVING], "requested_slot": "price_one_off", "price_one_off": "terug"},
        text="terug",
        active_loop="price_form",
    )
    tracker.events = [
        {"event": "user", "text": "terug"},
        {"event": "slot", "name": "price_one_off", "value": "terug"},
    ]
    events = await ValidatePriceForm().run(dispatcher, tracker, domain)
    assert ActiveLoop(None) in events and FollowupAction("value_line_form") in events


def test_a_value_in_the_engagement_answer_is_kept_for_its_certainty(dispatcher, domain):
    from actions.intake import ValidateIntakeForm

    text = "IT-helpdesk voor 3 scholen, scheelt ze zo'n 2.000 per maand aan storingen"
    result = ValidateIntakeForm().validate_engagement(text, dispatcher, make_tracker(text=text), domain)
    assert result["engagement"] == text
    assert [(line["amount"], line["frequency"]) for line in result["pending_lines"]] == [("2000", "month")]
    assert result["line_description"] and result["more_values"] is None
    assert "€ 2.000,00 per maand" in rendered(dispatcher, domain)[0]
    # When the value-line form starts, the kept line is not read a second time.
    tracker = make_tracker({"pending_lines": result["pending_lines"]}, text="akkoord")
    assert ValidateValueLineForm().validate_line_description(text, dispatcher, tracker, domain) == {
        "line_description": text
    }


def test_a_price_and_length_in_the_engagement_answer_are_kept_and_read_back(dispatcher, domain):
    from actions.intake import ValidateIntakeForm
    from actions.price import ValidatePriceForm

    text = "beheer van de ICT voor 3 basisscholen, 36 maanden, wij vragen 4.500 per maand"
    result = ValidateIntakeForm().validate_engagement(text, dispatcher, make_tracker(text=text), domain)
    assert result["engagement"] == text
    assert (result["price_recurring"], result["contract_years"]) == ("54000", "3")
    assert not result["pending_lines"] and result["more_values"] is None  # the value lines come first
    reply = " ".join(rendered(dispatcher, domain))
    assert "€ 4.500,00" in reply and "€ 54.000,00" in reply and "3 jaar" in reply
    # When the price form starts later, the kept parts are validated as they are, not read again.
    tracker = make_tracker(
        {"price_recurring": "54000", "contract_years": "3", "engagement": text}, text="nee, dat was het"
    )
    assert ValidatePriceForm().validate_price_recurring("54000", dispatcher, tracker, domain) == {
        "price_recurring": "54000"
    }


def test_only_changed_slots_are_stored_again():
    from actions.draft import changed_slots_only

    before = {"price_one_off": "5000", "contract_years": None, "line_description": "x", "value_lines": []}
    events = [
        SlotSet("price_one_off", "5000"),  # unchanged: not stored again
        SlotSet("contract_years", "3"),
        SlotSet("contract_years", None),  # back to what it was, after a change in the same turn: kept
        SlotSet("line_description", "x"),  # the slot being validated: kept
        SlotSet("value_lines", []),  # unchanged
    ]
    assert changed_slots_only(events, before, {"line_description"}) == [
        SlotSet("contract_years", "3"),
        SlotSet("contract_years", None),
        SlotSet("line_description", "x"),
    ]


async def test_a_validation_run_stores_the_changed_slots_only(dispatcher, domain):
    lines = [
        {
            "description": "afval",
            "amount": "1000",
            "frequency": "month",
            "category": "cost_saving",
            "certainty": "1",
        }
    ]
    text = "ze besparen ook 500 per maand op papier"
    tracker = make_tracker(
        {
            "value_lines": lines,
            "more_values": True,
            "line_description": text,
            "requested_slot": "line_description",
        },
        text=text,
        active_loop="value_line_form",
    )
    tracker.events = [
        {"event": "user", "text": text},
        {"event": "slot", "name": "line_description", "value": text},
    ]
    events = await ValidateValueLineForm().run(dispatcher, tracker, domain)
    names = [e["name"] for e in events if e.get("event") == "slot"]
    assert "pending_lines" in names and "line_description" in names  # what changed, and the answer
    assert "value_lines" not in names and "price_one_off" not in names and "contract_years" not in names


def test_a_new_value_line_at_a_price_question_asks_its_certainty(dispatcher, domain):
    from actions.price import ValidatePriceForm

    lines = [
        {
            "description": "afval",
            "amount": "1000",
            "frequency": "month",
            "category": "cost_saving",
            "certainty": "1",
        }
    ]
    text = "vergeten te zeggen: ze besparen ook 400 per maand op koeriers"
    tracker = make_tracker({"value_lines": lines, "requested_slot": "price_one_off"}, text=text)
    slots = ValidatePriceForm().validate_price_one_off(text, dispatcher, tracker, domain)
    assert slots["switch_to"] == "value_line_form" and slots["price_one_off"] is None
    assert [(line["amount"], line["frequency"]) for line in slots["pending_lines"]] == [("400", "month")]
    assert slots["line_description"] and slots["line_certainty"] is None  # the certainty is asked next
    assert "€ 400,00 per maand" in " ".join(rendered(dispatcher, domain))


WAITING_LINE = {
    "description": "afvoer",
    "amount": "900",
    "frequency": "month",
    "category": "other",
    "certainty": "1",
}


async def at_the_reaction(text, dispatcher, domain, intent="", **slots):
    """The value question form's validation of ``text`` while the client's reaction is asked:
    its events and the slots they set."""
    from actions.value_question import ValidateValueQuestionForm

    tracker = make_tracker(
        {"requested_slot": "client_answer", **slots},
        text=text,
        intent=intent,
        active_loop="value_question_form",
    )
    tracker.events = [{"event": "user", "text": text}]
    events = await ValidateValueQuestionForm().run(dispatcher, tracker, domain)
    return events, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_a_value_given_as_the_clients_reaction_is_kept_and_the_reaction_asked_again(dispatcher, domain):
    text = "ze hebben 6 storingen per jaar minder à 900 per storing, dus 5400 per jaar"
    _, slots = await at_the_reaction(text, dispatcher, domain)
    assert [(line["amount"], line["frequency"]) for line in slots["pending_lines"]] == [("5400", "year")]
    assert slots.get("client_answer") is None  # the reaction is still asked
    assert "€ 5.400,00 per jaar" in " ".join(rendered(dispatcher, domain))


async def test_a_plain_reaction_is_read_from_the_words(dispatcher, domain):
    _, slots = await at_the_reaction("hij twijfelt nog", dispatcher, domain)
    assert {k: v for k, v in slots.items() if k != "requested_slot"} == {
        "client_answer": "doubts"
    }  # no figures
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["80%", "klopt, daar is ze 80 procent zeker van"])
async def test_a_certainty_at_the_reaction_question_confirms_the_line_given_there(text, dispatcher, domain):
    _, slots = await at_the_reaction(text, dispatcher, domain, pending_lines=[WAITING_LINE])
    assert [(line["amount"], line["certainty"]) for line in slots["value_lines"]] == [("900", "0.8")]
    assert not slots.get("pending_lines") and slots.get("client_answer") is None
    assert "80%" in " ".join(rendered(dispatcher, domain))


async def test_a_doubting_reaction_is_no_certainty_for_the_line_given_before(dispatcher, domain):
    _, slots = await at_the_reaction("ze twijfelt", dispatcher, domain, pending_lines=[WAITING_LINE])
    assert "value_lines" not in slots and "pending_lines" not in slots


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ja hoor, dat vindt hij redelijk", "agrees"),
        ("jazeker, en ze besparen ook 1.150 per maand op energie", "agrees"),
    ],
)
async def test_a_reaction_the_nlu_left_unmapped_is_read_from_the_words(text, answer, dispatcher, domain):
    _, slots = await at_the_reaction(text, dispatcher, domain)
    assert slots["client_answer"] == answer
    if "1.150" in text:  # a value line beside the reaction is kept too
        assert [line["amount"] for line in slots["pending_lines"]] == ["1150"]


async def test_the_reaction_is_asked_briefly_once_figures_were_given(dispatcher, domain):
    from actions.value_question import ActionAskClientAnswer

    await ActionAskClientAnswer().run(dispatcher, make_tracker({"pending_lines": [WAITING_LINE]}), domain)
    await ActionAskClientAnswer().run(dispatcher, make_tracker({}), domain)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_ask_client_answer_again",
        "utter_ask_client_answer",
    ]


async def test_a_message_that_is_no_reaction_is_said_so_and_the_reaction_asked_briefly(dispatcher, domain):
    from actions.value_question import ActionAskClientAnswer

    events, slots = await at_the_reaction("de koffieautomaat is weer kapot", dispatcher, domain)
    assert "client_answer" in slots and slots["client_answer"] is None  # the form is not rejected
    tracker = make_tracker({"requested_slot": "client_answer"})
    await ActionAskClientAnswer().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_client_answer_unclear",
        "utter_ask_client_answer_again",
    ]


async def test_a_control_intent_at_the_reaction_is_left_to_the_rules(dispatcher, domain):
    _, slots = await at_the_reaction("waarom vraag je dat?", dispatcher, domain, intent="ask_why")
    assert not {k for k in slots if k != "requested_slot"}
    assert dispatcher.messages == []
