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
]


@pytest.mark.parametrize("text", CONCRETE)
def test_concrete(text: str) -> None:
    assert is_concrete_moment(text) is True


@pytest.mark.parametrize("text", VAGUE)
def test_not_concrete(text: str) -> None:
    assert is_concrete_moment(text) is False
