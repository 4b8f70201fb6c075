"""Whole Dutch conversations over the REST channel against the real servers."""

from __future__ import annotations

from collections.abc import Callable

Chat = Callable[[str], str]


def at_the_first_value(chat: Chat, engagement: str, reaction: str) -> None:
    """Starts a value conversation and answers up to the question for the first value line."""
    chat("ik wil een waardegesprek voorbereiden")
    chat(engagement)
    assert "Wat levert je dienst de klant op?" in chat(reaction)


def test_the_whole_value_conversation(chat: Chat) -> None:
    assert "Waardecoach" in chat("hallo")
    assert "Voor welke klant" in chat("ik wil een waardegesprek voorbereiden")
    assert "Hoe reageerde de klant?" in chat("schoonmaak voor een ziekenhuis in Utrecht")
    reply = chat("ja, de klant gaat akkoord")
    assert "Sterk begin" in reply and "Noem één waarde per bericht" in reply
    assert "Ik noteer als waarde 1: € 12.000,00 per jaar, kostenbesparing." in chat(
        "ze besparen 12.000 euro per jaar op schoonmaakkosten"
    )
    reply = chat("zeker")
    assert "Regel 1: € 12.000,00 per jaar" in reply and "Nog een waarde toevoegen?" in reply
    assert "Welke waarde levert het nog meer op?" in chat("ja")
    reply = chat("de facilitair manager is 2 uur per week minder kwijt, die kost 55 euro per uur")
    assert "€ 110,00 per week, tijdwinst" in reply and "2 uur × € 55,00 per uur = € 110,00" in reply
    assert "zekerheid 50%" in chat("twijfel")
    chat("ja")
    chat("eenmalig 5.000 euro minder inwerkkosten")
    assert "Regel 3: € 5.000,00 eenmalig" in chat("zeker")
    reply = chat("klaar")
    assert "Totaal: eenmalig € 5.000,00 en € 14.860,00 per jaar" in reply
    assert "eenmalige deel van de prijs" in reply
    assert "terugkerende deel" in chat("2.000 euro")
    assert "Hoeveel jaar" in chat("1.000 per maand")
    verdict = chat("3 jaar")
    for figure in (
        "Waarde (verwacht, gewogen naar zekerheid): € 49.580,00",
        "Waarde (als alles uitkomt): € 58.160,00",
        "Prijs: € 38.000,00",
        "Verschil (waarde min prijs): € 11.580,00",
        "Verhouding waarde/prijs: 1,3",
        "promotor",
        "Welke volgende stap",
    ):
        assert figure in verdict
    assert "concreet moment" in chat("waarde bevestigen en prijs noemen")
    assert "Let op je woorden" in chat("zo snel mogelijk")
    summary = chat("donderdag om 10.00 uur")
    assert "Klant en opdracht: schoonmaak voor een ziekenhuis in Utrecht" in summary
    assert (
        "Volgende stap: waarde bevestigen en de prijs met vertrouwen noemen, donderdag om 10.00 uur"
        in summary
    )


def test_refusal_correction_why_and_bad_input(chat: Chat) -> None:
    chat("start")
    chat("catering voor een advocatenkantoor")
    assert "Geef niet meteen op" in chat("nee, de klant weigert")
    assert "geen bedrag" in chat("ze besparen heel veel op hun lunchkosten")
    chat("ze besparen 10.000 euro per jaar op lunchkosten")
    assert "Niet elke waarde is even zeker" in chat("waarom vraag je dat?")
    assert "Regel 1: € 10.000,00 per jaar" in chat("waarschijnlijk")
    assert "Waarde 1 is nu: € 15.000,00 per jaar" in chat("nee, dat was 15.000")
    chat("klaar")
    assert "'-500' is negatief" in chat("-500")
    chat("0")
    assert "prijs van nul" in chat("0")
    chat("20.000 per jaar")
    verdict = chat("1")
    assert "Verhouding waarde/prijs: 0,56" in verdict
    assert "Geef nu niet toe" in verdict
    assert "Korting is geen volgende stap" in chat("ik geef ze 10% korting")


def test_start_in_the_middle_resumes_without_losing_lines(chat: Chat) -> None:
    chat("start")
    chat("beveiliging van een distributiecentrum")
    chat("akkoord")
    chat("ze besparen 20.000 euro per jaar op inbraakschade")
    chat("zeker")
    reply = chat("ik wil een waardegesprek voorbereiden")
    assert "We gaan verder met je waardegesprek" in reply
    assert "Nog een waarde toevoegen?" in reply
    reply = chat("klaar")
    assert "1. ze besparen 20.000 euro per jaar op inbraakschade: € 20.000,00 per jaar" in reply


def test_restart_wipes_the_conversation(chat: Chat) -> None:
    chat("start")
    chat("ICT-beheer voor een gemeente")
    assert "Alles is gewist" in chat("opnieuw")
    assert "Voor welke klant" in chat("start")


def test_off_the_happy_path_with_corrections_after_the_verdict(chat: Chat) -> None:
    chat("ik wil een waardegesprek voorbereiden")
    chat("schoonmaak van de OK's in een ziekenhuis")
    chat("akkoord")
    reply = chat("ze besparen 12.000 per jaar op schoonmaak en eenmalig 4.000 op inwerken")
    assert "waarde 1: € 12.000,00 per jaar" in reply and "waarde 2: € 4.000,00 eenmalig" in reply
    assert "Regel 2: € 4.000,00 eenmalig" in chat("zeker")
    reply = chat("wacht, die eerste was geen 12.000 maar 14.000")
    assert "Waarde 1 is nu: € 14.000,00 per jaar" in reply
    chat("klaar")
    reply = chat("we zitten op € 2.500 per maand voor alles")
    assert "terugkerend deel van de prijs: € 2.500,00 per maand, dat is € 30.000,00 per jaar" in reply
    assert "eenmalige deel" in reply  # the one-off question comes next
    assert "€ 0,00" in chat("geen")
    reply = chat("36 maanden")
    assert "36 maanden, dat is 3 jaar" in reply and "Verhouding waarde/prijs: 0,51" in reply
    reply = chat("de prijs klopt niet, het is 20.000 per jaar")
    assert "€ 20.000,00 per jaar" in reply and "Verhouding waarde/prijs: 0,77" in reply
    reply = chat("ik wil terug naar de prijs")
    assert "prijs nog eens door" in reply and "Het eenmalige deel staat op € 0,00" in reply
    assert "Het terugkerende deel staat op € 20.000,00 per jaar" in chat("klopt")  # kept
    reply = chat("1.000 per maand")
    assert "De looptijd staat op 3 jaar" in reply
    assert "Verhouding waarde/prijs: 1,28" in chat("3 jaar")


def test_leaving_the_rehearsal_set_up_for_a_real_conversation(chat: Chat) -> None:
    assert "voornaam" in chat("ik wil een waardegesprek oefenen")
    assert "voornaam" in chat("de klant is akkoord")  # not a first name: asked again
    reply = chat("nee, ik wil een echt gesprek voorbereiden")
    assert "Voor welke klant" in reply


def test_a_value_line_given_with_the_reaction_is_taken_once(chat: Chat) -> None:
    chat("ik wil een waardegesprek voorbereiden")
    chat("planningssoftware voor een aannemer")
    reply = chat("ja hoor, en ze besparen 9.000 per jaar op boetes")
    assert "Sterk begin" in reply and "Ik noteer als waarde 1: € 9.000,00 per jaar" in reply
    assert "waarde 2" not in reply and "Hoe zeker is de klant hiervan?" in reply
    reply = chat("zeker")
    assert "Regel 1: € 9.000,00 per jaar" in reply and "Regel 2" not in reply


def test_a_rate_given_with_the_reaction_is_asked_about_not_dropped(chat: Chat) -> None:
    chat("ik wil een waardegesprek voorbereiden")
    chat("onderhoud van heftrucks voor een distributiecentrum")
    reply = chat("hij twijfelt een beetje, en hij zei dat stilstand ze 900 per uur kost")
    assert "Twijfel is normaal" in reply and "is een bedrag per uur" in reply
    reply = chat("zo'n 40 uur per jaar")
    assert "Ik noteer als waarde 1: € 36.000,00 per jaar, tijdwinst" in reply


def test_a_list_on_separate_lines_is_read_line_by_line(chat: Chat) -> None:
    # the line breaks reach the interpreter: "1." and "2." are list markers, not amounts
    at_the_first_value(chat, "sensoren voor een zwembad", "ja, dat ziet hij zitten")
    reply = chat(
        "Waarde:\n1. minder chloorverbruik: 1.900 per maand\n2. lagere energierekening: 16.000 per jaar"
    )
    assert "€ 1.900,00 per maand" in reply and "€ 16.000,00 per jaar" in reply
    assert "€ 1,00" not in reply and "€ 2,00" not in reply
    assert "Hoe vaak komt" not in reply and "niet gebruikt" not in reply  # "1." and "2." are no figures


def test_a_corrected_sum_before_the_first_line_is_taken(chat: Chat) -> None:
    at_the_first_value(chat, "roosters voor een thuiszorgteam", "ja, daar kan hij zich in vinden")
    assert "klopt niet" in chat("4 x 2.500 = 12.000 per maand minder inhuur")
    reply = chat("sorry rekenfout, moet 10.000 per maand zijn")
    assert "nog geen waarderegel" not in reply and "€ 10.000,00 per maand" in reply


def test_a_figure_said_with_a_why_question_is_taken(chat: Chat) -> None:
    at_the_first_value(chat, "onderhoud van de vloot voor een taxibedrijf", "ja, prima")
    assert "Wat kost een uur" in chat("de planner is 5 uur per week minder kwijt aan het zoeken naar auto's")
    reply = chat("waarom wil je dat weten? nou goed, 44 euro per uur")
    assert "€ 220,00 per week" in reply, reply  # explained, and the rate taken: 5 uur × € 44,00
