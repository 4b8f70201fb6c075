"""The client in the rehearsal ("oefenen met een klant"): the bot plays a persona.

:func:`start` opens the rehearsal; :func:`client_turn` reads one message of the
salesperson, updates the :class:`RoleplayState` and returns the client's replies, each a
Rasa response name with its template variables (money already formatted). Everything is
deterministic; the state is plain data, stored in a slot by :mod:`bot.slot_shapes.roleplay_state`.

How the client behaves, per in-role message (moves from :mod:`bot.roleplay_moves`, in the
order they were said):

* a discovery question reveals its hidden fact the first time; asked again, the client says
  it already told (``fact_repeated``);
* a value question, well asked, gets agreement (``value_question_good``), otherwise
  ``value_question_unclear``;
* a value line is confirmed when the confirmed value so far stays within
  :data:`GROUNDING_MARGIN` times what the client told about what the problems cost
  (:data:`bot.personas.VALUE_FACTS`); otherwise the client doubts it. A line equal to the
  client's current cost is not value (``value_is_cost``, not recorded): the client stops
  paying it but pays the new supplier. A line equal to the price named is the price, not
  value, and is ignored. The value is *clear* once a line is confirmed. Amounts are read by
  :func:`read_amount` with the value conversation's interpreter (a stated result of a sum
  counts: "6 keer 9.000, dus 54.000 per jaar" is 54.000 per year);
* a discount before the value is clear gets ``discount_before_value``, after it
  ``discount``; either way every objection still open is given in;
* an objection is raised, at most once, when its trigger happens (a move; the price named
  above the budget ceiling; or a turn, in the first message from that turn on that raises
  nothing else); it is handled by a later message holding one of its ``handled_by`` moves,
  well done. The objection's reply, or the reply that it is handled, replaces the reaction
  to the move that caused it (a revealed fact is always told);
* nothing to react to: a line that steers toward a hidden fact not yet told (its ``steer``
  lines, without the fact) or a ``neutral`` line, in turn.

Every client line is a list of variations in the persona file; the client uses them in
turn, by the count of lines said so far (:attr:`RoleplayState.said`), and never says the
same line twice in a row (:attr:`RoleplayState.last_line`). Nothing is random.

Coaching rules (:mod:`bot.coaching`) are checked on every in-role message; the flags are
recorded for the scorecard, not shown during the rehearsal. Control words: ``time_out``
steps out of the role (what follows in the message is not played), ``back_in_role`` steps
back in, ``finish`` ends the rehearsal (what came before it in the message is played).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from bot.amounts import format_euro
from bot.coaching import CoachingRule, check_wording
from bot.data_files import sentence_spans
from bot.interpreter import Role, interpret
from bot.personas import (
    FREQUENCY_WORDS,
    PRICE_ABOVE_BUDGET,
    VALUE_FACTS,
    HiddenFact,
    Money,
    Objection,
    Persona,
)
from bot.roleplay_moves import CONTROL_MOVES, DISCOVERY_MOVES, Move, MoveDefinition, find_moves, load_moves
from bot.slot_shapes.scorecard import RecordedFlag
from bot.value_lines import ParsedLine
from bot.value_model import Category, Frequency, Price, ValueLine

__all__ = [
    "COACH_ALREADY_FINISHED",
    "COACH_BACK_IN_ROLE",
    "COACH_FINISHED",
    "COACH_INTRO",
    "COACH_OUT_OF_ROLE",
    "COACH_TIME_OUT",
    "GIVEN_IN",
    "GROUNDING_MARGIN",
    "HANDLED",
    "OPEN",
    "NamedPrice",
    "ObjectionRecord",
    "OfferedDiscount",
    "QuantifiedValue",
    "Reply",
    "RevealedFact",
    "RoleplayState",
    "SeenMove",
    "client_turn",
    "read_amount",
    "start",
]

# The coach's own lines (not the client's): fixed response names.
COACH_INTRO = "utter_roleplay_coach_intro"
COACH_TIME_OUT = "utter_roleplay_coach_time_out"
COACH_BACK_IN_ROLE = "utter_roleplay_coach_back_in_role"
COACH_OUT_OF_ROLE = "utter_roleplay_coach_out_of_role"
COACH_FINISHED = "utter_roleplay_coach_finished"
COACH_ALREADY_FINISHED = "utter_roleplay_coach_already_finished"

GROUNDING_MARGIN = Decimal("1.10")
_SAME_AMOUNT = Decimal("0.01")  # within 1 % counts as the same amount (the price, the current cost)
_PRICE_ROLES = (Role.PRICE_RECURRING, Role.PRICE_ONE_OFF)

OPEN, HANDLED, GIVEN_IN = "open", "handled", "given_in"
_WORD_FOR = {frequency: word for word, frequency in FREQUENCY_WORDS.items()}


@dataclass(frozen=True)
class Reply:
    """One line to send: a Rasa response name and the variables its text may use."""

    response: str
    variables: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """``{"response": ..., "variables": {...}}``."""
        return {"response": self.response, "variables": dict(self.variables)}


# -- the state --------------------------------------------------------------------------


# The moves the scorecard judges by the salesperson's own words (bot/scorecard.py reads them with
# RoleplayState.seen); only these are kept in the state, which is stored again every turn.
SCORED_MOVES = frozenset({"value_question", "options", "next_step", "promise"})


@dataclass(frozen=True)
class SeenMove:
    """A move the salesperson made, with their words, the turn and whether it was well done."""

    move: str
    quote: str
    turn: int
    good: bool


@dataclass(frozen=True)
class RevealedFact:
    """A hidden fact the client told; ``quote`` is the question, "" when told with an objection."""

    kind: str
    turn: int
    quote: str


@dataclass(frozen=True)
class ObjectionRecord:
    """An objection the client raised: open, handled or given in, with the words that did it."""

    id: str
    turn: int
    status: str = OPEN
    quote: str = ""


@dataclass(frozen=True)
class QuantifiedValue:
    """A value line the salesperson stated, and whether the client confirmed it."""

    quote: str
    turn: int
    amount: Decimal
    frequency: Frequency
    category: Category
    confirmed: bool

    def per_year(self, years: int) -> Decimal:
        """The yearly amount; a one-off amount spread over ``years``."""
        return Money(self.amount, self.frequency, "").per_year(years)

    def value_line(self) -> ValueLine:
        """As a line for :func:`bot.value_model.assess` (the client confirmed it: certain)."""
        return ValueLine(self.quote, self.amount, self.frequency, self.category)


@dataclass(frozen=True)
class NamedPrice:
    """The price the salesperson named so far: a one-off part and a yearly part."""

    quote: str
    turn: int
    one_off: Decimal
    per_year: Decimal

    def price(self, years: int) -> Price:
        """As a :class:`bot.value_model.Price` over ``years``."""
        return Price(self.one_off, self.per_year, years)

    def yearly(self, years: int) -> Decimal:
        """The yearly part plus the one-off part spread over ``years``."""
        return self.per_year + self.one_off / years


@dataclass(frozen=True)
class OfferedDiscount:
    """A discount the salesperson offered, and whether the value was clear yet."""

    quote: str
    turn: int
    before_value: bool


@dataclass(frozen=True)
class RoleplayState:
    """Everything the rehearsal needs to go on and to be scored; plain data."""

    persona_id: str
    turn: int = 0
    facts: tuple[RevealedFact, ...] = ()
    objections: tuple[ObjectionRecord, ...] = ()
    moves: tuple[SeenMove, ...] = ()
    values: tuple[QuantifiedValue, ...] = ()
    price: NamedPrice | None = None
    discounts: tuple[OfferedDiscount, ...] = ()
    value_agreed: bool = False
    coaching_flags: tuple[RecordedFlag, ...] = ()
    out_of_role: bool = False
    finished: bool = False
    said: int = 0  # client lines said so far: picks the next variation
    last_line: str = ""  # the last client line (response name): never said twice in a row

    @property
    def value_clear(self) -> bool:
        """True once the client confirmed a value line."""
        return any(value.confirmed for value in self.values)

    def revealed(self, kind: str) -> RevealedFact | None:
        """The record of a revealed fact, or None."""
        return next((fact for fact in self.facts if fact.kind == kind), None)

    def objection(self, objection_id: str) -> ObjectionRecord | None:
        """The record of a raised objection, or None."""
        return next((record for record in self.objections if record.id == objection_id), None)

    def seen(self, move: str) -> tuple[SeenMove, ...]:
        """Every time the salesperson made ``move``, in order."""
        return tuple(seen for seen in self.moves if seen.move == move)


@dataclass(frozen=True)
class _Line:
    """A client line to say: its variations (response names) and the variables it may use."""

    variations: tuple[str, ...]
    variables: Mapping[str, str]


# -- reading amounts --------------------------------------------------------------------


def read_amount(
    text: str, fallback: ParsedLine | None, *, price: bool = False
) -> tuple[Decimal, Frequency] | None:
    """The amount the salesperson stated in ``text`` and how often; the one place amounts are read.

    Read with the value conversation's interpreter (:func:`bot.interpreter.interpret`): a
    written-out sum counts its stated result ("6 keer 9.000, dus 54.000 per jaar" is 54.000
    per year, not 6), people x hours x rate is multiplied. For a value line (``price``
    False) the last amount in the role of value counts, so neither our price nor a term of a
    sum does; ``fallback`` (the move's own reading) stands when there is none. For a price
    the move's own reading of the clause after the price words comes first, then the first
    amount in the role of a price.
    """
    if price and fallback is not None:  # the move read the amount right after the price words
        return fallback.amount, fallback.frequency
    asked = Role.PRICE_RECURRING if price else Role.VALUE
    wanted = _PRICE_ROLES if price else (Role.VALUE,)
    facts = [fact for fact in interpret(text, asked).facts if fact.role in wanted and fact.amount > 0]
    if facts:
        fact = facts[0] if price else facts[-1]
        if fact.role is Role.PRICE_ONE_OFF:
            return fact.amount, Frequency.ONE_OFF
        return fact.amount, fact.frequency or Frequency.YEAR
    return None if fallback is None else (fallback.amount, fallback.frequency)


def _same(one: Decimal, other: Decimal) -> bool:
    return other > 0 and abs(one - other) <= other * _SAME_AMOUNT


# -- playing ----------------------------------------------------------------------------


@functools.cache
def _packaged_moves() -> tuple[MoveDefinition, ...]:
    return load_moves()


def _persona_variables(persona: Persona) -> dict[str, str]:
    return {"name": persona.name, "role": persona.role, "buys": persona.buys}


def _money_variables(money: Money | None) -> dict[str, str]:
    return {} if money is None else {"amount": format_euro(money.amount), "frequency": money.word}


def _price_variables(price: NamedPrice | None) -> dict[str, str]:
    if price is None:
        return {}
    if price.per_year > 0:
        return {"price": format_euro(price.per_year), "price_frequency": _WORD_FOR[Frequency.YEAR]}
    return {"price": format_euro(price.one_off), "price_frequency": _WORD_FOR[Frequency.ONE_OFF]}


def start(persona: Persona) -> tuple[RoleplayState, list[Reply]]:
    """A new rehearsal with ``persona``: the coach introduces the client, who opens."""
    variables = _persona_variables(persona)
    return RoleplayState(persona.id), [Reply(COACH_INTRO, variables), Reply(persona.opening, variables)]


class _Turn:
    """One in-role message being played: the state so far and the replies it collects."""

    def __init__(self, persona: Persona, state: RoleplayState) -> None:
        self.persona = persona
        self.turn = state.turn + 1
        self.state = replace(state, turn=self.turn)
        self.open_before = [record.id for record in state.objections if record.status == OPEN]
        # move index, the line's variations with its variables, always kept
        self.reactions: list[tuple[int, _Line, bool]] = []
        self.silenced: set[int] = set()  # moves whose reaction an objection replaces
        self.objected: set[int] = set()  # moves that raised an objection
        self.handled: list[_Line] = []
        self.raised: list[_Line] = []

    def client(self, response: str | tuple[str, ...], **extra: str) -> _Line:
        variations = (response,) if isinstance(response, str) else response
        return _Line(variations, {**_persona_variables(self.persona), **extra})

    def react(self, index: int, kind: str, **extra: str) -> None:
        self.reactions.append((index, self.client(self.persona.reactions[kind], **extra), False))

    def say(self, line: _Line) -> Reply:
        """The next variation of ``line``, never the line said last; counts it as said."""
        variations = line.variations
        position = self.state.said % len(variations)
        response = variations[position]
        if response == self.state.last_line and len(variations) > 1:
            response = variations[(position + 1) % len(variations)]
        self.update(said=self.state.said + 1, last_line=response)
        return Reply(response, line.variables)

    def general(self) -> _Line:
        """A reply to a message without a move: steer toward a fact still hidden, or neutral."""
        hidden = [
            fact.steer for fact in self.persona.facts if fact.steer and not self.state.revealed(fact.kind)
        ]
        most = max((len(steer) for steer in hidden), default=0)
        steering = [steer[number] for number in range(most) for steer in hidden if number < len(steer)]
        return self.client((*steering, *self.persona.reactions["neutral"]))

    def update(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)

    # -- facts and objections

    def reveal(self, fact: HiddenFact, quote: str) -> bool:
        """Record ``fact`` as told; False when it was told before."""
        if self.state.revealed(fact.kind) is not None:
            return False
        self.update(facts=(*self.state.facts, RevealedFact(fact.kind, self.turn, quote)))
        return True

    def raise_objection(self, objection: Objection, index: int | None) -> None:
        if self.state.objection(objection.id) is not None:
            return
        self.update(objections=(*self.state.objections, ObjectionRecord(objection.id, self.turn)))
        money = objection.money
        if objection.reveals is not None:
            fact = self.persona.fact(objection.reveals)
            self.reveal(fact, "")
            money = money or fact.money
        self.raised.append(
            self.client(objection.response, **_money_variables(money), **_price_variables(self.state.price))
        )
        if index is not None:
            self.silenced.add(index)
            self.objected.add(index)

    def settle(self, objection_id: str, status: str, quote: str) -> None:
        self.update(
            objections=tuple(
                replace(record, status=status, quote=quote) if record.id == objection_id else record
                for record in self.state.objections
            )
        )

    def still_open(self) -> list[str]:
        return [
            objection_id
            for objection_id in self.open_before
            if (record := self.state.objection(objection_id)) is not None and record.status == OPEN
        ]

    def triggers(self, index: int, trigger: str) -> None:
        for objection in self.persona.objections:
            if objection.trigger == trigger:
                self.raise_objection(objection, index)

    def handles(self, index: int, move: Move, good: bool) -> None:
        if not good:
            return
        for objection_id in self.still_open():
            objection = self.persona.objection(objection_id)
            if move.id in objection.handled_by:
                self.settle(objection_id, HANDLED, move.quote)
                self.handled.append(self.client(objection.handled_response))
                self.silenced.add(index)

    # -- moves

    def discover(self, index: int, move: Move) -> None:
        for fact in self.persona.facts:
            if fact.revealed_by != move.id:
                continue
            if self.reveal(fact, move.quote):
                response = fact.response
            elif (told := self.state.revealed(fact.kind)) is not None and told.turn != self.turn:
                response = self.persona.reactions["fact_repeated"]
            else:  # asked twice in one message: answered once
                continue
            # A revealed fact is always told, even when an objection answers the same move.
            self.reactions.append((index, self.client(response, **_money_variables(fact.money)), True))

    def is_price(self, money: Money) -> bool:
        """True when ``money`` is the price named so far, not value."""
        price = self.state.price
        if price is None:
            return False
        if money.frequency is Frequency.ONE_OFF:
            return _same(money.amount, price.one_off)
        return _same(money.per_year(self.persona.contract_years), price.per_year)

    def quantify(self, index: int, move: Move) -> bool | None:
        """Record a value line; whether the client confirmed it, None when it was not value at all."""
        reading = read_amount(move.quote, move.line)
        if reading is None:
            return None
        amount, frequency = reading
        money = Money(amount, frequency, _WORD_FOR[frequency])
        years = self.persona.contract_years
        if self.is_price(money):
            return None
        if _same(money.per_year(years), self.persona.per_year("current_cost")):
            self.react(index, "value_is_cost", **_money_variables(money))
            return False
        category = move.line.category if move.line is not None else Category.OTHER
        value = QuantifiedValue(move.quote, self.turn, amount, frequency, category, False)
        told = sum(
            (self.persona.per_year(fact.kind) for fact in self.state.facts if fact.kind in VALUE_FACTS),
            Decimal(0),
        )
        confirmed_so_far = sum((v.per_year(years) for v in self.state.values if v.confirmed), Decimal(0))
        confirmed = told > 0 and confirmed_so_far + value.per_year(years) <= told * GROUNDING_MARGIN
        self.update(values=(*self.state.values, replace(value, confirmed=confirmed)))
        self.react(index, "value_confirmed" if confirmed else "value_doubted", **_money_variables(money))
        return confirmed

    def name_price(self, index: int, move: Move) -> None:
        reading = read_amount(move.quote, move.line, price=True)
        if reading is None:
            return
        amount, frequency = reading
        previous = self.state.price
        one_off = previous.one_off if previous else Decimal(0)
        per_year = previous.per_year if previous else Decimal(0)
        if frequency is Frequency.ONE_OFF:
            one_off = amount
        else:
            per_year = amount * frequency.per_year
        price = NamedPrice(move.quote, self.turn, one_off, per_year)
        self.update(price=price)
        self.react(index, "price_named", price=format_euro(amount), price_frequency=_WORD_FOR[frequency])
        if price.yearly(self.persona.contract_years) > self.persona.budget_per_year:
            self.triggers(index, PRICE_ABOVE_BUDGET)

    def discount(self, index: int, move: Move) -> None:
        before = not self.state.value_clear
        self.update(discounts=(*self.state.discounts, OfferedDiscount(move.quote, self.turn, before)))
        for objection_id in self.still_open():
            self.settle(objection_id, GIVEN_IN, move.quote)
        self.react(index, "discount_before_value" if before else "discount")

    def play(self, index: int, move: Move) -> None:
        good = move.good
        if move.id in SCORED_MOVES:  # the others are never read again: not stored each turn
            self.update(moves=(*self.state.moves, SeenMove(move.id, move.quote, self.turn, good)))
        if move.id in DISCOVERY_MOVES:
            self.discover(index, move)
        elif move.id == "value_question":
            self.react(index, "value_question_good" if good else "value_question_unclear")
        elif move.id == "quantify_value":
            confirmed = self.quantify(index, move)
            if confirmed is None:  # the price, or no amount: not a value line
                return
            good = confirmed
        elif move.id == "name_price":
            self.name_price(index, move)
        elif move.id == "discount":
            self.discount(index, move)
        elif move.id == "options":
            self.react(index, "options")
        elif move.id in ("next_step", "promise"):
            self.react(index, f"{move.id}_concrete" if good else f"{move.id}_vague")
        self.handles(index, move, good)
        self.triggers(index, move.id)
        if move.id == "value_question" and good and index not in self.objected:
            self.update(value_agreed=True)

    def finish(self) -> tuple[RoleplayState, list[Reply]]:
        if not self.raised:
            for objection in self.persona.objections:
                if objection.trigger == "turn" and (objection.turn or 0) <= self.turn:
                    self.raise_objection(objection, None)
                    if self.raised:
                        break
        kept = [line for index, line, always in self.reactions if always or index not in self.silenced]
        lines = kept + self.handled + self.raised
        replies = [self.say(line) for line in lines or [self.general()]]
        return self.state, replies


def _play(
    persona: Persona, state: RoleplayState, text: str, moves: Sequence[Move], rules: Sequence[CoachingRule]
) -> tuple[RoleplayState, list[Reply]]:
    """Play one in-role message."""
    turn = _Turn(persona, state)
    flags = check_wording(text, rules, value_known=state.value_clear)
    turn.update(
        coaching_flags=(
            *state.coaching_flags,
            *(RecordedFlag(f.rule_id, f.quote, f.problem, f.suggestion, turn.turn) for f in flags),
        )
    )
    for index, move in enumerate(moves):
        turn.play(index, move)
    return turn.finish()


def _time_out_variables(persona: Persona, state: RoleplayState) -> dict[str, str]:
    asked = sum(1 for fact in state.facts if fact.quote)
    still_open = sum(1 for record in state.objections if record.status == OPEN)
    return {
        "facts_found": str(asked),
        "facts_total": str(len(persona.facts)),
        "open_objections": str(still_open),
    }


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding ``position`` starts."""
    return max((begin for begin, _ in sentence_spans(text) if begin <= position), default=0)


def client_turn(
    persona: Persona,
    state: RoleplayState,
    text: str,
    rules: Sequence[CoachingRule],
    moves: Sequence[MoveDefinition] | None = None,
) -> tuple[RoleplayState, list[Reply]]:
    """Play one message of the salesperson; the new state and the replies to send.

    ``rules`` are the coaching rules; ``moves`` the move definitions (by default the
    packaged file, loaded once). Raises ValueError when ``state`` belongs to another persona.
    """
    if state.persona_id != persona.id:
        raise ValueError(f"the state is of persona {state.persona_id!r}, not {persona.id!r}")
    if state.finished:
        return state, [Reply(COACH_ALREADY_FINISHED)]
    found = find_moves(text, _packaged_moves() if moves is None else moves)
    if state.out_of_role:
        if any(move.id == "finish" for move in found):
            return replace(state, finished=True, out_of_role=False), [Reply(COACH_FINISHED)]
        if any(move.id == "back_in_role" for move in found):
            return replace(state, out_of_role=False), [Reply(COACH_BACK_IN_ROLE)]
        return state, [Reply(COACH_OUT_OF_ROLE)]
    control = next((move for move in found if move.id in ("time_out", "finish")), None)
    cut = len(text) if control is None else _sentence_start(text, control.start)
    spoken = text[:cut]
    in_role = [move for move in found if move.id not in CONTROL_MOVES and move.start < cut]
    replies: list[Reply] = []
    if spoken.strip(" \t\n.!?,;:"):
        state, replies = _play(persona, state, spoken, in_role, rules)
    if control is not None and control.id == "time_out":
        return replace(state, out_of_role=True), [
            *replies,
            Reply(COACH_TIME_OUT, _time_out_variables(persona, state)),
        ]
    if control is not None:
        return replace(state, finished=True), [*replies, Reply(COACH_FINISHED)]
    return state, replies
