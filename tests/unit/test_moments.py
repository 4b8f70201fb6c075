"""Tests for :mod:`bot.moments`."""

from __future__ import annotations

import pytest

from bot.moments import is_concrete_moment

CONCRETE = [
    "maandag",
    "Dinsdag om 10 uur",
    "woensdag",
    "donderdagmiddag",
    "vrijdag",
    "zaterdag",
    "zondagavond",
    "morgen",
    "morgenochtend",
    "overmorgen",
    "vandaag nog",
    "vanmiddag",
    "14 maart",
    "op 3 april",
    "14e maart",
    "3 apr",
    "14-3",
    "14/03/2027",
    "14.03.2027",
    "10 uur",
    "om 15 uur",
    "10u",
    "10.00",
    "9:30",
    "half tien",
    "kwart over drie",
    "om tien",
    "tien uur",
    "volgende week dinsdag",
    "volgende week dinsdag om 9:30",
    "zo snel mogelijk, maar uiterlijk 1 mei",
    "ma 14 maart",
    "ik bel hem de 14e",
    "Ik plan het in voor VRIJDAG",
    # as people write them in the rehearsal's next step (issue 15)
    "donderdag 12 juni om 14.00 uur",
    "Zullen we donderdag 12 juni om 14.00 uur met de hygiënecommissie de opties doornemen?",
    "dinsdag om 9 uur",
    "Ik stel voor dat we elkaar dinsdag om 9 uur weer spreken",
    "morgen voor 12.00 uur",
    "Ik stuur u morgen voor 12.00 uur drie opties met prijzen",
    "over twee weken op maandagochtend",
    "om 14.00",
    "9u30",
    "voor 12 uur",
    "na 10 uur",
    "rond 2 uur",
    "Ik bel u donderdag om 10 uur",
]

VAGUE = [
    "",
    "   ",
    "volgende week",
    "binnenkort",
    "zo snel mogelijk",
    "z.s.m.",
    "zsm",
    "asap",
    "ASAP",
    "later",
    "ergens in maart",
    "deze maand",
    "begin april",
    "na de zomer",
    "in 2027",
    "in Q2",
    "over een paar weken",
    "in het weekend",
    "'s morgens",
    "binnen een uur",
    "binnen 24 uur",
    "eind van de maand",
    "weet ik nog niet",
    "als ik tijd heb",
    "over twee weken",
    "binnen 4 uur",
    "binnen tien uur",
    "ruim 3 uur",
    "8 uur per dag",
    "drie uur per week",
    "2 uur lang",
    "12 uur stilstand",
    "hoe we de 3.000 uur stilstand omlaag brengen",
    "binnen 15 minuten een schoonmaker ter plaatse",
    "eind juni",
    "in week 24",
]


@pytest.mark.parametrize("text", CONCRETE)
def test_concrete(text: str) -> None:
    assert is_concrete_moment(text) is True


@pytest.mark.parametrize("text", VAGUE)
def test_not_concrete(text: str) -> None:
    assert is_concrete_moment(text) is False
