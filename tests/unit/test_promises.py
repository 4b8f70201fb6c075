"""Tests for :mod:`bot.promises`."""

from __future__ import annotations

import pytest

from bot.promises import PromiseCheck, PromiseProblem, check_promise

BUZZ = PromiseProblem.BUZZWORDS_ONLY
NOTHING = PromiseProblem.NO_BEHAVIOUR_MEASURE_OR_MOMENT

VAGUE = [
    ("Wij zijn klantgericht.", BUZZ),
    ("Optimale service en excellente kwaliteit.", BUZZ),
    ("Wij ontzorgen u volledig.", BUZZ),
    ("Wij denken proactief met u mee.", BUZZ),
    ("Flexibel, persoonlijk en betrouwbaar.", BUZZ),
    (
        "Een klantgerichte, proactieve en flexibele aanpak met optimale ondersteuning en excellente "
        "service voor de beste klantervaring, want uw tevredenheid staat bij ons altijd centraal.",
        BUZZ,
    ),
    # A number or a moment does not rescue buzzwords.
    ("100% kwaliteit", BUZZ),
    ("Elke maandag optimale service.", BUZZ),
    ("Snelle service binnen 24 uur.", BUZZ),
    ("Excellente service, 24/7.", BUZZ),
    ("Wij bieden kwaliteit en service, elke dag weer.", BUZZ),
    # More than buzzwords, but nothing to check it by.
    ("De beste service van Nederland.", NOTHING),
    ("Wij reageren snel op uw vragen.", NOTHING),
    ("Wij staan altijd voor u klaar.", NOTHING),
    ("Wij reageren zo snel mogelijk.", NOTHING),
    ("Wij leveren maatwerk op het hoogste niveau.", NOTHING),
    ("Wij leveren elke dag kwaliteit.", NOTHING),
    ("Uw factuur klopt altijd.", NOTHING),
]

CONCRETE = [
    "Opzeggen is heel eenvoudig.",  # names a behaviour; the follow-up questions ask for the measure
    "Elke schoonmaker ziet de wensen per ruimte in de app.",
    "Opzeggen kan met één klik, zonder belletje.",
    "Elke klacht heeft binnen 4 werkuren een eigenaar.",
    "Storingen lossen we binnen 4 uur op.",
    "U krijgt de offerte dezelfde dag nog per mail.",
    "Bestellingen die u voor 17.00 uur plaatst, ontvangt u de volgende werkdag.",
    "Wij bellen u elke maandag om 9 uur met de planning.",
    "U betaalt pas op het moment dat de installatie werkt.",
    "Wijzigen kan tot 24 uur voor levering.",
    "Inloggen in 2 stappen, met één code.",
    "95% van de meldingen lossen we dezelfde dag op.",
    "U kiest uit 3 pakketten en kunt elke maand wisselen.",
    "Binnen 30 minuten na uw melding belt een monteur u terug.",
    "Een vervangend toestel ontvangt u binnen één werkdag.",
    "Aanvragen kan 24/7 via de app; u krijgt binnen 2 uur een bevestiging.",
    "Wij zijn binnen 30 minuten bij u.",
    "Uw factuur staat elke eerste werkdag van de maand klaar.",
    # Buzzwords are allowed next to something checkable.
    "Wij reageren binnen 24 uur met een optimale oplossing.",
    "U heeft binnen een week een werkende koppeling, heel eenvoudig.",
]


def test_enough_cases() -> None:
    assert len(VAGUE) >= 12
    assert len(CONCRETE) >= 12


@pytest.mark.parametrize(("text", "problem"), VAGUE)
def test_vague(text: str, problem: PromiseProblem) -> None:
    check = check_promise(text)
    assert check.concrete is False
    assert check.problem is problem


@pytest.mark.parametrize("text", CONCRETE)
def test_concrete(text: str) -> None:
    check = check_promise(text)
    assert check.concrete is True
    assert check.problem is None
    assert check.has_behaviour or check.has_measure or check.has_moment


@pytest.mark.parametrize("text", ["", "   ", "...", "?!", "\n"])
def test_empty(text: str) -> None:
    assert check_promise(text) == PromiseCheck(False, PromiseProblem.EMPTY, (), False, False, False)


def test_examples_from_the_brief() -> None:
    one_click = check_promise("Opzeggen kan met één klik, zonder belletje.")
    assert (one_click.has_behaviour, one_click.has_measure) == (True, True)
    complaint = check_promise("Elke klacht heeft binnen 4 werkuren een eigenaar.")
    assert (complaint.has_behaviour, complaint.has_measure, complaint.has_moment) == (True, True, True)


def test_buzzwords_are_reported_as_written_once_in_order() -> None:
    check = check_promise("Optimale service, OPTIMALE  kwaliteit en de  beste service.")
    assert check.buzzwords == ("Optimale", "service", "kwaliteit", "de beste")


def test_buzzwords_inflected_and_compounded() -> None:
    check = check_promise("Klantgerichte topservice, volledig ontzorgd en proactieve flexibiliteit.")
    assert check.buzzwords == ("Klantgerichte", "topservice", "ontzorgd", "proactieve", "flexibiliteit")
    assert check.problem is BUZZ


def test_the_article_een_is_no_measure_but_een_with_accents_is() -> None:
    assert check_promise("U krijgt een bevestiging.").has_measure is False
    assert check_promise("U krijgt één bevestiging.").has_measure is True
    assert check_promise("U krijgt e\u0301e\u0301n bevestiging.").has_measure is True  # decomposed accents


@pytest.mark.parametrize(
    "text", ["met twee klikken", "in drie stappen", "binnen vijfentwintig minuten", "een half uur", "95%"]
)
def test_measures(text: str) -> None:
    assert check_promise(text).has_measure is True


@pytest.mark.parametrize(
    "text",
    [
        "binnen een week",
        "dezelfde dag",
        "voor 17.00 uur",
        "elke maandag",
        "op het moment dat u tekent",
        "zodra de monteur klaar is",
        "per maand",
        "morgen",
        "op 14 maart",
        "om half tien",
    ],
)
def test_moments(text: str) -> None:
    assert check_promise(text).has_moment is True


@pytest.mark.parametrize(
    "text", ["elke dag", "dagelijks", "altijd", "direct", "zo snel mogelijk", "binnenkort"]
)
def test_always_is_no_moment(text: str) -> None:
    assert check_promise(text).has_moment is False


@pytest.mark.parametrize(
    "text",
    [
        "u zegt het abonnement online op",
        "u belt ons",
        "we bellen u binnen een uur terug",
        "storingen lossen wij op",
        "u logt in met uw pas",
        "elke melding heeft een eigenaar",
        "u vindt alle facturen op één plek",
    ],
)
def test_behaviours(text: str) -> None:
    assert check_promise(text).has_behaviour is True


@pytest.mark.parametrize(
    "text", ["ons beleid", "wij zijn uw leverancier", "optimale oplossingen", "wij vinden"]
)
def test_no_behaviour(text: str) -> None:
    assert check_promise(text).has_behaviour is False
