"""Oefenen met een klant: the setup form, turns in character, time-out and the scorecard."""

from __future__ import annotations

import asyncio
import random
import re
import string
from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.roleplay import (
    PERSONAS,
    ActionAskPersonaChoice,
    ActionAskRoleplayTurn,
    ActionRoleplayScorecard,
    ActionStartRoleplay,
    ValidateRoleplayForm,
    ValidateRoleplaySetupForm,
    choose_persona,
    read_first_name,
)
from bot.personas import pick_persona
from bot.roleplay import RoleplayState
from bot.slot_shapes.roleplay_state import state_from_slot
from tests.actions.conftest import make_tracker, responses

HOSPITAL = "hospital_facility_manager"
MUNICIPALITY = "municipality_tender_buyer"
CATERING = "small_business_owner_catering"


def _variation(domain: dict[str, Any], name: str, persona: str | None) -> str:
    """The text Rasa would pick: the variation whose persona condition matches, else the default."""
    variations = domain["responses"][name]
    for variation in variations:
        conditions = variation.get("condition") or []
        if conditions and all(c["name"] == "persona" and c["value"] == persona for c in conditions):
            return variation["text"]
    defaults = [variation["text"] for variation in variations if not variation.get("condition")]
    assert defaults, f"{name} has no variation for persona {persona!r} and no default"
    return defaults[0]


def show(dispatcher: CollectingDispatcher, domain: dict[str, Any], persona: str | None) -> list[str]:
    """The Dutch texts the salesperson sees; fails when a template variable was not passed."""
    texts = []
    for message in dispatcher.messages:
        template = _variation(domain, message["response"], persona)
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        missing = names - set(message)
        assert not missing, f"{message['response']} needs {missing}"
        texts.append(template.format(**{key: message[key] for key in names}))
    return texts


def run(action: Any, dispatcher: CollectingDispatcher, tracker: Any, domain: dict[str, Any]) -> list[dict]:
    return asyncio.run(action.run(dispatcher, tracker, domain))


def slots_of(events: list[dict]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def setup(
    value: str, slot: str, domain: dict[str, Any], sender: str = "test"
) -> tuple[dict, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {slot: value, "requested_slot": slot}, text=value, intent="inform", active_loop="roleplay_setup_form"
    )
    tracker.sender_id = sender
    tracker.events = [{"event": "user", "text": value}, {"event": "slot", "name": slot, "value": value}]
    events = asyncio.run(ValidateRoleplaySetupForm().run(dispatcher, tracker, domain))
    return slots_of(events), dispatcher


# -- the setup form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("Sanne", "Sanne"),
        ("ik ben Pieter", "Pieter"),
        ("mijn naam is anne-marie de Vries", "Anne-marie"),
        ("Hoi, ik heet Joost.", "Joost"),
        ("Ben", "Ben"),
        ("jan-willem van der Berg", "Jan-willem"),
        ("Sanne de Vries", "Sanne"),
        ("ik ben Fatima El Amrani", "Fatima"),
        ("ik ben Ruud, ik verkoop beveiliging", "Ruud"),
        ("mijn naam is Esra en ik werk bij een installateur", "Esra"),
        ("hoi, ik heet Bram - binnendienst", "Bram"),
    ],
)
def test_a_first_name_is_read(answer: str, name: str, domain: dict[str, Any]) -> None:
    assert read_first_name(answer) == name
    slots, dispatcher = setup(answer, "salesperson_name", domain)
    assert slots["salesperson_name"] == name
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("answer", "slot"),
    [
        ("ik wil eigenlijk liever meteen een waardegesprek voeren", "salesperson_name"),
        ("nee, ik wil een echt gesprek voorbereiden", "salesperson_name"),
        ("laat maar, ik wil mijn eigen deal doorrekenen", "persona_choice"),
    ],
)
def test_the_set_up_can_be_left_for_a_real_conversation(
    answer: str, slot: str, domain: dict[str, Any]
) -> None:
    assert read_first_name(answer) is None
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {slot: answer, "requested_slot": slot}, text=answer, intent="deny", active_loop="roleplay_setup_form"
    )
    tracker.events = [{"event": "user", "text": answer}, {"event": "slot", "name": slot, "value": answer}]
    events = asyncio.run(ValidateRoleplaySetupForm().run(dispatcher, tracker, domain))
    assert FollowupAction("intake_form") in events and ActiveLoop(None) in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_turn_left_rehearsal_setup"]


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "hoi",
        "12345",
        "de klant is akkoord",
        "nee",
        "ik wil terug",
        "wat moet ik hier invullen?",
        "het maakt niet uit",
        "Sanne is akkoord",
        "x",
        "ik ben accountmanager",
        "ik ben salesmanager, bij een drukkerij",
    ],
)
def test_no_name_is_asked_again(answer: str, domain: dict[str, Any]) -> None:
    assert read_first_name(answer) is None
    slots, dispatcher = setup(answer or " ", "salesperson_name", domain)
    assert slots["salesperson_name"] is None
    assert show(dispatcher, domain, None) == [
        "Dat lijkt me geen voornaam. Hoe heet je? Bijvoorbeeld: 'Sanne'."
    ]


@pytest.mark.parametrize(
    ("answer", "persona"),
    [
        ("Ingrid Verbeek", HOSPITAL),  # the buttons' payloads
        ("Ruud Hermans", MUNICIPALITY),
        ("Sanne Koster", CATERING),
        ("het ziekenhuis", HOSPITAL),
        ("de gemeente", MUNICIPALITY),
        ("de inkoper van de aanbesteding", MUNICIPALITY),
        ("catering", CATERING),
        ("die met de lunch", CATERING),
        ("Ingrid", HOSPITAL),
        ("1", HOSPITAL),
        ("2", MUNICIPALITY),
        ("nummer 3", CATERING),
        ("de tweede", MUNICIPALITY),
    ],
)
def test_the_persona_is_chosen_by_button_name_number_or_word(
    answer: str, persona: str, domain: dict[str, Any]
) -> None:
    slots, dispatcher = setup(answer, "persona_choice", domain)
    assert slots["persona"] == persona
    assert slots["persona_choice"] == answer
    assert dispatcher.messages == []


@pytest.mark.parametrize("answer", ["Verras me", "maakt niet uit", "kies jij maar", "willekeurig"])
def test_verras_me_picks_a_persona_seeded_from_the_sender(answer: str, domain: dict[str, Any]) -> None:
    expected = pick_persona(PERSONAS, random.Random("salesperson-42:0")).id
    slots, _ = setup(answer, "persona_choice", domain, sender="salesperson-42")
    assert slots["persona"] == expected
    again, _ = setup(answer, "persona_choice", domain, sender="salesperson-42")
    assert again["persona"] == expected  # deterministic per sender
    chosen = {setup(answer, "persona_choice", domain, sender=f"s{n}")[0]["persona"] for n in range(30)}
    assert chosen == {persona.id for persona in PERSONAS}  # and every persona can come up


@pytest.mark.parametrize("answer", ["de bakker", "7", "0", "weet ik veel"])
def test_an_unknown_persona_is_asked_again(answer: str, domain: dict[str, Any]) -> None:
    slots, dispatcher = setup(answer, "persona_choice", domain)
    assert slots == {"persona_choice": None}
    assert show(dispatcher, domain, None) == [
        "Die klant ken ik niet. Kies een van de knoppen, typ een nummer van 1 tot en met 3, of 'verras me'."
    ]


def test_an_ambiguous_word_picks_no_persona() -> None:
    assert choose_persona("medewerkers", PERSONAS, random.Random(0)) is None


def test_the_persona_question_lists_the_personas_with_buttons(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    run(ActionAskPersonaChoice(), dispatcher, make_tracker({"salesperson_name": "Sanne"}), domain)
    [text] = show(dispatcher, domain, None)
    assert text.startswith("Met welke klant wil je oefenen, Sanne?\n1. Ingrid Verbeek, facilitair manager: ")
    assert "2. Ruud Hermans, senior inkoopadviseur: beheer van 900 ICT-werkplekken" in text
    assert (
        "3. Sanne Koster, eigenaar van een installatiebedrijf: dagelijkse lunch voor 45 medewerkers" in text
    )
    buttons = dispatcher.messages[0]["buttons"]
    assert [button["payload"] for button in buttons] == [
        "Ingrid Verbeek",
        "Ruud Hermans",
        "Sanne Koster",
        "Verras me",
    ]
    assert buttons[0]["title"] == "Ingrid Verbeek, facilitair manager"


def test_a_new_rehearsal_starts_clean_but_keeps_the_name(domain: dict[str, Any]) -> None:
    events = run(
        ActionStartRoleplay(), CollectingDispatcher(), make_tracker({"salesperson_name": "Sanne"}), domain
    )
    assert slots_of(events) == {
        "persona_choice": None,
        "persona": None,
        "roleplay_turn": None,
        "roleplay_state": None,
        "scorecard": None,
    }


# -- the rehearsal ----------------------------------------------------------------------


def opened(persona: str, domain: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = run(ActionAskRoleplayTurn(), dispatcher, make_tracker({"persona": persona}), domain)
    return slots_of(events)["roleplay_state"], show(dispatcher, domain, persona)


def turn(
    persona: str, state: dict[str, Any], text: str, domain: dict[str, Any]
) -> tuple[dict, list[str], list[str]]:
    """One message in the rehearsal: the slots set, the response names and the texts shown."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {
            "persona": persona,
            "roleplay_state": state,
            "roleplay_turn": text,
            "requested_slot": "roleplay_turn",
        },
        text=text,
        intent="inform_value",
        active_loop="roleplay_form",
    )
    tracker.events = [
        {"event": "user", "text": text},
        {"event": "slot", "name": "roleplay_turn", "value": text},
    ]
    events = asyncio.run(ValidateRoleplayForm().run(dispatcher, tracker, domain))
    return slots_of(events), responses(dispatcher), show(dispatcher, domain, persona)


def play(persona: str, messages: list[str], domain: dict[str, Any]) -> tuple[dict[str, Any], list[list[str]]]:
    state, _ = opened(persona, domain)
    seen = []
    for message in messages:
        slots, _, texts = turn(persona, state, message, domain)
        state = slots["roleplay_state"]
        seen.append(texts)
    return state, seen


def test_the_rehearsal_opens_once_with_the_coach_and_the_client(domain: dict[str, Any]) -> None:
    state, texts = opened(HOSPITAL, domain)
    assert state_from_slot(state) == RoleplayState(HOSPITAL)
    assert texts[0].startswith(
        "Daar gaan we. Ik speel Ingrid Verbeek, facilitair manager; het gaat om schoonmaak"
    )
    assert "Typ 'time-out'" in texts[0]
    assert texts[1].startswith("Goedemiddag, Ingrid Verbeek, facilitair manager van het ziekenhuis.")
    dispatcher = CollectingDispatcher()
    again = run(
        ActionAskRoleplayTurn(),
        dispatcher,
        make_tracker({"persona": HOSPITAL, "roleplay_state": state}),
        domain,
    )
    assert again == [] and dispatcher.messages == []


def test_a_discovery_question_reveals_the_hidden_number(domain: dict[str, Any]) -> None:
    state, _ = opened(HOSPITAL, domain)
    slots, names, texts = turn(HOSPITAL, state, "Wat kost de schoonmaak u nu per jaar?", domain)
    assert names == ["utter_roleplay_fact_current_cost"]
    assert texts == [
        "Het huidige contract kost ons € 420.000,00 per jaar. Daar zitten alle verpleegafdelingen en de "
        "operatiekamers in."
    ]
    assert slots["roleplay_turn"] is None  # the form goes on
    assert state_from_slot(slots["roleplay_state"]).revealed("current_cost") is not None


def test_each_persona_speaks_in_character(domain: dict[str, Any]) -> None:
    question = {
        HOSPITAL: "Wat kost het u nu?",
        MUNICIPALITY: "Wat kost het u nu?",
        CATERING: "Wat kost het je nu?",
    }
    said = {
        persona: turn(persona, opened(persona, domain)[0], question[persona], domain)[2][0]
        for persona in question
    }
    assert "kost ons € 420.000,00 per jaar" in said[HOSPITAL]
    assert "kost de gemeente € 310.000,00 per jaar" in said[MUNICIPALITY]
    assert "€ 900,00 per week" in said[CATERING]


def test_hospital_objections(domain: dict[str, Any]) -> None:
    _, seen = play(
        HOSPITAL,
        [
            "Welk budget heeft de raad van bestuur hiervoor?",
            "Onze prijs is € 450.000 per jaar.",
            "Ik leg u drie opties voor: alleen de operatiekamers, het volledige pakket, of het pakket met hygiënemeting.",
        ],
        domain,
    )
    assert seen[1] == [
        "Ik moet eerlijk zijn: de raad van bestuur heeft € 400.000,00 per jaar begroot. Met € 450.000,00 per jaar "
        "zit u daar boven.",
        "€ 450.000,00 per jaar? Dat is fors. Daar kom ik bij de raad van bestuur niet mee weg.",
    ]
    assert seen[2] == [
        "Goed, zo kan ik er met de raad van bestuur over praten zonder dat het alleen over het budget gaat.",
        "Zo bekeken is het geen kostenpost maar een investering. Dat verhaal kan ik aan de raad van bestuur vertellen.",
    ]


def test_hospital_competitor_objection_comes_in_turn_six(domain: dict[str, Any]) -> None:
    _, seen = play(HOSPITAL, ["Goedemiddag."] * 6, domain)
    assert seen[5] == [
        "Ik zal eerlijk zijn: een andere schoonmaker biedt hetzelfde werk aan voor € 380.000,00 per jaar. "
        "Waarom zou ik voor u kiezen?"
    ]


def test_municipality_objections(domain: dict[str, Any]) -> None:
    _, seen = play(
        MUNICIPALITY,
        [
            "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?",
            "U kunt kiezen uit twee varianten: beheer op werkdagen, of beheer met een storingsdienst tot 22.00 uur.",
            "Ik dien vrijdag voor 12.00 uur via de nota van inlichtingen een vraag in.",
        ],
        domain,
    )
    assert seen[0] == [
        "Ik moet u teleurstellen: we gunnen op laagste prijs. Over waarde kan ik met u niet onderhandelen; "
        "de procedure ligt vast."
    ]
    assert seen[1][0].startswith("Dat staat niet in de aanbesteding.")
    assert seen[2][0].startswith("Zo is het netjes. Via de nota van inlichtingen")
    assert seen[2][1].startswith("Ik moet u afremmen: zolang de aanbesteding loopt")


def test_catering_objections(domain: dict[str, Any]) -> None:
    _, seen = play(
        CATERING,
        [
            "Hoi Sanne, wat geef je nu per week uit aan lunch?",
            "Jullie winnen die 15 uur per week aan lunch halen terug, dat scheelt je € 600 per week.",
            "Zullen we maandag om 9 uur starten?",
        ],
        domain,
    )
    assert seen[1] == ["Mooie sommen, hoor. Maar merk ik dat echt in mijn portemonnee, of is het papier?"]
    assert seen[2] == [
        "Wacht even, ik wil niet vastzitten aan een lang contract. Als het tegenvalt, wil ik er zonder gedoe "
        "vanaf kunnen."
    ]


def test_time_out_the_coach_helps_then_back_in_role(domain: dict[str, Any]) -> None:
    state, seen = play(
        CATERING, ["Wat geef je nu per week uit aan lunch?", "Time-out", "wat moet ik nu vragen?"], domain
    )
    assert seen[1] == [
        "Time-out: ik ben even je coach, niet de klant. Je vond 1 van de 5 verborgen feiten en er staan 0 bezwaren "
        "open. Typ 'verder' om terug in de rol te gaan of 'klaar' voor je scorecard.",
        "Tip van je coach: je weet nog niet: wat succes is voor de klant, wat er misgaat en wat dat kost, waarom nu, "
        "het budget. Vraag daar eerst naar voordat je een prijs noemt.",
    ]
    assert seen[2][0].startswith("We staan nog in de time-out.")
    assert state_from_slot(state).out_of_role
    slots, _, texts = turn(CATERING, state, "Verder.", domain)
    assert texts == ["We gaan verder: ik ben weer de klant."]
    assert not state_from_slot(slots["roleplay_state"]).out_of_role


def test_klaar_ends_the_form(domain: dict[str, Any]) -> None:
    state, _ = opened(HOSPITAL, domain)
    slots, _, texts = turn(HOSPITAL, state, "klaar", domain)
    assert texts == ["Einde van de oefening. Ik ben weer je coach; hier is je scorecard."]
    assert slots["roleplay_turn"] == "klaar"  # the form's only slot is filled: the form ends
    assert state_from_slot(slots["roleplay_state"]).finished


GOOD_HOSPITAL = [
    "Goedemiddag mevrouw Verbeek. Wat zou voor u over een jaar een succes zijn?",
    "Wat kost de schoonmaak u nu per jaar?",
    "Waar loopt u nu het meest tegenaan, en wat kosten die infecties u?",
    "Waarom wilt u dit juist nu aanpakken?",
    "Welk budget heeft de raad van bestuur hiervoor gereserveerd?",
    "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?",
    "Wat u nu aan uw huidige leverancier betaalt, € 420.000 per jaar, hoeft u niet meer te betalen. "
    "Als we de infecties halveren, scheelt dat u € 54.000 per jaar. "
    "Minder uitgestelde OK-starts levert u € 48.000 per jaar op.",
    "Onze prijs is € 430.000 per jaar, voor drie jaar.",
    "Ik begrijp dat dit boven uw budget zit. Ik leg u drie opties voor: alleen de operatiekamers, "
    "het volledige pakket, of het volledige pakket met een hygiënemeting per kwartaal.",
    "Mijn belofte: elke klacht over de schoonmaak heeft binnen 4 werkuren een eigenaar.",
    "Zullen we donderdag om 10.00 uur met de hygiënecommissie de opties doornemen?",
    "klaar",
]


def test_finish_the_scorecard_is_shown_and_stored(domain: dict[str, Any]) -> None:
    state, _ = play(HOSPITAL, GOOD_HOSPITAL, domain)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"persona": HOSPITAL, "roleplay_state": state, "salesperson_name": "Sanne"})
    events = run(ActionRoleplayScorecard(), dispatcher, tracker, domain)
    card = slots_of(events)["scorecard"]
    assert card["salesperson"] == "Sanne" and card["persona_name"] == "Ingrid Verbeek"
    assert card["persona_id"] == HOSPITAL and card["score"] >= 80
    assert {criterion["id"] for criterion in card["criteria"]} >= {
        "value_question",
        "objections",
        "next_step",
    }
    texts = show(dispatcher, domain, HOSPITAL)
    assert texts[0] == (
        f"Scorecard van Sanne, oefening met Ingrid Verbeek (facilitair manager): {card['score']} van de 100 punten."
    )
    joined = "\n".join(texts)
    assert "✔ De waardevraag (15/15): Je stelde de waardevraag helder: 'Als we samen vaststellen" in joined
    assert "'Zullen we donderdag om 10.00 uur met de hygiënecommissie de opties doornemen?'" in joined
    assert re.search(
        # € 54.000 + € 48.000 a year over 3 years; the € 420.000 paid now is no value.
        r"Rekenhulp: de waarde die de klant bevestigde is € 306\.000,00 tegen een prijs van "
        r"€ 1\.290\.000,00 over 3 jaar, verhouding 0,24\. Voor de klant: ontevreden",
        joined,
    )
    assert texts[-1] == "Wil je nog een keer oefenen, of een echt gesprek voorbereiden?"


def test_a_poor_rehearsal_gets_a_low_score_and_three_things_to_practise(domain: dict[str, Any]) -> None:
    state, _ = play(
        HOSPITAL,
        [
            "Wij zijn de goedkoopste van de regio.",
            "Onze prijs is € 450.000 per jaar.",
            "Oké, ik doe er 10% af.",
            "klaar",
        ],
        domain,
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"persona": HOSPITAL, "roleplay_state": state, "salesperson_name": "Bram"})
    card = slots_of(run(ActionRoleplayScorecard(), dispatcher, tracker, domain))["scorecard"]
    assert card["score"] <= 30
    texts = show(dispatcher, domain, HOSPITAL)
    assert any(
        text.startswith("✘ Bezwaren behandeld zonder toe te geven (0/15): Je gaf toe: 'Oké, ik doe er 10% af")
        for text in texts
    )
    [practise] = [text for text in texts if text.startswith("Oefen hierna vooral: ")]
    assert practise.count(")") == 3


def test_the_better_examples_are_the_personas_own(domain: dict[str, Any]) -> None:
    """Sanne Koster's scorecard says 'je' and talks about lunch, not about the hospital."""
    state, _ = play(CATERING, ["Hoi Sanne, wij leveren de lekkerste lunch van de regio.", "klaar"], domain)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"persona": CATERING, "roleplay_state": state, "salesperson_name": "Sanne"})
    run(ActionRoleplayScorecard(), dispatcher, tracker, domain)
    better = [text.split("Beter: ", 1)[1] for text in show(dispatcher, domain, CATERING) if "Beter: " in text]
    assert len(better) >= 7
    joined = " ".join(better)
    assert "lunch" in joined
    assert not re.search(r"\b(?:u|uw)\b", " ".join(text.split("'", 1)[-1] for text in better))
    assert not any(word in joined for word in ("infectie", "operatiekamer", "raad van bestuur", "hygiëne"))


def test_figures_said_while_leaving_the_set_up_are_kept(domain: dict[str, Any]) -> None:
    answer = "stop met oefenen. echte klant: ze besparen 40k per jaar op schoonmaak"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {"persona_choice": answer, "requested_slot": "persona_choice"},
        text=answer,
        intent="deny",
        active_loop="roleplay_setup_form",
    )
    tracker.events = [
        {"event": "user", "text": answer},
        {"event": "slot", "name": "persona_choice", "value": answer},
    ]
    events = asyncio.run(ValidateRoleplaySetupForm().run(dispatcher, tracker, domain))
    assert FollowupAction("intake_form") in events
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert [line["amount"] for line in slots["pending_lines"]] == ["40000"]
    assert [m["response"] for m in dispatcher.messages][:2] == [
        "utter_turn_left_rehearsal_setup",
        "utter_turn_line_read",
    ]
