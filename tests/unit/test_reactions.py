"""The client's reaction to the value question, read from free text."""

from __future__ import annotations

import pytest

from bot.reactions import Reaction, read_reaction


@pytest.mark.parametrize(
    "text",
    [
        "ja hoor, dat vindt hij redelijk",
        "ze vond het een beetje vreemd maar ging uiteindelijk akkoord",
        "eerst sceptisch, na uitleg was hij het ermee eens",
        "jazeker, en ze besparen ook 1.150 per maand op energie",
        "ze kon zich er goed in vinden",
        "helemaal mee eens zei ze",
        "hij vond het een mooi uitgangspunt",
        "ze vond het een eerlijk uitgangspunt",
        "klinkt goed, zei hij",
        "akkoord",
    ],
)
def test_agreement(text):
    assert read_reaction(text) is Reaction.AGREES


@pytest.mark.parametrize(
    "text",
    [
        "ja, maar hij twijfelt nog",
        "ze wil eerst meer zien",
        "hmm, hij vond het een rare vraag",
        "misschien, zei ze",
    ],
)
def test_doubt(text):
    assert read_reaction(text) is Reaction.DOUBTS


@pytest.mark.parametrize(
    "text",
    [
        "nee, daar wil hij niets van weten",
        "ze is het er niet mee eens",
        "hij wijst het af",
        "het gaat hem alleen om de prijs",
    ],
)
def test_refusal(text):
    assert read_reaction(text) is Reaction.REFUSES


@pytest.mark.parametrize("text", ["ze besparen 1.000 per maand op afval", "", "schoonmaak voor een school"])
def test_no_reaction(text):
    assert read_reaction(text) is None
