"""The simplicity promise over REST: coaching flags on the way, a promise card at the end."""

from __future__ import annotations

from collections.abc import Callable

Chat = Callable[[str], str]


def test_promise_with_coaching_flags_ends_in_a_card(chat: Chat) -> None:
    assert "versimpelingsbelofte" in chat("ik wil mijn versimpelingsbelofte maken")
    reply = chat("wij zijn altijd klantgericht en ontzorgen optimaal")
    assert "Let op je woorden" in reply  # overpromise
    assert "grote woorden" in reply or "te vaag" in reply
    chat("elke klacht heeft binnen 4 werkuren een eigenaar")
    assert "Let op je woorden" in chat("u moet het klachtenformulier niet meer invullen, dat laten we weg")
    chat("een klacht melden kost één stap in plaats van vier")
    assert "Genoteerd: je belofte aan het management" in chat(
        "elke maand het aandeel klachten met binnen 4 uur een eigenaar"
    )
    chat("elke schoonmaker ziet de wensen per ruimte in de app")
    chat("we schrappen de papieren werkbon")
    chat("de ploegleider hoeft niet meer te bellen")
    chat("wekelijks tellen hoe vaak de app gebruikt wordt")
    chat("opzeggen kan met één klik, zonder belletje")
    chat("we laten het jaarlijkse verlengingsgesprek weg")
    chat("bestellen gaat in twee stappen via de website")
    card = chat("het aantal opzeggingen via de knop per maand")
    assert "Je versimpelingsbelofte:" in card
    for part in (
        "het management: elke klacht heeft binnen 4 werkuren een eigenaar",
        "de medewerkers: elke schoonmaker ziet de wensen per ruimte in de app",
        "de klanten: opzeggen kan met één klik, zonder belletje",
        "Laat weg: we laten het jaarlijkse verlengingsgesprek weg",
        "Meten: het aantal opzeggingen via de knop per maand",
    ):
        assert part in card
