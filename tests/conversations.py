"""Scripted Dutch conversations (what a salesperson types), replayed by tests and the benchmark."""

from __future__ import annotations

__all__ = ["SCRIPTS"]

VALUE_CONVERSATION = (
    "hallo",
    "ik wil een waardegesprek voorbereiden",
    "schoonmaak voor een ziekenhuis in Utrecht",
    "ja, de klant gaat akkoord",
    "ze besparen 12.000 euro per jaar op schoonmaakkosten",
    "zeker",
    "ja",
    "de facilitair manager is 2 uur per week minder kwijt, die kost 55 euro per uur",
    "twijfel",
    "ja",
    "eenmalig 5.000 euro minder inwerkkosten",
    "zeker",
    "klaar",
    "2.000 euro",
    "1.000 per maand",
    "3 jaar",
    "waarde bevestigen en prijs noemen",
    "zo snel mogelijk",
    "donderdag om 10.00 uur",
)

REFUSAL_AND_CORRECTION = (
    "start",
    "catering voor een advocatenkantoor",
    "nee, de klant weigert",
    "ze besparen heel veel op hun lunchkosten",
    "ze besparen 10.000 euro per jaar op lunchkosten",
    "waarom vraag je dat?",
    "waarschijnlijk",
    "nee, dat was 15.000",
    "klaar",
    "-500",
    "0",
    "0",
    "20.000 per jaar",
    "1",
    "ik geef ze 10% korting",
)

SIMPLICITY_PROMISE = (
    "ik wil mijn versimpelingsbelofte maken",
    "wij zijn altijd klantgericht en ontzorgen optimaal",
    "elke klacht heeft binnen 4 werkuren een eigenaar",
    "u moet het klachtenformulier niet meer invullen, dat laten we weg",
    "een klacht melden kost één stap in plaats van vier",
)

SCRIPTS: dict[str, tuple[str, ...]] = {
    "value_conversation": VALUE_CONVERSATION,
    "refusal_and_correction": REFUSAL_AND_CORRECTION,
    "simplicity_promise": SIMPLICITY_PROMISE,
}
