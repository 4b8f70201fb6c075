"""Every reply the rehearsal can send exists in domain.yml, in character for every persona."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest

from bot import roleplay
from bot.personas import FACT_KINDS, Persona, load_personas

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = load_personas()
COACH_LINES = [getattr(roleplay, name) for name in roleplay.__all__ if name.startswith("COACH_")]

# The variables bot/roleplay.py passes with each kind of client line (see bot/personas.yml's header).
PERSONA_VARIABLES = {"name", "role", "buys"}
MONEY = {"amount", "frequency"}
PRICE = {"price", "price_frequency"}
COACH_VARIABLES = {
    roleplay.COACH_INTRO: PERSONA_VARIABLES,
    roleplay.COACH_TIME_OUT: {"facts_found", "facts_total", "open_objections"},
}
# "u" or "je": how each persona addresses the salesperson.
YOU = {
    "u": re.compile(r"\b(?:u|uw)\b", re.IGNORECASE),
    "je": re.compile(r"\b(?:je|jij|jou|jouw)\b", re.IGNORECASE),
}


def variables_given(persona: Persona, name: str) -> set[str]:
    """The template variables the core always passes with ``name`` for ``persona``."""
    given = set(PERSONA_VARIABLES)
    for fact in persona.facts:
        if fact.response == name and fact.money is not None:
            return given | MONEY
    for objection in persona.objections:
        if objection.response == name:
            money = objection.money or (persona.fact(objection.reveals).money if objection.reveals else None)
            given |= MONEY if money is not None else set()
            # the price is known when the objection is set off by the price
            return given | (PRICE if objection.trigger in ("name_price", "price_above_budget") else set())
    if any(name in persona.reactions[kind] for kind in ("value_confirmed", "value_doubted", "value_is_cost")):
        return given | MONEY
    if name in persona.reactions["price_named"]:
        return given | PRICE
    return given


def fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def for_persona(domain: dict[str, Any], name: str, persona: Persona) -> list[str]:
    return [
        variation["text"]
        for variation in domain["responses"].get(name, [])
        if variation.get("condition") == [{"type": "slot", "name": "persona", "value": persona.id}]
    ]


def test_the_persona_slot_conditions_the_client_lines(domain: dict[str, Any]) -> None:
    assert domain["slots"]["persona"]["type"] == "text"
    assert domain["slots"]["persona"]["influence_conversation"] is False


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_every_client_line_has_this_personas_variation_with_known_variables(
    persona: Persona, domain: dict[str, Any]
) -> None:
    assert len(persona.response_names()) >= len(FACT_KINDS) + 14
    for name in persona.response_names():
        texts = for_persona(domain, name, persona)
        assert len(texts) == 1, f"{name}: expected one variation for {persona.id}, found {len(texts)}"
        unknown = fields(texts[0]) - variables_given(persona, name)
        assert not unknown, f"{name} for {persona.id} uses {unknown}, which the rehearsal does not pass"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_each_persona_keeps_its_form_of_address(persona: Persona, domain: dict[str, Any]) -> None:
    other = YOU["je" if persona.address == "u" else "u"]
    for name in persona.response_names():
        [text] = for_persona(domain, name, persona)
        assert not other.search(text), f"{persona.id} says {other.pattern} in {name}: {text}"


def test_no_variation_is_for_an_unknown_persona(domain: dict[str, Any]) -> None:
    known = {persona.id for persona in PERSONAS}
    for name, variations in domain["responses"].items():
        for variation in variations:
            for condition in variation.get("condition") or []:
                assert condition["name"] != "persona" or condition["value"] in known, name


@pytest.mark.parametrize("name", COACH_LINES)
def test_the_coachs_lines_exist_for_everyone_and_say_je(name: str, domain: dict[str, Any]) -> None:
    variations = domain["responses"][name]
    assert [variation.get("condition") for variation in variations] == [None]
    text = variations[0]["text"]
    assert fields(text) <= COACH_VARIABLES.get(name, set())
    assert not YOU["u"].search(text)


def test_the_core_names_no_other_response() -> None:
    """Every utter_ name in bot/roleplay.py is a coach line (client lines come from personas.yml)."""
    source = (ROOT / "bot" / "roleplay.py").read_text(encoding="utf-8")
    named = set(re.findall(r'"(utter_[a-z0-9_]+)"', source))
    assert named == set(COACH_LINES)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_steering_lines_give_no_fact_away(persona: Persona, domain: dict[str, Any]) -> None:
    """A line that steers toward a hidden fact names no amount: the salesperson still has to ask."""
    for fact in persona.facts:
        for name in fact.steer:
            [text] = for_persona(domain, name, persona)
            assert not fields(text), f"{name} for {persona.id} fills in {fields(text)}"
            assert not re.search(r"\d", text), f"{name} for {persona.id} names a number: {text}"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_variations_of_a_line_differ(persona: Persona, domain: dict[str, Any]) -> None:
    for kind, names in persona.reactions.items():
        texts = [for_persona(domain, name, persona)[0] for name in names]
        assert len(set(texts)) == len(texts), f"{kind} for {persona.id} repeats a text"
