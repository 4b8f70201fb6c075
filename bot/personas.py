"""Personas for the rehearsal: the clients the bot plays, read from :file:`personas.yml`.

A persona holds structure and numbers: who the client is, the hidden facts (with the
discovery move that reveals each and the amounts behind them), the objections with their
triggers and what handles them, and the name of the Rasa response for every line the
client says. The Dutch wording lives in the domain's responses, as variations on the slot
``persona``. The file's header documents the format.

:func:`load_personas` validates the file strictly and raises :class:`PersonaFileError`
naming the file, the persona (and the fact or objection) and the problem; call it once at
start-up and keep the result. Nothing here is random: :func:`pick_persona` takes the
caller's random source.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.amounts import parse_amount
from bot.data_files import (
    DataFileError,
    Where,
    all_keys,
    open_entry,
    parse_entries,
    read_mapping_file,
    snake_id,
    string_list,
    text,
)
from bot.roleplay_moves import CONTROL_MOVES, DISCOVERY_MOVES, MOVE_IDS
from bot.value_model import Frequency

__all__ = [
    "DEFAULT_PERSONAS_PATH",
    "FACT_KINDS",
    "FREQUENCY_WORDS",
    "PERSONAS_VERSION",
    "PRICE_ABOVE_BUDGET",
    "REACTION_KINDS",
    "VALUE_FACTS",
    "HiddenFact",
    "Money",
    "Objection",
    "Persona",
    "PersonaFileError",
    "find_persona",
    "load_personas",
    "pick_persona",
]

DEFAULT_PERSONAS_PATH = Path(__file__).with_name("personas.yml")
PERSONAS_VERSION = 1

FACT_KINDS = ("success", "current_cost", "pains", "why_now", "budget_ceiling")
_FACTS_WITH_AMOUNT = ("current_cost", "pains", "budget_ceiling")
# What the client gains from: what the problems cost. The current cost is not value: the client
# stops paying it but pays the new supplier instead.
VALUE_FACTS = ("pains",)
REACTION_KINDS = (
    "value_question_good",
    "value_question_unclear",
    "value_confirmed",
    "value_doubted",
    "value_is_cost",
    "price_named",
    "discount",
    "discount_before_value",
    "options",
    "next_step_concrete",
    "next_step_vague",
    "promise_concrete",
    "promise_vague",
    "fact_repeated",
    "neutral",
)
FREQUENCY_WORDS = {
    "eenmalig": Frequency.ONE_OFF,
    "per week": Frequency.WEEK,
    "per maand": Frequency.MONTH,
    "per kwartaal": Frequency.QUARTER,
    "per jaar": Frequency.YEAR,
}
PRICE_ABOVE_BUDGET = "price_above_budget"
_TRIGGER_MOVES = tuple(move for move in MOVE_IDS if move not in CONTROL_MOVES)
_HANDLING_MOVES = tuple(move for move in _TRIGGER_MOVES if move != "discount")
_TURN_TRIGGER = re.compile(r"turn ([1-9][0-9]*)")
_RESPONSE_NAME = re.compile(r"utter_[a-z0-9]+(?:_[a-z0-9]+)*")

_TOP_KEYS = ("version", "personas")
_PERSONA_KEYS = (
    "id",
    "name",
    "role",
    "buys",
    "background",
    "address",
    "contract_years",
    "opening",
    "hidden_facts",
    "objections",
    "reactions",
)
_FACT_KEYS = ("revealed_by", "response")
_FACT_OPTIONAL = ("amount", "frequency", "steer", "note")
_OBJECTION_KEYS = ("id", "label", "trigger", "response", "handled_by", "handled_response")
_OBJECTION_OPTIONAL = ("reveals", "amount", "frequency", "note")
_MAX_YEARS = 30


class PersonaFileError(DataFileError):
    """The persona file cannot be used; the message says where and what is wrong."""


@dataclass(frozen=True)
class Money:
    """An amount the client names, with how often it occurs and the word for that."""

    amount: Decimal
    frequency: Frequency
    word: str

    def per_year(self, years: int) -> Decimal:
        """The yearly amount; a one-off amount spread over ``years``."""
        if self.frequency is Frequency.ONE_OFF:
            return self.amount / years
        return self.amount * self.frequency.per_year


@dataclass(frozen=True)
class HiddenFact:
    """Something the client only tells when asked the right discovery question."""

    kind: str
    revealed_by: str
    response: str
    money: Money | None = None
    note: str = ""
    steer: tuple[str, ...] = ()  # lines that hint at this fact while it is still hidden


@dataclass(frozen=True)
class Objection:
    """An objection the client raises once, when its trigger happens.

    ``trigger`` is a move id, :data:`PRICE_ABOVE_BUDGET` or ``"turn"`` (with ``turn`` set).
    """

    id: str
    label: str
    trigger: str
    response: str
    handled_by: tuple[str, ...]
    handled_response: str
    turn: int | None = None
    reveals: str | None = None
    money: Money | None = None
    note: str = ""


@dataclass(frozen=True)
class Persona:
    """A client the bot plays in the rehearsal."""

    id: str
    name: str
    role: str
    buys: str
    background: str
    address: str
    contract_years: int
    opening: str
    facts: tuple[HiddenFact, ...]
    objections: tuple[Objection, ...]
    reactions: Mapping[str, tuple[str, ...]]  # kind -> its variations (response names), in order

    def fact(self, kind: str) -> HiddenFact:
        """The hidden fact of this kind (every persona has all of :data:`FACT_KINDS`)."""
        return next(fact for fact in self.facts if fact.kind == kind)

    def objection(self, objection_id: str) -> Objection:
        """The objection with this id; KeyError when there is none."""
        for objection in self.objections:
            if objection.id == objection_id:
                return objection
        raise KeyError(f"persona {self.id!r} has no objection {objection_id!r}")

    def per_year(self, kind: str) -> Decimal:
        """The amount of a hidden fact per year (one-off spread over the contract); 0 without one."""
        money = self.fact(kind).money
        return Decimal(0) if money is None else money.per_year(self.contract_years)

    @property
    def budget_per_year(self) -> Decimal:
        """The budget ceiling per year."""
        return self.per_year("budget_ceiling")

    def response_names(self) -> tuple[str, ...]:
        """Every response name this persona uses, each once, in file order."""
        names = [self.opening, *(fact.response for fact in self.facts)]
        names += [name for fact in self.facts for name in fact.steer]
        for objection in self.objections:
            names += [objection.response, objection.handled_response]
        names += [name for variations in self.reactions.values() for name in variations]
        return tuple(dict.fromkeys(names))


# -- lookup -----------------------------------------------------------------------------


def find_persona(personas: Sequence[Persona], persona_id: str) -> Persona:
    """The persona with this id; KeyError naming the known ids when there is none."""
    for persona in personas:
        if persona.id == persona_id:
            return persona
    known = ", ".join(persona.id for persona in personas)
    raise KeyError(f"no persona {persona_id!r} (known: {known})")


def pick_persona(personas: Sequence[Persona], source: random.Random) -> Persona:
    """A persona chosen with the caller's random source (deterministic for a seeded one)."""
    return source.choice(list(personas))


# -- loading ----------------------------------------------------------------------------


def _response(where: Where, raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not _RESPONSE_NAME.fullmatch(value):
        where.fail(
            f"{key!r} must be a Rasa response name: 'utter_' and lower-case letters, digits "
            f"and '_' (utter_roleplay_opening), got {value!r}"
        )
    return value


def _amount(where: Where, value: Any) -> Decimal:
    if isinstance(value, float):
        where.fail(
            f"'amount' {value!r}: write whole euros as a number (9000) or a Dutch amount in "
            "quotes ('€ 9.000,50'), not a decimal number"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        amount: Decimal | None = Decimal(value)
    elif isinstance(value, str):
        amount = parse_amount(value)
    else:
        amount = None
    if amount is None or amount <= 0:
        where.fail(f"'amount' must be an amount in euros above zero, got {value!r}")
    return amount


def _money(where: Where, raw: Mapping[str, Any], *, required: bool) -> Money | None:
    if "amount" not in raw and "frequency" not in raw:
        if required:
            where.fail("'amount' and 'frequency' are required here")
        return None
    for key in ("amount", "frequency"):
        if key not in raw:
            where.fail(f"{key!r} is missing; 'amount' and 'frequency' go together")
    word = raw["frequency"]
    if word not in FREQUENCY_WORDS:
        where.fail(f"'frequency' must be one of {', '.join(FREQUENCY_WORDS)}, got {word!r}")
    return Money(_amount(where, raw["amount"]), FREQUENCY_WORDS[word], word)


def _responses(where: Where, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """One response name, or a list of them (the variations, used in turn)."""
    value = raw.get(key)
    if not isinstance(value, list):
        return (_response(where, raw, key),)
    if not value:
        where.fail(f"{key!r} must name at least one response")
    names = tuple(_response(where, {key: item}, key) for item in value)
    if len(set(names)) != len(names):
        where.fail(f"{key!r} names a response twice")
    return names


def _note(where: Where, raw: Mapping[str, Any]) -> str:
    return text(where, raw, "note") if "note" in raw else ""


def _move(where: Where, value: Any, key: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        where.fail(f"{key!r} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _parse_fact(parent: Where, kind: str, raw: Any) -> HiddenFact:
    optional = _FACT_OPTIONAL if kind in _FACTS_WITH_AMOUNT else ("steer", "note")
    where, raw = open_entry(parent, f"hidden_facts.{kind}", None, raw, _FACT_KEYS, optional, "a hidden fact")
    return HiddenFact(
        kind=kind,
        revealed_by=_move(where, raw["revealed_by"], "revealed_by", DISCOVERY_MOVES),
        response=_response(where, raw, "response"),
        money=_money(where, raw, required=kind in _FACTS_WITH_AMOUNT),
        note=_note(where, raw),
        steer=_responses(where, raw, "steer") if "steer" in raw else (),
    )


def _parse_facts(where: Where, raw: Any) -> tuple[HiddenFact, ...]:
    raw = all_keys(where, raw, "hidden_facts", FACT_KINDS, "every persona has all five hidden facts")
    return tuple(_parse_fact(where, kind, raw[kind]) for kind in FACT_KINDS)


def _trigger(where: Where, value: Any) -> tuple[str, int | None]:
    if isinstance(value, str):
        turn = _TURN_TRIGGER.fullmatch(value)
        if turn:
            return "turn", int(turn.group(1))
        if value in (*_TRIGGER_MOVES, PRICE_ABOVE_BUDGET):
            return value, None
    where.fail(
        f"'trigger' must be a move ({', '.join(_TRIGGER_MOVES)}), {PRICE_ABOVE_BUDGET!r} or "
        f"'turn N' with N = 1, 2, ..., got {value!r}"
    )


def _handled_by(where: Where, raw: Mapping[str, Any]) -> tuple[str, ...]:
    moves = string_list(where, raw["handled_by"], "handled_by", required=True)
    for move in moves:
        if move == "discount":
            where.fail("'handled_by' may not hold 'discount': giving in never handles an objection")
        _move(where, move, "handled_by", _HANDLING_MOVES)
    return tuple(moves)


def _parse_objection(parent: Where, index: int, raw: Any, seen: frozenset[str]) -> Objection:
    where, raw = open_entry(
        parent, "objections", index, raw, _OBJECTION_KEYS, _OBJECTION_OPTIONAL, "an objection"
    )
    objection_id = snake_id(where, raw)
    if objection_id in seen:
        where.fail(f"id {objection_id!r} is used by an earlier objection of this persona; ids must be unique")
    trigger, turn = _trigger(where, raw["trigger"])
    reveals = raw.get("reveals")
    if reveals is not None:
        _move(where, reveals, "reveals", FACT_KINDS)
    return Objection(
        id=objection_id,
        label=text(where, raw, "label"),
        trigger=trigger,
        response=_response(where, raw, "response"),
        handled_by=_handled_by(where, raw),
        handled_response=_response(where, raw, "handled_response"),
        turn=turn,
        reveals=reveals,
        money=_money(where, raw, required=False),
        note=_note(where, raw),
    )


def _parse_reactions(where: Where, raw: Any) -> dict[str, tuple[str, ...]]:
    raw = all_keys(where, raw, "reactions", REACTION_KINDS, "every kind of reaction needs a response")
    place = where.entry("reactions")
    return {kind: _responses(place, raw, kind) for kind in REACTION_KINDS}


def _contract_years(where: Where, value: Any) -> int:
    if type(value) is not int or not 1 <= value <= _MAX_YEARS:
        where.fail(f"'contract_years' must be a whole number of years from 1 to {_MAX_YEARS}, got {value!r}")
    return value


def _parse_persona(parent: Where, index: int, raw: Any, seen: frozenset[str]) -> Persona:
    where, raw = open_entry(parent, "personas", index, raw, _PERSONA_KEYS, (), "a persona")
    persona_id = snake_id(where, raw)
    if persona_id in seen:
        where.fail(f"id {persona_id!r} is used by an earlier persona; ids must be unique")
    if raw["address"] not in ("u", "je"):
        where.fail(f"'address' must be 'u' or 'je' (how the client speaks), got {raw['address']!r}")
    facts = _parse_facts(where, raw["hidden_facts"])
    objections = parse_entries(where, raw, "objections", "objections", _parse_objection)
    return Persona(
        id=persona_id,
        name=text(where, raw, "name"),
        role=text(where, raw, "role"),
        buys=text(where, raw, "buys"),
        background=text(where, raw, "background"),
        address=raw["address"],
        contract_years=_contract_years(where, raw["contract_years"]),
        opening=_response(where, raw, "opening"),
        facts=facts,
        objections=objections,
        reactions=_parse_reactions(where, raw["reactions"]),
    )


def load_personas(path: Path | None = None) -> tuple[Persona, ...]:
    """Read and validate the personas; by default the packaged ``personas.yml``.

    Raises :class:`PersonaFileError` when the file is missing, is not valid YAML, has the
    wrong version, or has a persona with a missing, unknown or mistyped key, a duplicate or
    non-snake_case id, a hidden fact or reaction missing, an amount or frequency that cannot
    be used, a move or trigger that does not exist, a discount as a way to handle an
    objection, or a response name that is not a Rasa response name.
    """
    path = Path(path) if path is not None else DEFAULT_PERSONAS_PATH
    where, data = read_mapping_file(path, PersonaFileError, "persona file", PERSONAS_VERSION, _TOP_KEYS)
    return parse_entries(where, data, "personas", "personas", _parse_persona)
