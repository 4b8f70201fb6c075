"""Tests for :mod:`bot.personas` and the packaged ``bot/personas.yml``."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.personas import (
    DEFAULT_PERSONAS_PATH,
    FACT_KINDS,
    REACTION_KINDS,
    VALUE_FACTS,
    Persona,
    PersonaFileError,
    find_persona,
    load_personas,
    pick_persona,
)
from bot.value_model import Category, Frequency, Outcome, Price, ValueLine, assess

PERSONAS = load_personas()
HOSPITAL = "hospital_facility_manager"


def test_the_packaged_file_has_the_three_personas() -> None:
    assert [persona.id for persona in PERSONAS] == [
        HOSPITAL,
        "municipality_tender_buyer",
        "small_business_owner_catering",
    ]
    assert load_personas(DEFAULT_PERSONAS_PATH) == PERSONAS
    assert {persona.address for persona in PERSONAS} == {"u", "je"}
    assert find_persona(PERSONAS, "small_business_owner_catering").address == "je"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_every_persona_is_complete(persona: Persona) -> None:
    assert [fact.kind for fact in persona.facts] == list(FACT_KINDS)
    assert {fact.kind for fact in persona.facts if fact.money} == {"current_cost", "pains", "budget_ceiling"}
    assert set(persona.reactions) == set(REACTION_KINDS)
    assert persona.objections
    assert all(name.startswith("utter_roleplay_") for name in persona.response_names())
    assert any(objection.trigger == "price_above_budget" for objection in persona.objections)


def _yearly_value(persona: Persona, kinds: tuple[str, ...]) -> list[ValueLine]:
    lines = []
    for kind in kinds:
        money = persona.fact(kind).money
        assert money is not None
        lines.append(ValueLine(kind, money.amount, money.frequency, Category.COST_SAVING))
    return lines


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_only_what_the_problems_cost_is_value(persona: Persona) -> None:
    """Counting the current cost as value (the old mistake) makes a price at the budget look worth it."""
    assert VALUE_FACTS == ("pains",)
    price = Price(Decimal(0), persona.budget_per_year, persona.contract_years)
    with_current_cost = assess(_yearly_value(persona, ("current_cost", "pains")), price)
    value_only = assess(_yearly_value(persona, VALUE_FACTS), price)
    assert with_current_cost.outcome is Outcome.PROMOTER
    assert value_only.outcome is not Outcome.PROMOTER


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.id)
def test_every_persona_varies_its_lines_and_can_steer(persona: Persona) -> None:
    for kind in ("neutral", "fact_repeated"):
        assert len(persona.reactions[kind]) >= 3, kind
    for kind in ("value_confirmed", "value_doubted", "value_question_unclear", "next_step_vague"):
        assert len(persona.reactions[kind]) >= 2, kind
    assert all(len(fact.steer) >= 2 for fact in persona.facts)
    assert len(persona.response_names()) == len(set(persona.response_names()))


def test_hospital_numbers() -> None:
    hospital = find_persona(PERSONAS, HOSPITAL)
    current = hospital.fact("current_cost").money
    assert current is not None
    assert (current.amount, current.frequency, current.word) == (Decimal(420000), Frequency.YEAR, "per jaar")
    assert hospital.budget_per_year == Decimal(400000)
    assert hospital.contract_years == 3
    competitor = hospital.objection("competitor_cheaper")
    assert (competitor.trigger, competitor.turn) == ("turn", 6)
    assert competitor.money is not None and competitor.money.amount == Decimal(380000)


def test_catering_budget_per_month_counts_per_year() -> None:
    assert find_persona(PERSONAS, "small_business_owner_catering").budget_per_year == Decimal(54000)


def test_find_and_pick() -> None:
    assert find_persona(PERSONAS, HOSPITAL).name == "Ingrid Verbeek"
    with pytest.raises(KeyError, match="no persona 'nobody'"):
        find_persona(PERSONAS, "nobody")
    first = [pick_persona(PERSONAS, random.Random(7)).id for _ in range(3)]
    again = [pick_persona(PERSONAS, random.Random(7)).id for _ in range(3)]
    assert first == again
    assert {pick_persona(PERSONAS, random.Random(seed)).id for seed in range(30)} == {p.id for p in PERSONAS}


# -- broken persona files -----------------------------------------------------------------


def _packaged() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PERSONAS_PATH.read_text(encoding="utf-8"))


def _hospital(data: dict[str, Any]) -> dict[str, Any]:
    return data["personas"][0]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the hospital persona: set (or with value None: delete) a dotted path."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = _hospital(data)
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


BROKEN = [
    (_set("opening", None), "required key 'opening' is missing"),
    (_set("openning", "utter_roleplay_opening"), "unknown key 'openning' in a persona"),
    (_set("id", "Hospital-1"), "'id' must be snake_case"),
    (_set("address", "jij"), "'address' must be 'u' or 'je'"),
    (_set("contract_years", 0), "'contract_years' must be a whole number of years from 1 to 30"),
    (_set("contract_years", "3"), "'contract_years' must be a whole number"),
    (_set("opening", "Goedemiddag!"), "'opening' must be a Rasa response name"),
    (_set("hidden_facts.pains", None), "'pains' missing in 'hidden_facts'"),
    (_set("hidden_facts.pain", {}), "unknown key 'pain' in hidden_facts"),
    (_set("hidden_facts.pains.revealed_by", "name_price"), "'revealed_by' must be one of ask_success"),
    (_set("hidden_facts.current_cost.amount", 420000.5), "not a decimal number"),
    (_set("hidden_facts.current_cost.amount", 0), "'amount' must be an amount in euros above zero"),
    (_set("hidden_facts.current_cost.amount", "heel veel"), "'amount' must be an amount in euros"),
    (_set("hidden_facts.current_cost.frequency", "per jaartje"), "'frequency' must be one of eenmalig"),
    (_set("hidden_facts.current_cost.frequency", None), "'frequency' is missing"),
    (_set("hidden_facts.budget_ceiling.amount", None), "'amount' is missing"),
    (_set("hidden_facts.success.amount", 5), "unknown key 'amount' in a hidden fact"),
    (_set("objections.0.trigger", "price_too_high"), "'trigger' must be a move"),
    (_set("objections.0.trigger", "turn 0"), "'trigger' must be a move"),
    (_set("objections.0.handled_by", ["quantify_value", "discount"]), "giving in never handles an objection"),
    (_set("objections.0.handled_by", ["praten"]), "'handled_by' must be one of"),
    (_set("objections.0.handled_by", []), "'handled_by' must contain at least one item"),
    (_set("objections.0.handled_response", None), "required key 'handled_response' is missing"),
    (_set("objections.0.reveals", "budget"), "'reveals' must be one of success"),
    (_set("objections.1.id", "too_expensive"), "used by an earlier objection of this persona"),
    (_set("objections", []), "'objections' must be a non-empty list"),
    (_set("reactions.neutral", None), "'neutral' missing in 'reactions'"),
    (_set("reactions.shrug", "utter_roleplay_neutral"), "unknown key 'shrug' in reactions"),
    (_set("reactions.neutral", "Utter_Neutral"), "'neutral' must be a Rasa response name"),
    (_set("reactions.neutral", []), "'neutral' must name at least one response"),
    (_set("reactions.neutral", ["utter_a", "utter_a"]), "'neutral' names a response twice"),
    (_set("reactions.neutral", ["utter_a", "Zeg iets"]), "'neutral' must be a Rasa response name"),
    (_set("hidden_facts.pains.steer", ["utter_a", 5]), "'steer' must be a Rasa response name"),
]


@pytest.mark.parametrize(("change", "problem"), BROKEN)
def test_broken_persona_names_file_persona_and_problem(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    data = _packaged()
    change(data)
    path = tmp_path / "personas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_personas(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: personas[0]")
    persona_id = _hospital(data).get("id")
    if isinstance(persona_id, str):
        assert f"(id {persona_id!r})" in message
    assert problem in message


def test_the_place_inside_a_persona_is_named(tmp_path: Path) -> None:
    data = _packaged()
    _hospital(data)["objections"][1]["trigger"] = "later"
    _hospital(data)["hidden_facts"]["pains"]["frequency"] = "ooit"
    path = tmp_path / "personas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_personas(path)
    assert f"personas[0] (id {HOSPITAL!r}) > hidden_facts.pains: 'frequency'" in str(caught.value)
    _hospital(data)["hidden_facts"]["pains"]["frequency"] = "per jaar"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_personas(path)
    assert f"personas[0] (id {HOSPITAL!r}) > objections[1] (id 'budget'): 'trigger'" in str(caught.value)


def test_duplicate_persona(tmp_path: Path) -> None:
    data = _packaged()
    data["personas"].append(data["personas"][0])
    path = tmp_path / "personas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(
        PersonaFileError, match=r"personas\[3\] \(id 'hospital_facility_manager'\): id .* earlier"
    ):
        load_personas(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version: 1\npersonas: []\n", "'personas' must be a non-empty list of personas"),
        ("version: 2\npersonas: [x]\n", "'version' must be 1, got 2"),
        ("version: 1\npersonas: [unclosed\n", "not valid YAML"),
        ("version: 1\nversion: 1\npersonas: []\n", "key 'version' is given twice"),
        ("version: 1\npersonas:\n  - Ingrid\n", "personas[0]: a persona must be a mapping"),
    ],
)
def test_broken_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "personas.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PersonaFileError) as caught:
        load_personas(path)
    assert str(caught.value).startswith(str(path))
    assert problem in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PersonaFileError, match="the persona file does not exist"):
        load_personas(tmp_path / "missing.yml")


def test_a_reaction_may_be_one_name(tmp_path: Path) -> None:
    data = _packaged()
    _hospital(data)["reactions"]["neutral"] = "utter_roleplay_neutral"
    del _hospital(data)["hidden_facts"]["why_now"]["steer"]
    path = tmp_path / "personas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    hospital = find_persona(load_personas(path), HOSPITAL)
    assert hospital.reactions["neutral"] == ("utter_roleplay_neutral",)
    assert hospital.fact("why_now").steer == ()


def test_amount_as_dutch_text(tmp_path: Path) -> None:
    data = _packaged()
    _hospital(data)["hidden_facts"]["current_cost"]["amount"] = "€ 420.000,50"
    path = tmp_path / "personas.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    money = find_persona(load_personas(path), HOSPITAL).fact("current_cost").money
    assert money is not None and money.amount == Decimal("420000.50")
