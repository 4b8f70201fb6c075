"""Tests for :mod:`bot.roleplay`: the client the bot plays in a rehearsal."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from itertools import pairwise

import pytest

from bot.coaching import load_rules
from bot.personas import Persona, find_persona, load_personas
from bot.roleplay import (
    COACH_ALREADY_FINISHED,
    COACH_BACK_IN_ROLE,
    COACH_FINISHED,
    COACH_INTRO,
    COACH_OUT_OF_ROLE,
    COACH_TIME_OUT,
    GIVEN_IN,
    HANDLED,
    OPEN,
    Reply,
    RevealedFact,
    RoleplayState,
    _play,
    client_turn,
    read_amount,
    start,
)
from bot.roleplay_moves import Move
from bot.value_lines import ParsedLine
from bot.value_model import Category, Frequency

PERSONAS = load_personas()
RULES = load_rules()
HOSPITAL = find_persona(PERSONAS, "hospital_facility_manager")
MUNICIPALITY = find_persona(PERSONAS, "municipality_tender_buyer")
CATERING = find_persona(PERSONAS, "small_business_owner_catering")

ASK_ALL = [
    "Wat zou voor u over een jaar een succes zijn?",
    "Wat kost de schoonmaak u nu per jaar?",
    "Waar loopt u nu het meest tegenaan?",
]
VALUE_QUESTION = (
    "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?"
)


def play(persona_id: str, *messages: str) -> tuple[RoleplayState, list[list[Reply]]]:
    persona = find_persona(PERSONAS, persona_id)
    state, _ = start(persona)
    replies = []
    for message in messages:
        state, said = client_turn(persona, state, message, RULES)
        replies.append(said)
    return state, replies


def names(replies: list[Reply]) -> list[str]:
    """The response names, a variation ("utter_roleplay_neutral_2") by its first name."""
    return [re.sub(r"_[0-9]+$", "", reply.response) for reply in replies]


def general_lines(persona: Persona) -> set[str]:
    """What the client may answer to a message without a move: steering or neutral."""
    return {name for fact in persona.facts for name in fact.steer} | set(persona.reactions["neutral"])


def test_start_introduces_the_client_who_opens() -> None:
    state, replies = start(HOSPITAL)
    assert state == RoleplayState("hospital_facility_manager")
    assert names(replies) == [COACH_INTRO, "utter_roleplay_opening"]
    assert replies[0].variables == {
        "name": "Ingrid Verbeek",
        "role": "facilitair manager",
        "buys": "schoonmaak van de verpleegafdelingen en de operatiekamers",
    }


# -- hidden facts -----------------------------------------------------------------------


def test_small_talk_reveals_nothing() -> None:
    state, replies = play(HOSPITAL.id, "Goedemiddag, fijn dat u tijd heeft.", "Mooi gebouw hier.")
    [[first], [second]] = replies
    assert {first.response, second.response} <= general_lines(HOSPITAL)
    assert first.response != second.response
    assert state.facts == ()
    assert state.turn == 2


def test_a_fact_only_on_its_discovery_question() -> None:
    state, replies = play(
        HOSPITAL.id, "Wat zou voor u een succes zijn?", "Wat kost de schoonmaak u nu per jaar?"
    )
    assert names(replies[0]) == ["utter_roleplay_fact_success"]
    assert [fact.kind for fact in state.facts] == ["success", "current_cost"]
    (cost,) = replies[1]
    assert cost.response == "utter_roleplay_fact_current_cost"
    assert (cost.variables["amount"], cost.variables["frequency"]) == ("€ 420.000,00", "per jaar")
    assert state.revealed("current_cost").quote == "Wat kost de schoonmaak u nu per jaar?"  # type: ignore[union-attr]
    assert state.revealed("pains") is None


def test_a_repeated_question_gets_already_told() -> None:
    state, replies = play(CATERING.id, "Wat geef je nu uit aan lunch?", "Hoeveel betaal je nu eigenlijk?")
    assert names(replies[1]) == ["utter_roleplay_fact_repeated"]
    assert replies[1][0].variables["amount"] == "€ 900,00"
    assert replies[1][0].variables["frequency"] == "per week"
    assert len(state.facts) == 1


def test_the_same_question_twice_in_one_message_is_answered_once() -> None:
    _, replies = play(HOSPITAL.id, "Wat kost de schoonmaak nu? En hoeveel betaalt u in totaal?")
    assert names(replies[0]) == ["utter_roleplay_fact_current_cost"]


# -- the value question -------------------------------------------------------------------


def test_a_well_asked_value_question_gets_agreement() -> None:
    state, replies = play(HOSPITAL.id, VALUE_QUESTION)
    assert names(replies[0]) == ["utter_roleplay_value_question_good"]
    assert state.value_agreed


def test_an_unclear_value_question() -> None:
    state, replies = play(HOSPITAL.id, "Vindt u ons de prijs waard?")
    assert names(replies[0]) == ["utter_roleplay_value_question_unclear"]
    assert not state.value_agreed
    assert state.seen("value_question")[0].good is False


def test_the_municipality_answers_the_value_question_with_its_rules() -> None:
    state, replies = play(MUNICIPALITY.id, VALUE_QUESTION)
    assert names(replies[0]) == ["utter_roleplay_objection_lowest_price"]
    assert not state.value_agreed
    assert state.objection("lowest_price").status == OPEN  # type: ignore[union-attr]


# -- value lines --------------------------------------------------------------------------


def test_value_before_the_client_told_anything_is_doubted() -> None:
    state, replies = play(HOSPITAL.id, "Dat scheelt u € 54.000 per jaar.")
    assert names(replies[0]) == ["utter_roleplay_value_doubted"]
    assert replies[0][0].variables["amount"] == "€ 54.000,00"
    assert not state.value_clear


def test_value_within_what_the_client_told_is_confirmed() -> None:
    state, replies = play(
        HOSPITAL.id, *ASK_ALL, "Als we de infecties halveren, scheelt dat u € 54.000 per jaar."
    )
    assert names(replies[-1]) == ["utter_roleplay_value_confirmed"]
    (value,) = state.values
    assert (value.amount, value.frequency, value.confirmed) == (Decimal(54000), Frequency.YEAR, True)
    assert state.value_clear


def test_value_beyond_what_the_client_told_is_doubted() -> None:
    # Told: € 156.000 per year of problems; the margin allows 10% more, not a million.
    state, replies = play(
        HOSPITAL.id, *ASK_ALL, "Als we de infecties aanpakken, bespaart u € 1.000.000 per jaar."
    )
    assert names(replies[-1]) == ["utter_roleplay_value_doubted"]
    assert not state.value_clear


def test_confirmed_value_adds_up_against_what_was_told() -> None:
    state, _ = play(
        HOSPITAL.id,
        *ASK_ALL,
        "Dat scheelt u € 100.000 per jaar.",
        "En het levert u nog eens € 60.000 per jaar op.",  # 160.000 <= 1,1 x 156.000
        "Daarbovenop bespaart u € 20.000 per jaar.",  # 180.000 > 171.600
    )
    assert [value.confirmed for value in state.values] == [True, True, False]


# -- price and objections -----------------------------------------------------------------


def test_a_price_above_the_budget_raises_both_price_objections() -> None:
    state, replies = play(HOSPITAL.id, "Onze prijs is € 430.000 per jaar.")
    assert names(replies[0]) == ["utter_roleplay_objection_budget", "utter_roleplay_objection_too_expensive"]
    budget = replies[0][0].variables
    assert (budget["amount"], budget["frequency"]) == ("€ 400.000,00", "per jaar")
    assert (budget["price"], budget["price_frequency"]) == ("€ 430.000,00", "per jaar")
    assert state.price is not None and state.price.per_year == Decimal(430000)
    # Raising the budget objection tells the ceiling, but the salesperson did not ask for it.
    assert state.revealed("budget_ceiling").quote == ""  # type: ignore[union-attr]


def test_a_price_within_the_budget_raises_only_its_own_trigger() -> None:
    state, replies = play(HOSPITAL.id, "Onze prijs is € 390.000 per jaar.")
    assert names(replies[0]) == ["utter_roleplay_objection_too_expensive"]
    assert [record.id for record in state.objections] == ["too_expensive"]


def test_a_price_without_objections_is_noted() -> None:
    state, replies = play(
        MUNICIPALITY.id, "Wij rekenen eenmalig € 20.000 voor de overstap."
    )  # 20.000 over 4 years: within the ceiling
    assert names(replies[0]) == ["utter_roleplay_price_named"]
    assert replies[0][0].variables["price"] == "€ 20.000,00"
    assert replies[0][0].variables["price_frequency"] == "eenmalig"
    assert state.price is not None and state.price.one_off == Decimal(20000)


def test_a_monthly_price_is_compared_per_year_with_a_monthly_budget() -> None:
    # € 4.400 per month is within € 4.500 per month; € 5.200 is not.
    _, within = play(CATERING.id, "Dat kost je bij ons € 4.400 per maand.")
    _, above = play(CATERING.id, "Dat kost je bij ons € 5.200 per maand.")
    assert names(within[0]) == ["utter_roleplay_price_named"]
    assert names(above[0]) == ["utter_roleplay_objection_budget"]


def test_a_one_off_price_part_counts_against_the_budget_too() -> None:
    # € 4.400 per month is € 52.800 a year; with € 2.000 once (a 1-year contract) it is € 54.800,
    # above the € 54.000 a year of the budget ceiling.
    state, replies = play(
        CATERING.id,
        "Dat kost je bij ons € 4.400 per maand.",
        "Wij rekenen daarnaast eenmalig € 2.000 voor de inrichting.",
    )
    assert names(replies[0]) == ["utter_roleplay_price_named"]
    assert names(replies[1]) == ["utter_roleplay_objection_budget"]
    assert state.price is not None
    assert (state.price.one_off, state.price.per_year) == (Decimal(2000), Decimal(52800))


def test_an_objection_is_raised_at_most_once() -> None:
    state, replies = play(
        HOSPITAL.id, "Onze prijs is € 390.000 per jaar.", "Onze prijs is € 395.000 per jaar."
    )
    assert names(replies[1]) == ["utter_roleplay_price_named"]
    assert len(state.objections) == 1


def test_a_turn_objection_comes_at_its_turn_in_a_quiet_message() -> None:
    state, replies = play(HOSPITAL.id, *["Goedemiddag."] * 5)
    assert state.objections == ()
    state, replies = play(HOSPITAL.id, *["Goedemiddag."] * 6)
    (raised,) = replies[-1]
    assert raised.response == "utter_roleplay_objection_competitor_cheaper"
    assert raised.variables["amount"] == "€ 380.000,00"
    # In turn 6 another objection comes first; the competitor waits for the next message.
    state, replies = play(HOSPITAL.id, *["Goedemiddag."] * 5, "Onze prijs is € 390.000 per jaar.", "Goed.")
    assert names(replies[5]) == ["utter_roleplay_objection_too_expensive"]
    assert names(replies[6]) == ["utter_roleplay_objection_competitor_cheaper"]


@pytest.mark.parametrize(
    ("persona_id", "message", "objection"),
    [
        ("municipality_tender_buyer", "Ik leg u drie opties voor.", "not_in_tender"),
        ("municipality_tender_buyer", "Zullen we dinsdag om 14.00 uur afspreken?", "tender_contact"),
        ("municipality_tender_buyer", "Onze prijs is € 330.000 per jaar.", "budget"),
        ("small_business_owner_catering", "Zullen we maandag om 9 uur starten?", "wants_to_cancel"),
        ("small_business_owner_catering", "Dat kost je bij ons € 5.200 per maand.", "budget"),
    ],
)
def test_objections_and_their_triggers(persona_id: str, message: str, objection: str) -> None:
    state, replies = play(persona_id, message)
    assert names(replies[0]) == [f"utter_roleplay_objection_{objection}"]
    assert [record.id for record in state.objections] == [objection]


def test_the_catering_owner_doubts_the_first_value_line() -> None:
    state, replies = play(
        CATERING.id,
        "Wat geef je nu uit aan lunch?",
        "Je bespaart die 900 euro per week aan lunchvergoeding.",
    )
    assert names(replies[1]) == ["utter_roleplay_objection_doubts_value"]
    assert state.values == ()  # her current cost is no value
    assert state.objection("doubts_value").status == OPEN  # type: ignore[union-attr]


def test_an_objection_is_handled_by_a_later_value_move() -> None:
    state, replies = play(
        HOSPITAL.id,
        *ASK_ALL,
        "Onze prijs is € 430.000 per jaar.",
        "Ik leg u drie opties voor: alleen de operatiekamers, alles, of alles met een hygiënemeting.",
    )
    assert names(replies[-1]) == [
        "utter_roleplay_objection_budget_handled",
        "utter_roleplay_objection_too_expensive_handled",
    ]
    assert {record.status for record in state.objections} == {HANDLED}
    assert state.objection("budget").quote.startswith("Ik leg u drie opties voor")  # type: ignore[union-attr]


def test_the_message_that_raises_an_objection_does_not_handle_it() -> None:
    state, _ = play(
        HOSPITAL.id, *ASK_ALL, "Onze prijs is € 390.000 per jaar; dat scheelt u € 54.000 per jaar."
    )
    assert state.objection("too_expensive").status == OPEN  # type: ignore[union-attr]


def test_a_doubted_value_line_does_not_handle_an_objection() -> None:
    state, replies = play(
        HOSPITAL.id, "Onze prijs is € 390.000 per jaar.", "Dat scheelt u € 54.000 per jaar."
    )
    assert names(replies[1]) == ["utter_roleplay_value_doubted"]
    assert state.objection("too_expensive").status == OPEN  # type: ignore[union-attr]


# -- discounts ----------------------------------------------------------------------------


def test_a_discount_before_the_value_is_clear() -> None:
    state, replies = play(HOSPITAL.id, "Onze prijs is € 430.000 per jaar.", "Goed, ik doe er 10% af.")
    assert names(replies[1]) == ["utter_roleplay_discount_before_value"]
    (discount,) = state.discounts
    assert discount.before_value
    assert {record.status for record in state.objections} == {GIVEN_IN}
    assert state.objection("budget").quote == "Goed, ik doe er 10% af"  # type: ignore[union-attr]


def test_a_discount_after_the_value_is_clear() -> None:
    state, replies = play(
        HOSPITAL.id, *ASK_ALL, "Dat scheelt u € 54.000 per jaar.", "En ik geef u er 5% korting bij."
    )
    assert names(replies[-1]) == ["utter_roleplay_discount"]
    assert state.discounts[0].before_value is False


# -- options, next step, promise ----------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "reaction"),
    [
        ("Ik leg u drie opties voor.", "utter_roleplay_options"),
        ("Ik bel u donderdag om 10 uur.", "utter_roleplay_next_step_concrete"),
        ("Ik bel u binnenkort.", "utter_roleplay_next_step_vague"),
        (
            "Mijn belofte: elke klacht heeft binnen 4 werkuren een eigenaar.",
            "utter_roleplay_promise_concrete",
        ),
        ("Wij beloven u een klantgerichte aanpak.", "utter_roleplay_promise_vague"),
    ],
)
def test_reactions(message: str, reaction: str) -> None:
    _, replies = play(HOSPITAL.id, message)
    assert names(replies[0]) == [reaction]


def test_a_concrete_promise_handles_the_wish_to_cancel() -> None:
    state, replies = play(
        CATERING.id,
        "Zullen we maandag om 9 uur starten?",
        "Ik beloof je: opzeggen kan per maand, met één mail.",
    )
    assert names(replies[1]) == ["utter_roleplay_objection_wants_to_cancel_handled"]
    assert state.objection("wants_to_cancel").status == HANDLED  # type: ignore[union-attr]


# -- coaching -----------------------------------------------------------------------------


def test_coaching_flags_are_recorded_not_shown() -> None:
    state, replies = play(HOSPITAL.id, "Ik stuur u zo snel mogelijk een voorstel.")
    assert names(replies[0]) == ["utter_roleplay_next_step_vague"]
    (flag,) = state.coaching_flags
    assert (flag.rule_id, flag.quote, flag.turn) == ("asap", "zo snel mogelijk", 1)


def test_price_first_is_only_flagged_before_the_value_is_clear() -> None:
    early, _ = play(HOSPITAL.id, "Wij zijn de goedkoopste.")
    late, _ = play(HOSPITAL.id, *ASK_ALL, "Dat scheelt u € 54.000 per jaar.", "Wij zijn de goedkoopste.")
    assert [flag.rule_id for flag in early.coaching_flags] == ["price_first"]
    assert late.coaching_flags == ()


# -- control words ------------------------------------------------------------------------


def test_time_out_and_back() -> None:
    state, replies = play(
        HOSPITAL.id,
        "Wat kost de schoonmaak u nu?",
        "Time-out. Wat moet ik nu vragen?",
        "Waar loopt u tegenaan?",
        "verder",
        "Waar loopt u tegenaan?",
    )
    assert names(replies[1]) == [COACH_TIME_OUT]
    assert replies[1][0].variables == {"facts_found": "1", "facts_total": "5", "open_objections": "0"}
    assert names(replies[2]) == [COACH_OUT_OF_ROLE]  # not played while out of role
    assert names(replies[3]) == [COACH_BACK_IN_ROLE]
    assert names(replies[4]) == ["utter_roleplay_fact_pains"]
    assert [fact.kind for fact in state.facts] == ["current_cost", "pains"]
    assert state.turn == 2
    assert not state.out_of_role


def test_what_comes_before_finish_is_played() -> None:
    state, replies = play(HOSPITAL.id, "Ik bel u donderdag om 10 uur. Klaar.", "Nog één ding.")
    assert names(replies[0]) == ["utter_roleplay_next_step_concrete", COACH_FINISHED]
    assert state.finished
    assert names(replies[1]) == [COACH_ALREADY_FINISHED]
    assert state.turn == 1


def test_finish_while_out_of_role() -> None:
    state, replies = play(HOSPITAL.id, "Even uit de rol.", "Einde oefening.")
    assert names(replies[1]) == [COACH_FINISHED]
    assert state.finished and not state.out_of_role
    assert state.turn == 0


def test_verder_in_role_is_just_talk() -> None:
    state, replies = play(HOSPITAL.id, "Verder.")
    assert {reply.response for reply in replies[0]} <= general_lines(HOSPITAL)
    assert state.turn == 1


# -- state --------------------------------------------------------------------------------


def test_deterministic() -> None:
    messages = [*ASK_ALL, VALUE_QUESTION, "Onze prijs is € 430.000 per jaar.", "Ik leg u twee opties voor."]
    assert play(HOSPITAL.id, *messages) == play(HOSPITAL.id, *messages)


def test_the_state_belongs_to_its_persona() -> None:
    state, _ = start(HOSPITAL)
    with pytest.raises(ValueError, match="persona 'hospital_facility_manager'"):
        client_turn(CATERING, state, "Hallo", RULES)


# -- a client that does not repeat itself -----------------------------------------------------

ORDINARY = [
    "Goedemiddag, fijn dat u tijd heeft.",
    "Mooi gebouw hebben jullie hier.",
    "Ik kom net uit de file, het was druk op de snelweg.",
    "Ons bedrijf bestaat sinds 1998.",
    "We hebben vestigingen in Utrecht en Zwolle.",
    "Ik werk zelf al acht jaar in deze branche.",
    "Wij werken met vaste teams.",
    "Ik heb een brochure meegenomen.",
    "Onze mensen zijn goed opgeleid.",
    "Het weer is vandaag wel wisselvallig.",
    "Ik heb gisteren uw website bekeken.",
    "Wij vinden kwaliteit belangrijk.",
    "Onze directeur laat u hartelijk groeten.",
    "We zijn vorig jaar flink gegroeid.",
    "Ik ben benieuwd naar uw organisatie.",
    "Wij hebben veel ervaring met dit soort opdrachten.",
    "Ik drink graag koffie, dank u.",
    "Ons kantoor zit vlak bij het station.",
    "We hebben een eigen opleidingscentrum.",
    "Ik heb de stukken goed gelezen.",
]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_twenty_ordinary_lines_never_get_the_same_reply_three_times(persona: Persona) -> None:
    assert len(ORDINARY) == 20
    _, replies = play(persona.id, *ORDINARY)
    said = [reply.response for turn in replies for reply in turn]
    assert max(Counter(said).values()) <= 2, Counter(said).most_common(3)
    assert all(one != other for one, other in pairwise(said)), said


def test_general_lines_steer_toward_facts_still_hidden_without_telling_them() -> None:
    state, replies = play(HOSPITAL.id, "Waar loopt u nu het meest tegenaan?", *ORDINARY[:12])
    assert state.revealed("pains") is not None
    said = [reply.response for turn in replies[1:] for reply in turn]
    assert not any(name.startswith("utter_roleplay_steer_pains") for name in said)
    assert any(name.startswith("utter_roleplay_steer_budget_ceiling") for name in said)
    assert [fact.kind for fact in state.facts] == ["pains"]  # steering told nothing


def test_the_same_kind_of_reply_varies_and_is_never_said_twice_in_a_row() -> None:
    question = "Wat kost de schoonmaak u nu per jaar?"
    state, replies = play(HOSPITAL.id, question, question, question, question)
    said = [reply.response for turn in replies for reply in turn]
    assert said[0] == "utter_roleplay_fact_current_cost"
    assert set(said[1:]) <= set(HOSPITAL.reactions["fact_repeated"])
    assert len(set(said[1:])) == 3
    assert all(one != other for one, other in pairwise(said))
    assert state.said == 4 and state.last_line == said[-1]


# -- amounts and what counts as value ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "frequency"),
    [
        (
            "Als we de infecties halveren, scheelt u dat 6 keer 9.000, dus 54.000 per jaar.",
            54000,
            Frequency.YEAR,
        ),
        ("15 uur per week à € 40 is € 600 per week die je terugwint.", 600, Frequency.WEEK),
        (
            "Met 60 procent minder stilstand is dat 1.800 uur à € 65, dus € 117.000 per jaar.",
            117000,
            Frequency.YEAR,
        ),
        ("2 x 58.000 = 116.000 per jaar", 116000, Frequency.YEAR),
        ("Dat scheelt u € 48.000 per jaar.", 48000, Frequency.YEAR),
        ("Onze prijs is 430.000 per jaar en dat levert u 156.000 per jaar op.", 156000, Frequency.YEAR),
        ("Goedemiddag.", None, None),
    ],
)
def test_a_written_out_sum_counts_its_stated_result(
    text: str, amount: int | None, frequency: Frequency | None
) -> None:
    reading = read_amount(text, None)
    assert reading == (None if amount is None else (Decimal(amount), frequency))


def test_the_value_of_a_sum_is_its_result_not_its_first_number() -> None:
    state, replies = play(
        HOSPITAL.id,
        "Waar loopt u nu het meest tegenaan, en wat kost u dat?",
        "Als we de infecties halveren, scheelt u dat 6 keer 9.000, dus 54.000 per jaar.",
    )
    assert [(value.amount, value.frequency, value.confirmed) for value in state.values] == [
        (Decimal(54000), Frequency.YEAR, True)
    ]
    (reply,) = replies[1]
    assert reply.response in HOSPITAL.reactions["value_confirmed"]
    assert (reply.variables["amount"], reply.variables["frequency"]) == ("€ 54.000,00", "per jaar")


def test_the_clients_current_cost_is_not_value() -> None:
    state, replies = play(
        HOSPITAL.id,
        "Wat kost de schoonmaak u nu per jaar?",
        "Waar loopt u nu het meest tegenaan, en wat kost u dat?",
        "Dan bespaart u de € 420.000 per jaar van uw huidige schoonmaker.",
    )
    assert state.values == ()
    assert names(replies[2]) == ["utter_roleplay_value_is_cost"]
    assert not state.value_clear


def test_value_is_grounded_in_what_the_problems_cost_only() -> None:
    """Current cost € 420.000 and problems € 156.000 a year: € 200.000 of value is more than was told."""
    state, _ = play(
        HOSPITAL.id,
        "Wat kost de schoonmaak u nu per jaar?",
        "Waar loopt u nu het meest tegenaan, en wat kost u dat?",
        "Dat scheelt u € 200.000 per jaar.",
    )
    assert [value.confirmed for value in state.values] == [False]


def test_a_price_is_read_as_a_price() -> None:
    assert read_amount("Onze prijs is € 395.000 per jaar, voor drie jaar.", None, price=True) == (
        Decimal(395000),
        Frequency.YEAR,
    )
    assert read_amount("Goedemiddag.", _line(5), price=True) == (Decimal(5), Frequency.YEAR)


def test_our_own_price_is_never_value() -> None:
    price = Move("name_price", "Onze prijs is € 395.000 per jaar", 0, True, _line(395000))
    claimed = Move("quantify_value", "Dat levert u € 395.000 per jaar op", 40, True, _line(395000))
    state = RoleplayState(HOSPITAL.id, facts=(RevealedFact("pains", 1, "Wat kost dat?"),))
    state, _ = _play(
        HOSPITAL,
        state,
        "Onze prijs is € 395.000 per jaar. Dat levert u € 395.000 per jaar op.",
        [price, claimed],
        RULES,
    )
    assert state.values == ()
    assert state.price is not None and state.price.per_year == Decimal(395000)


def _line(amount: int) -> ParsedLine:
    return ParsedLine(Decimal(amount), Frequency.YEAR, Category.COST_SAVING, None, None, True)
