"""Value discovery: parsing lines, certainty, the loop, corrections and removals."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

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


def test_a_value_line_is_understood(dispatcher, domain):
    form = ValidateValueLineForm()
    result = form.validate_line_description(SAVING["description"], dispatcher, make_tracker(), domain)
    assert result["line_description"] == SAVING["description"]
    assert result["pending_line"]["amount"] == "12000"
    assert result["pending_line"]["frequency"] == "year"
    assert result["pending_line"]["category"] == "cost_saving"
    assert dispatcher.messages == []


async def test_time_saved_is_hours_times_rate(dispatcher, domain):
    text = "de facilitair manager is 2 uur per week minder kwijt, die kost 55 euro per uur"
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, make_tracker(), domain)
    pending = result["pending_line"]
    assert (pending["amount"], pending["frequency"], pending["category"]) == ("110", "week", "time_saved")

    asker = ActionAskLineCertainty()
    tracker = make_tracker({"pending_line": pending})
    await asker.run(dispatcher, tracker, domain)
    texts = rendered(dispatcher, domain)
    assert "2 uur × € 55,00 per uur = € 110,00 per week" in texts[0]
    assert "Ik noteer: € 110,00 per week, tijdwinst." in texts[1]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("heel veel", "utter_invalid_line_no_amount"),
        ("10^15 euro per jaar", "utter_invalid_line_no_amount"),
        ("-500 euro per jaar", "utter_invalid_line_negative"),
        ("0 euro per jaar", "utter_invalid_line_zero"),
        ("1000000000000000 euro per jaar", "utter_invalid_line_too_large"),
        ("2 uur per week minder werk", "utter_invalid_line_hours_without_rate"),
    ],
)
def test_bad_value_lines_are_asked_again(text, response, dispatcher, domain):
    result = ValidateValueLineForm().validate_line_description(text, dispatcher, make_tracker(), domain)
    assert result == {"line_description": None, "pending_line": None}
    assert responses(dispatcher) == [response]
    assert "bijvoorbeeld" in rendered(dispatcher, domain)[0]


def test_certainty_confirms_the_line_and_appends_it(dispatcher, domain):
    tracker = make_tracker({"pending_line": SAVING, "line_description": SAVING["description"]})
    result = ValidateValueLineForm().validate_line_certainty("waarschijnlijk", dispatcher, tracker, domain)
    assert result["value_lines"] == [{**SAVING, "certainty": "0.75"}]
    assert result["line_description"] is None and result["more_values"] is None
    assert rendered(dispatcher, domain) == [
        "Regel 1: € 12.000,00 per jaar, kostenbesparing, zekerheid 75%. "
        "In de verwachte waarde telt dit mee als € 9.000,00 per jaar."
    ]


def test_unknown_certainty_is_asked_again(dispatcher, domain):
    tracker = make_tracker({"pending_line": SAVING})
    result = ValidateValueLineForm().validate_line_certainty("blauw", dispatcher, tracker, domain)
    assert result == {"line_certainty": None}
    assert responses(dispatcher) == ["utter_invalid_certainty"]


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({}, ["line_description", "line_certainty"]),
        ({"line_description": "x", "more_values": False}, ["line_description", "line_certainty"]),
        ({"value_lines": [SAVING]}, ["more_values"]),
        ({"value_lines": [SAVING], "more_values": True}, ["line_description", "line_certainty"]),
        ({"value_lines": [SAVING], "more_values": False}, []),
        ({"more_values": False}, ["line_description", "line_certainty"]),
    ],
)
async def test_the_loop_asks_for_the_right_slot(slots, expected, dispatcher, domain):
    form = ValidateValueLineForm()
    assert await form.required_slots([], dispatcher, make_tracker(slots), domain) == expected


async def test_first_and_next_line_questions(dispatcher, domain):
    asker = ActionAskLineDescription()
    await asker.run(dispatcher, make_tracker(intent="finish_values"), domain)
    await asker.run(dispatcher, make_tracker({"value_lines": [SAVING]}), domain)
    assert responses(dispatcher) == [
        "utter_need_one_value_line",
        "utter_ask_first_value_line",
        "utter_ask_next_value_line",
    ]


async def test_correction_changes_the_last_line(dispatcher, domain):
    tracker = make_tracker({"value_lines": [ONE_OFF, SAVING]}, text="nee, dat was 15.000")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    assert events == [SlotSet("value_lines", [ONE_OFF, {**SAVING, "amount": "15000"}])]
    assert rendered(dispatcher, domain) == [
        "Aangepast. Regel 2 is nu: € 15.000,00 per jaar, kostenbesparing."
    ]


async def test_correction_of_the_frequency_of_the_line_being_entered(dispatcher, domain):
    tracker = make_tracker({"pending_line": SAVING}, text="fout, het is per maand")
    events = await ActionCorrectValueLine().run(dispatcher, tracker, domain)
    assert events[0].get("value")["frequency"] == "month"
    assert events[0].get("value")["amount"] == "12000"
    assert "€ 12.000,00 per maand" in rendered(dispatcher, domain)[0]


async def test_correction_without_a_new_figure_is_asked_again(dispatcher, domain):
    tracker = make_tracker({"value_lines": [SAVING]}, text="nee dat klopt niet")
    assert await ActionCorrectValueLine().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_correction_not_understood"]


async def test_nothing_to_correct_or_remove(dispatcher, domain):
    await ActionCorrectValueLine().run(dispatcher, make_tracker(text="nee, 15.000"), domain)
    await ActionRemoveValueLine().run(dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_nothing_to_change"] * 2


async def test_remove_the_last_line(dispatcher, domain):
    tracker = make_tracker({"value_lines": [ONE_OFF, SAVING]}, text="haal de laatste weg")
    events = await ActionRemoveValueLine().run(dispatcher, tracker, domain)
    assert SlotSet("value_lines", [ONE_OFF]) in events
    assert rendered(dispatcher, domain) == [
        "Regel 2 (€ 12.000,00 per jaar) is verwijderd. Je hebt nu 1 waarderegel(s)."
    ]


async def test_remove_the_line_being_entered(dispatcher, domain):
    tracker = make_tracker({"value_lines": [ONE_OFF], "pending_line": SAVING})
    events = await ActionRemoveValueLine().run(dispatcher, tracker, domain)
    assert SlotSet("pending_line", None) in events and SlotSet("line_description", None) in events
    assert "Regel 2" in rendered(dispatcher, domain)[0]


async def test_overview_of_all_lines(dispatcher, domain):
    tracker = make_tracker({"value_lines": [SAVING, ONE_OFF]})
    await ActionListValueLines().run(dispatcher, tracker, domain)
    overview = rendered(dispatcher, domain)[0]
    assert "1. ze besparen 12.000 euro per jaar op schoonmaakkosten: € 12.000,00 per jaar" in overview
    assert (
        "2. eenmalig 5.000 euro minder inwerkkosten: € 5.000,00 eenmalig, kostenbesparing, zekerheid 50%"
        in overview
    )
    assert "Totaal: eenmalig € 2.500,00 en € 12.000,00 per jaar" in overview


def test_slots_cleared_by_an_action_are_not_validated(dispatcher, domain):
    form = ValidateValueLineForm()
    tracker = make_tracker({"value_lines": [SAVING]})
    assert form.validate_line_description(None, dispatcher, tracker, domain) == {}
    assert form.validate_more_values(None, dispatcher, tracker, domain) == {}
    assert dispatcher.messages == []
