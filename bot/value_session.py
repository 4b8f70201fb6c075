"""One turn of the value conversation, from the open question and one message to what changes.

:func:`step` takes a :class:`Draft` (what is known so far and which question is open)
and the salesperson's message, reads it with :func:`bot.interpreter.interpret`, and
returns a :class:`Turn`: the new draft and what the bot says, as :class:`Said` items
(a response kind and its values) that the actions render with the domain's responses.

Rules (see ``tests/offpath/README.md`` for the cases):

* every fact goes where its words put it, whatever was asked; what was asked only
  decides for numbers without such words;
* every number taken is read back (``Said`` with ``readback`` values); what is not used
  is named (``unused``); a question (``asks``) takes nothing from the part it is about;
* corrections: "nee, dat was …" changes the last answer; "de tweede regel", "die van de
  schoonmaak" point to a line; after the verdict a price, a contract length or a line
  can change and the verdict is shown again;
* "terug" goes to the previous question; "naar de prijs" / "naar de waarde" jump there;
* below the threshold, naming the price is not taken as the next step at once.

Nothing here is Dutch text for the user; ``Said.kind`` names a response.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bot.amounts import find_amounts, format_euro, parse_amount
from bot.certainty import parse_certainty
from bot.corrections import (
    UNCLEAR,
    corrected_frequency,
    described_line,
    described_segments,
    find_line,
    is_correction,
    line_segments,
    names_new_lines,
    names_words,
    pointer_start,
)
from bot.interpreter import PRICE_WORDS as _PRICE_WORDS
from bot.interpreter import Fact, Interpretation, Problem, Role, clause_around, interpret
from bot.moments import is_concrete_moment
from bot.next_steps import NextStep, check_next_step, read_next_step
from bot.setup_answers import read_first_name, wants_real_conversation
from bot.text import MAX_FREE_TEXT, without_asides
from bot.value_lines import detect_category, find_frequencies
from bot.value_model import Category, Frequency, Price, ValueLine, assess

__all__ = ["Awaiting", "Draft", "Said", "Step", "Turn", "step"]


class Step(str, enum.Enum):
    """The question that is open."""

    ENGAGEMENT = "engagement"
    LINE = "line"
    CERTAINTY = "certainty"
    MORE_VALUES = "more_values"
    PRICE_ONE_OFF = "price_one_off"
    PRICE_RECURRING = "price_recurring"
    CONTRACT_YEARS = "contract_years"
    NEXT_STEP = "next_step"
    NEXT_STEP_MOMENT = "next_step_moment"
    DONE = "done"
    SALESPERSON_NAME = "salesperson_name"
    PERSONA_CHOICE = "persona_choice"


_ASKED_ROLE = {
    Step.LINE: Role.VALUE,
    Step.CERTAINTY: Role.VALUE,
    Step.MORE_VALUES: Role.VALUE,
    Step.PRICE_ONE_OFF: Role.PRICE_ONE_OFF,
    Step.PRICE_RECURRING: Role.PRICE_RECURRING,
    Step.CONTRACT_YEARS: Role.CONTRACT_YEARS,
}
_AFTER_VERDICT = (Step.NEXT_STEP, Step.NEXT_STEP_MOMENT, Step.DONE)


@dataclass(frozen=True)
class Awaiting:
    """What an earlier question left open: the next answer completes it.

    ``fte``: ``value`` people or FTE whose cost per head is asked; ``hours``: ``value``
    hours per ``frequency`` whose rate is asked; ``line``: a corrected amount whose line
    was unclear; ``restate``: an amount asked again (it keeps ``frequency``); ``items``: an
    amount per item whose number of items is asked (``count`` is the number offered, which
    "ja" takes). ``quote`` is what the salesperson said first, kept for the line's description.
    """

    kind: str
    value: Decimal
    frequency: Frequency | None = None
    quote: str = ""
    count: Decimal | None = None


@dataclass(frozen=True)
class Draft:
    """What the value conversation knows, and the open question."""

    at: Step
    lines: tuple[ValueLine, ...] = ()
    pending: tuple[ValueLine, ...] = ()
    one_off: Decimal | None = None
    per_year: Decimal | None = None
    years: int | None = None
    next_step: NextStep | None = None
    moment: str | None = None
    awaiting: Awaiting | None = None
    price_warned: bool = False
    recurring_basis: tuple[Decimal, Frequency] | None = None  # the recurring part as it was said
    mode: str = "value"  # "roleplay" while the rehearsal is being set up
    # After the verdict, "terug" or "terug naar de prijs" asks price questions again without
    # forgetting their answers: the steps still to ask, each kept until it is answered or "klopt"
    reopened: tuple[Step, ...] = ()

    @property
    def all_lines(self) -> tuple[ValueLine, ...]:
        """Confirmed lines and those still waiting for their certainty."""
        return self.lines + self.pending

    @property
    def price(self) -> Price | None:
        """The price when all three parts are known."""
        if self.one_off is None or self.per_year is None or self.years is None:
            return None
        return Price(self.one_off, self.per_year, self.years)

    @property
    def ratio(self) -> Decimal | None:
        """Expected value over price, when both are known."""
        price = self.price
        if price is None or not self.lines:
            return None
        return assess(self.lines, price).ratio


@dataclass(frozen=True)
class Said:
    """One thing the bot says: a response kind and its values."""

    kind: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Turn:
    """The outcome of one message."""

    draft: Draft
    said: tuple[Said, ...]
    asks: str | None = None
    readback: tuple[Decimal, ...] = ()
    unused: tuple[Decimal, ...] = ()


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_BACK = _compile(
    r"^\W*(?:nee,?\s+)?(?:ga\s+|ik\s+wil\s+|even\s+|kan\s+ik\s+|mag\s+ik\s+|graag\s+)?"
    r"(?:even\s+|eens\s+|ff\s+|effe\s+|nog\s+even\s+|nog\s+eens\s+|nog\s+ff\s+|nog\s+)?"
    r"(?:(?:een|één|eén)\s+(?:stap(?:je)?|vraag)\s+)?(?:terug|vorige\s+vraag|naar\s+de\s+vorige\s+vraag)"
    r"(?:\s+(?:graag|alsjeblieft|aub|even|ff|effe|gaan|naar\s+de\s+vorige\s+vraag))*\W*$"
)
_BACK_AT_END = _compile(r"^.*\b(?:wil|ga|moet)\s+ik\s+(?:\w+\s+)?(?:een\s+|één\s+)?stap(?:je)?\s+terug\W*$")
_TO_PRICE = _compile(
    r"\b(?:terug|naar|opnieuw|wijzig\w*|aanpass\w*|veranderen)\b.*\b(?:prij[sz]\w*|eenmalige\s+(?:bedrag|deel|kosten))"
    r"|\bprijs\w*\b.*\b(?:opnieuw|wijzigen|aanpassen|veranderen|klopt\s+niet|is\s+(?:fout|anders|niet\s+goed)"
    r"|langs\s*lopen|doorlopen|nalopen|doornemen|nakijken|bekijken|checken|controleren)\b"
    r"|\b(?:eenmalige|maandelijkse|jaarlijkse|terugkerende)\s+(?:kosten|deel|bedrag|fee)\b"
    r".*\b(?:opnieuw|wijzig\w*|aanpass\w*|veranderen)\b"
)
_WHOLE_PRICE = _compile(  # "de prijsopbouw nog eens langslopen": every part, not only the one named
    r"\bprijsopbouw|\bhele\s+prijs|\balle\s+(?:onderdelen|delen|bedragen|posten)"
    r"|\b(?:langs\s*lopen|doorlopen|nalopen|doornemen)\b"
)
_TO_VALUE = _compile(
    r"\b(?:terug|naar|opnieuw)\b.*\bwaarde|\bwaarde\w*\s+(?:\w+\s+){0,2}(?:toevoegen|aanpassen|wijzigen|veranderen)"
    r"|\b(?:regel|waarde)\s+(?:\w+\s+)?toevoegen"
)
_ADD = _compile(r"\btoevoeg\w*|\btoe\s+(?:te\s+)?voegen\b|\bnog\s+een\s+(?:waarde|regel)\b|\berbij\b")
_TO_REHEARSAL = _compile(r"\boefen\w*|\brollenspel\w*|\bklant\s+spelen\b")
_YES = _compile(
    r"^\W*(?:ja+|jazeker|jawel|jep|jup|yes|yep|idd|inderdaad|ok[eé]?|oke|okay|prima|zeker|graag|ja\s+hoor|ja\s+graag|klopt|goed"
    r"|top|is\s+goed|doe\s+maar|nog\s+(?:een|eentje|één)|zeker\s+wel|absoluut|natuurlijk|uiteraard|zeker\s+weten|ja,?\s+nog\s+(?:een|eentje|wat)"
    r"|👍|ja,?\s+er\s+is\s+(?:nog\s+)?meer|er\s+is\s+nog\s+meer|okido|oki|okidoki|yup|jazeker|jawel,?\s+zeker\s+en\s+vast|zeker\s+en\s+vast)\W*"
    r"(?:,?\s*(?:nog|er\s+is\s+nog)\s+(?:een|eentje|1|één|wat|iets)(?:\s+(?:post|regel|waarde\w*))?\W*)?$"
)
_ONE_MORE = _compile(  # "er is er nog eentje", "ja, ik heb er nog een", "ik heb er nog een paar"
    r"^\W*(?:(?:ja|jawel|jep|yes)(?:\s+hoor)?\W+)?(?:er\s+(?:is|komt|zit|volgt|kan|zijn|komen)\s+(?:er\s+)?|ik\s+heb\s+(?:er\s+)?"
    r"|(?:mag|kan)\s+er\s+)"
    r"(?:nog\s+)(?:een|eentje|één|1|iets|wat|een\s+paar|twee|drie|meer)(?:\s+(?:bij|erbij|aan|post|regel|waarde\w*))?\W*$"
)
_NO = _compile(
    r"^\W*(?:nee+|neen|neuh|nope|nah|klaar|dat\s+was\s+het|dat\s+(?:is|was)\s+(?:het|alles)|niets\s+meer|niks\s+meer"
    r"|geen|nvt|n\.v\.t\.?|niets|niks|geen\s+andere|verder\s+niet|nee\s+dat\s+was\s+het|nee,?\s+klaar|ben\s+klaar"
    r"|stop|nee\s+hoor|dat\s+is\s+alles|genoeg|dat\s+is\s+genoeg|laat\s+maar|niet\s+meer|verder\s+niks"
    r"|verder\s+(?:heb\s+ik\s+|is\s+er\s+|hebben\s+ze\s+)?(?:niets|niks|geen))\W*(?:\w+\W*){0,3}$"
)
_NO_WORD = _compile(
    r"^\W*(?:nee|neuh|klaar|dat\s+was\s+het|dat\s+(?:is|was)\s+(?:het|alles)|da'?s\s+(?:het|alles)|niets\s+meer"
    r"|niks\s+meer)\b"
)


def _money_values(fact: Fact) -> tuple[Decimal, ...]:
    values = [fact.amount]
    if fact.frequency not in (None, Frequency.ONE_OFF, Frequency.YEAR):
        values.append(fact.per_year)
    return (*fact.terms, *values)


_COUNTED_THING = re.compile(
    r"^(?!.*(?:€|euro|\bk\b|maand|jaar|jaren|week|weken|kwartaal|dag|uur|procent|%))\S+\s+[^\W\d_]{3,}",
    re.IGNORECASE,
)


class _Builder:
    """Collects what one turn changes and says."""

    def __init__(self, draft: Draft, reading: Interpretation) -> None:
        self.before = draft
        self.given: set[Role] = set()  # the price parts this message gave
        self.draft = draft
        self.reading = reading
        self.said: list[Said] = []
        self.asks: str | None = None
        self.readback: list[Decimal] = []
        # In the description of the engagement a count ("drie kantoorpanden") is context, not a figure
        unused = [
            u for u in reading.unused if not (draft.at is Step.ENGAGEMENT and _COUNTED_THING.search(u.quote))
        ]
        self.unused: list[Decimal] = [item.value for item in unused]
        self.unused_quotes: list[str] = [item.quote for item in unused]
        self.context = ""

    def say(self, kind: str, **values: object) -> None:
        self.said.append(Said(kind, values))

    def ask(self, kind: str, **values: object) -> None:
        if self.asks is None:
            self.asks = kind
        self.say(f"ask_{kind}", **values)

    def update(self, **changes: object) -> None:
        self.draft = replace(self.draft, **changes)  # type: ignore[arg-type]

    def read_back(self, kind: str, fact: Fact, **values: object) -> None:
        self.readback.extend(_money_values(fact))
        self.say(kind, fact=fact, **values)

    def _walk_on(self) -> None:
        """A reopened question that this message answered (or kept with "klopt") is done; after
        the last one the verdict is shown again."""
        reopened = self.draft.reopened
        asked = self.before.at
        if not reopened or reopened[0] is not asked or asked is not self.draft.at:
            return
        if _REOPENED_ROLE[asked] not in self.given and not (
            not self.reading.facts and _KEEP.match(self.reading.text)
        ):
            return
        self.update(reopened=reopened[1:])
        if not reopened[1:]:
            _verdict_again(self, self.before, always=True)

    def finish(self) -> Turn:
        if self.reading.corrections:
            self.said.insert(0, Said("typo_read_as", {"corrections": self.reading.corrections}))
        if self.unused:
            self.say("unused", quotes=list(self.unused_quotes), values=tuple(self.unused))
        self._walk_on()
        self.draft = replace(self.draft, at=_next_open(self.draft))
        return Turn(self.draft, tuple(self.said), self.asks, tuple(self.readback), tuple(self.unused))


def _next_open(draft: Draft) -> Step:
    """The question to ask next, from what is still unknown."""
    if draft.reopened:
        return draft.reopened[0]
    if draft.at is Step.ENGAGEMENT:  # an engagement answer that held figures goes on with them
        taken = draft.pending or draft.lines or draft.awaiting
        if not (taken or draft.one_off is not None or draft.per_year is not None or draft.years is not None):
            return draft.at
        return Step.CERTAINTY if draft.pending else Step.LINE
    if draft.at in (Step.SALESPERSON_NAME, Step.PERSONA_CHOICE, Step.DONE):
        return draft.at
    if draft.at in (Step.NEXT_STEP, Step.NEXT_STEP_MOMENT):
        if draft.next_step is None:
            return Step.NEXT_STEP
        return Step.DONE if draft.moment is not None else Step.NEXT_STEP_MOMENT
    if draft.pending:
        return Step.CERTAINTY
    if draft.at in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES):
        if not draft.lines:
            return Step.LINE
        return Step.MORE_VALUES if draft.at in (Step.CERTAINTY, Step.MORE_VALUES) else Step.LINE
    if draft.at is Step.MORE_VALUES and draft.lines:
        return Step.MORE_VALUES
    for open_step, known in (
        (Step.PRICE_ONE_OFF, draft.one_off),
        (Step.PRICE_RECURRING, draft.per_year),
        (Step.CONTRACT_YEARS, draft.years),
    ):
        if known is None:
            return open_step
    return Step.NEXT_STEP


def _description(reading: Interpretation, fact: Fact, several: bool, context: str = "") -> str:
    """The whole message for one line; for several, the part of the message about this one.

    ``context`` is the earlier message that this one completes ("twee FTE minder").
    """
    text = reading.text.strip() if not several else clause_around(reading.text, fact.start, fact.end)
    text = _LEAD_IN.sub("", text) or text  # "ja, ook nog energie: ..." is described as "energie: ..."
    return (f"{context}: {text}" if context else text)[:MAX_FREE_TEXT]


_LEAD_IN = _compile(
    r"^\W*(?:(?:ja+|jazeker|jawel|jep|yes|ok[eé]?|okay|oh?|o\s+ja|oja|en|ook|verder|daarnaast|trouwens|hoor"
    r"|nog\s+een(?:tje)?(?=\s*[:,])|nog)\b[\s,:;!.-]*)+"
)


def _new_line(fact: Fact, description: str) -> ValueLine:
    assert fact.frequency is not None
    return ValueLine(description, fact.amount, fact.frequency, fact.category or Category.OTHER)


def _apply_price(build: _Builder, fact: Fact) -> None:
    draft = build.draft
    one_off = fact.amount if fact.role is Role.PRICE_ONE_OFF else draft.one_off
    per_year = fact.per_year if fact.role is Role.PRICE_RECURRING else draft.per_year
    if one_off == 0 and per_year == 0:
        build.ask("price_zero")
        return
    _set_price(build, fact)


def _zero(role: Role) -> Fact:
    """A price part of nothing ("geen eenmalig deel")."""
    frequency = Frequency.ONE_OFF if role is Role.PRICE_ONE_OFF else Frequency.YEAR
    return Fact(role, Decimal(0), frequency, "", 0, 0)


def _set_price(build: _Builder, fact: Fact) -> None:
    build.given.add(fact.role)
    if fact.role is Role.PRICE_ONE_OFF:
        build.update(one_off=fact.amount)
        build.read_back("price_one_off_read", fact)
    elif fact.role is Role.PRICE_RECURRING:
        basis = (fact.amount, fact.frequency) if fact.frequency is not None else None
        build.update(per_year=fact.per_year, recurring_basis=basis)
        build.read_back("price_recurring_read", fact, per_year=fact.per_year)
    elif fact.role is Role.CONTRACT_YEARS:
        build.update(years=int(fact.amount))
        build.readback.append(fact.amount)
        if fact.months is not None:
            build.readback.append(fact.months)
        build.say("contract_years_read", fact=fact)


def _ask_for(build: _Builder) -> None:
    """Questions the interpreter raised, first one asked, others named."""
    for question in build.reading.questions:
        build.ask(question.problem.value, quote=question.quote, values=question.values)
        text = build.reading.text.strip()
        kept = build.draft.awaiting is not None and build.draft.awaiting.kind in ("fte", "hours")
        if (
            question.problem in (Problem.VAGUE, Problem.ARITHMETIC) and not kept
        ):  # asked again: keeps the period
            periods = [item.frequency for item in find_frequencies(text) if item.factor == 1]
            build.update(awaiting=Awaiting("restate", Decimal(0), periods[0] if periods else None, text))
        if question.problem in (Problem.FREQUENCY, Problem.DAYS) and question.values:  # waits for its period
            build.update(awaiting=Awaiting("period", question.values[0], None, text))
        if question.problem is Problem.FTE_COST and question.values:
            build.update(awaiting=Awaiting("fte", question.values[0], None, text))
        if question.problem is Problem.HOURLY_RATE and question.values:
            build.update(awaiting=Awaiting("hours", question.values[0], question.frequency, text))
        if question.problem in (Problem.PER_ITEM, Problem.PER_HOUR):
            build.update(awaiting=Awaiting("items", question.values[0], question.frequency, text))
        if question.problem is Problem.PER_ITEM_COUNT:
            count, amount = question.values
            build.update(awaiting=Awaiting("items", amount, question.frequency, text, count))


def _awaited(build: _Builder, facts: list[Fact]) -> list[Fact]:
    """A cost per FTE or an hourly rate answering an earlier question multiplies the awaited count."""
    awaiting = build.draft.awaiting
    if awaiting is None or awaiting.kind == "line":
        return facts
    if awaiting.kind == "items":
        build.update(awaiting=None)
        return _counted(build, awaiting, facts)
    if awaiting.kind == "period":
        build.update(awaiting=None)
        days = _DAYS.search(build.reading.text)
        if days is not None:  # "6 filialen, 7 dagen per week open": the days of an amount per day
            return [_per_day(build, awaiting, days)]
        period = corrected_frequency(build.reading.text)
        if facts or period is None:
            return facts
        role = _role_at(build.draft.at, period)
        build.context = awaiting.quote
        text = build.reading.text
        return [
            Fact(role, awaiting.value, period, text, 0, len(text), category=detect_category(awaiting.quote))
        ]
    build.update(awaiting=None)
    asked_rate = awaiting.kind in ("fte", "hours")
    if asked_rate and not facts:
        facts = _rate_answer(build)
    values = [f for f in facts if f.role is Role.VALUE and _per_unit(f)]
    if len(values) != 1:
        if not facts and asked_rate:  # "ergens tussen 35 en 45", "dat zei ik al, 4 mensen": still asked for
            build.update(awaiting=awaiting)
            if not build.reading.questions:
                problem = "fte_cost" if awaiting.kind == "fte" else "hourly_rate"
                build.ask(problem, quote=awaiting.quote, values=(awaiting.value,))
        return facts
    fact = values[0]
    if fact.terms:  # "een fte kost 62.000": the amount for one is what was asked
        fact = replace(fact, terms=())
        facts = [fact if f is values[0] else f for f in facts]
    build.context = awaiting.quote  # the line is described by what was said first, and this answer
    if awaiting.kind == "restate":
        if fact.frequency_stated or awaiting.frequency is None:
            return facts
        restated = replace(fact, frequency=awaiting.frequency, frequency_stated=True)
        return [restated if f is fact else f for f in facts]
    answer = fact
    if awaiting.kind == "fte" and not fact.frequency_stated:  # the question asked for the cost per year
        answer = replace(fact, frequency=fact.frequency or Frequency.YEAR, frequency_stated=True)
    multiplied = replace(answer, amount=answer.amount * awaiting.value, terms=(awaiting.value, answer.amount))
    if awaiting.kind == "hours":
        multiplied = replace(
            multiplied,
            category=Category.TIME_SAVED,
            hours=awaiting.value,
            hourly_rate=fact.amount,
            frequency=awaiting.frequency or Frequency.YEAR,
            frequency_stated=awaiting.frequency is not None,
        )
    return [multiplied if f is fact else f for f in facts]


_MONEY_WORD = _compile(r"€|\beur(?:o'?s?)?\b|\btarie[fv]\w*|\bloon\b|\bkost\w*")


_DAYS = _compile(
    r"\b([0-9]{1,3})\s*(?:werk|open|winkel)?dag(?:en)?\b(?:\s+(?:per|in\s+de|p/?)\s*(week|jaar|wk|jr)\b)?"
)


def _per_day(build: _Builder, awaiting: Awaiting, days: re.Match[str]) -> Fact:
    """The amount per day times the days given, per week or (more than 7 days) per year."""
    count = Decimal(days.group(1))
    period = Frequency.YEAR if (days.group(2) or "").startswith("j") or count > 7 else Frequency.WEEK
    text = build.reading.text
    build.context = awaiting.quote
    build.unused = [value for value in build.unused if value != count]
    return Fact(
        _role_at(build.draft.at, period),
        awaiting.value * count,
        period,
        text,
        0,
        len(text),
        category=detect_category(awaiting.quote),
        terms=(count, awaiting.value),
    )


def _rate_answer(build: _Builder) -> list[Fact]:
    """The rate asked for, where the message names it as a rate ("55 euro per uur", "tarief 48
    euro") or gives just one number that is otherwise not used."""
    text = build.reading.text
    questions = build.reading.questions
    if len(questions) == 1 and questions[0].problem in (Problem.PER_HOUR, Problem.PER_ITEM):
        # "55 euro per uur", "reken 52.000 per persoon per jaar": the rate per head or hour asked for
        question = questions[0]
        build.reading = replace(build.reading, questions=())
        stated = question.frequency is not None
        return [
            Fact(
                Role.VALUE,
                question.values[0],
                question.frequency,
                text,
                0,
                len(text),
                frequency_stated=stated,
            )
        ]
    if len(build.unused) == 1 and not questions and _MONEY_WORD.search(text):
        build.unused_quotes.pop()
        return [Fact(Role.VALUE, build.unused.pop(), None, text, 0, len(text), frequency_stated=False)]
    return []


def _hours_answer(build: _Builder) -> tuple[Decimal, Frequency | None] | None:
    """The hours that an amount per hour waited for ("40 uur per jaar"), taken out of the questions."""
    questions = build.reading.questions
    if len(questions) != 1 or questions[0].problem is not Problem.HOURLY_RATE or not questions[0].values:
        return None
    build.reading = replace(build.reading, questions=())
    return questions[0].values[0], questions[0].frequency


def _counted(build: _Builder, awaiting: Awaiting, facts: list[Fact]) -> list[Fact]:
    """The answer to "for how many?": a number ("24", "voor 24 stuks"), or "ja" to the number
    offered; the amount per item times that number, with the role of the open question."""
    text = build.reading.text
    hours = _hours_answer(build) if not facts else None
    if hours is not None:  # "40 uur per jaar" to "for how many hours?"
        count, frequency = hours
        build.context = awaiting.quote
        return [
            Fact(
                _role_at(build.draft.at, frequency),
                awaiting.value * count,
                frequency or Frequency.YEAR,
                text,
                0,
                len(text),
                category=Category.TIME_SAVED,
                terms=(count, awaiting.value),
                hours=count,
                hourly_rate=awaiting.value,
                frequency_stated=frequency is not None,
            )
        ]
    frequency = awaiting.frequency
    if len(facts) == 1 and not facts[0].frequency_stated and not facts[0].terms:
        count = facts[0].amount
    elif len(facts) == 1 and awaiting.frequency is None and not facts[0].terms:  # "2.000 uitleningen p/mnd"
        count, frequency = facts[0].amount, facts[0].frequency
    elif not facts and len(build.unused) == 1:  # "24 demotoestellen", "2.500 orders per maand": a count
        count = build.unused.pop()
        build.unused_quotes.pop()
        frequency = awaiting.frequency or corrected_frequency(text)
    elif not facts and awaiting.count is not None and _YES.match(text):
        count = awaiting.count
    else:
        return facts
    role = _role_at(build.draft.at, frequency)
    build.context = awaiting.quote
    return [
        Fact(
            role,
            awaiting.value * count,
            frequency or (Frequency.YEAR if role is not Role.PRICE_ONE_OFF else Frequency.ONE_OFF),
            text,
            0,
            len(text),
            category=detect_category(awaiting.quote) if role is Role.VALUE else None,
            terms=(count, awaiting.value),
            frequency_stated=frequency is not None,
        )
    ]


def _role_at(at: Step, frequency: Frequency | None) -> Role:
    """The role of an amount that answers the question at ``at``: a price part during the price
    questions (one-off or recurring by its period), else a value line."""
    if at not in (Step.PRICE_ONE_OFF, Step.PRICE_RECURRING):
        return Role.VALUE
    return Role.PRICE_ONE_OFF if frequency is Frequency.ONE_OFF else Role.PRICE_RECURRING


def _per_unit(fact: Fact) -> bool:
    """An amount for one (no product, or a product for one FTE, person or hour)."""
    return not fact.terms or (fact.operator == "x" and len(fact.terms) == 2 and fact.terms[0] == 1)


def _awaited_line(build: _Builder, text: str) -> bool:
    """The answer to "which line?": apply the amount that was waiting for it."""
    awaiting = build.draft.awaiting
    if awaiting is None or awaiting.kind != "line":
        return False
    index = find_line(text, build.draft.all_lines)
    if index is None or index == UNCLEAR:
        index = described_line(text, build.draft.all_lines)
    build.update(awaiting=None)
    own_figures = [f for f in build.reading.facts if not _names_line(text, f)]  # not "die van 900"
    if index is None or index == UNCLEAR or own_figures:
        # not answered, or a message with figures of its own: the waiting amount is not used, and said so
        # (a correction in this message clears that remark)
        build.unused.append(awaiting.value)
        build.unused_quotes.append(format_euro(awaiting.value))
        return False
    fact = Fact(
        Role.VALUE,
        awaiting.value,
        awaiting.frequency,
        text,
        0,
        len(text),
        frequency_stated=awaiting.frequency is not None,
    )
    _change_line(build, index, fact, None)
    return True


def _take_facts(build: _Builder, facts: list[Fact], *, value_allowed: bool) -> None:
    values = [f for f in facts if f.role is Role.VALUE]
    several = len(values) > 1
    for fact in facts:
        if fact.role is Role.VALUE:
            if not value_allowed:
                build.unused.append(fact.amount)
                build.unused_quotes.append(fact.quote)
                continue
            if not fact.frequency_stated and (not fact.terms or fact.hourly_rate is not None):
                # "12.000", "120 uur à 50 euro": per year? per month?
                build.ask("frequency", quote=fact.quote, values=(fact.amount,))
                build.update(awaiting=Awaiting("period", fact.amount, None, build.reading.text.strip()))
                continue
            line = _new_line(fact, _description(build.reading, fact, several, build.context))
            build.update(pending=(*build.draft.pending, line))
            build.read_back("line_read", fact, line=line, number=len(build.draft.all_lines))
        else:
            _apply_price(build, fact)


def _change_line(build: _Builder, index: int, fact: Fact | None, frequency: Frequency | None) -> None:
    """Give line ``index`` the amount of ``fact`` and/or a new frequency, and read it back."""
    draft = build.draft
    old = draft.all_lines[index]
    new = old
    if fact is not None:
        stated = fact.frequency if fact.frequency_stated else None
        new = replace(old, amount=fact.amount, frequency=stated or frequency or old.frequency)
    elif frequency is not None:
        new = replace(old, frequency=frequency)
    confirmed = len(draft.lines)
    if index < confirmed:
        build.update(lines=tuple(new if i == index else line for i, line in enumerate(draft.lines)))
    else:
        pending = index - confirmed
        build.update(pending=tuple(new if i == pending else line for i, line in enumerate(draft.pending)))
    build.readback.append(new.amount)
    if new.frequency not in (Frequency.ONE_OFF, Frequency.YEAR):
        build.readback.append(new.amount * new.frequency.per_year)
    build.say("line_changed", line=new, number=index + 1, fact=fact)


_PREVIOUS_ROLE = {
    Step.PRICE_RECURRING: Role.PRICE_ONE_OFF,
    Step.CONTRACT_YEARS: Role.PRICE_RECURRING,
    Step.NEXT_STEP: Role.CONTRACT_YEARS,
    Step.NEXT_STEP_MOMENT: Role.CONTRACT_YEARS,
    Step.DONE: Role.CONTRACT_YEARS,
}


def _correct_price(build: _Builder, text: str) -> bool:
    """A correction of an earlier price answer: read again as the answer to the previous question."""
    draft = build.draft
    role = _PREVIOUS_ROLE.get(draft.at, _ASKED_ROLE.get(draft.at, Role.PRICE_ONE_OFF))
    reading = interpret(text, role)
    facts = [f for f in reading.facts if not _negated(reading.text, f) and f.role is not Role.VALUE]
    frequency = corrected_frequency(text)
    if not facts and frequency not in (None, Frequency.ONE_OFF) and draft.recurring_basis is not None:
        amount = draft.recurring_basis[0]  # "nee, per kwartaal": the same amount, another period
        _apply_price(build, Fact(Role.PRICE_RECURRING, amount, frequency, text, 0, len(text)))
        return True
    questions = list(reading.questions)
    basis = draft.recurring_basis
    if role is Role.PRICE_RECURRING and not facts and basis is not None and len(questions) == 1:
        question = questions[0]  # "ah nee, 1.450": the amount of the last answer, with its period
        if question.problem is Problem.FREQUENCY and len(question.values) == 1:
            questions = []
            facts = [Fact(Role.PRICE_RECURRING, question.values[0], basis[1], question.quote, 0, len(text))]
    for question in questions:
        build.ask(question.problem.value, quote=question.quote, values=question.values)
    for fact in facts:
        _apply_price(build, fact)
        # "dat was 2.500, niet eenmalig maar per maand": the earlier part with that amount is undone
        if fact.role is Role.PRICE_RECURRING and _NOT_ONE_OFF.search(text) and draft.one_off == fact.amount:
            build.update(one_off=None)
        basis = draft.recurring_basis
        if (
            fact.role is Role.PRICE_ONE_OFF
            and _NOT_RECURRING.search(text)
            and basis
            and basis[0] == fact.amount
        ):
            build.update(per_year=None, recurring_basis=None)
    for zero in reading.zero_parts:
        _apply_price(build, _zero(zero))
    return bool(facts or reading.questions or reading.zero_parts)


def _correct(build: _Builder, text: str) -> bool:
    """Apply a correction; False when the message is not one."""
    draft, reading = build.draft, build.reading
    facts = [f for f in reading.facts if not _negated(reading.text, f)]
    lines = draft.all_lines
    if names_new_lines(text, lines) and not is_correction(text):
        return False  # "post 2: ..." after one line: a new line
    if draft.at is Step.LINE and _TYPO_APOLOGY.match(text) and any(f.role is Role.VALUE for f in facts):
        return False  # "sorry, tikfout, 5 x 600 = 3.000 per maand": the message that was not taken, again
    segments = line_segments(text, lines)
    if segments:
        for index, part in segments:
            if index == UNCLEAR:
                build.ask("which_line")
                return True
            part_facts = [f for f in interpret(part, Role.VALUE).facts if not _negated(part, f)]
            _change_line(build, index, part_facts[0] if part_facts else None, corrected_frequency(part))
        _forget_old_amounts(build, text)
        return True
    if _described_pairs(build, text, facts):
        return True
    # "licenties zijn per kwartaal": only a period; not when the message's amount is asked about
    period_only = (
        not facts and not reading.questions and corrected_frequency(text) not in (None, Frequency.ONE_OFF)
    )
    implicit = (
        period_only
        or draft.at in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES)
        or bool(_THAT_LINE.search(text))  # "oh die brandstof was 16.000 per jaar", at any question
        or any(f.role is Role.VALUE for f in facts)  # "op de koeriers besparen ze 1.100 ipv 900"
        # "en de wachttijd 30k per jaar": only a line's words and an amount; not at a price question
        # the salesperson went back to ("terug naar de prijs", then "opslag wordt 250 per maand")
        or (len(text.split()) <= _SHORT and draft.reopened[:1] != (draft.at,))
    )
    index = find_line(text, lines, implicit=implicit)  # "licenties zijn per kwartaal": that line's period
    valued = [f for f in facts if f.role is Role.VALUE]
    replaces = is_correction(text) or bool(_REPLACES.search(text))
    if index is None and facts:  # "die besparing is 1.2M per jaar, niet 900k": the line of the old amount
        index = _line_of_old_amount(text, lines)
    if index is None and facts and _SWAPPED.search(text):  # "nee 4.200, cijfers omgedraaid": 2.400
        index = _line_with_digits_of(facts[0].amount, lines)
    if (
        index is None
        and valued
        and replaces
        and draft.at not in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES)
    ):
        # "op de koeriers besparen ze 1.100 per maand ipv 900", at a price question: that line
        index = described_line(clause_around(text, valued[0].start, valued[0].end), lines)
    if index is None and facts and not valued and replaces and not _PRICE_WORDS.search(text):
        named = find_line(text, lines)  # "de opslag is toch 1.700 per kwartaal", at a price question
        index = (
            named
            if named != UNCLEAR and draft.at not in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES)
            else None
        )
    if index is None and not is_correction(text):
        return False
    if index is None and len(draft.pending) > 1 and draft.at is Step.CERTAINTY:
        index = UNCLEAR  # "nee, dat was 15.000" after a message with two lines: which one?
    if index is None and len(lines) > 1 and _UNNAMED_LINE.search(text):
        index = UNCLEAR  # "de regel moet 7.000 zijn" with two lines: which one?
    if index == UNCLEAR:
        _ask_which_line(build, next((f for f in facts if not _names_line(text, f)), None))
        return True
    frequency = corrected_frequency(text)  # "de 2e was per jaar ipv per maand, en 14.000"
    if index is not None:  # a line named: its amount is a value, whatever question is open
        valued = [
            f for f in interpret(text, Role.VALUE).facts if not _negated(text, f) and f.role is Role.VALUE
        ]
        first = valued[:1]
        others = [f for f in facts if f.role is not Role.VALUE and not any(_overlap(f, v) for v in first)]
        named_at = pointer_start(text, lines)
        if (
            not valued and named_at
        ):  # "los van de prijs: de tweede waarde is 650 per maand": from the naming on
            part = text[named_at:]
            first = [
                f for f in interpret(part, Role.VALUE).facts if not _negated(part, f) and f.role is Role.VALUE
            ][:1]
            others = [f for f in facts if f.role is not Role.VALUE and f.end <= named_at]
        facts = first + others
    values = [f for f in facts if f.role is Role.VALUE]
    if facts and not values:
        frequency = None  # "onze prijs is trouwens 5.000 eenmalig": the period is the price's
    if index is None and draft.at not in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES):
        if _correct_price(build, text):
            _forget_old_amounts(build, text)
            return True
        return False
    if index is None:
        if not lines:
            return False
        if len(lines) > 1 and names_words(text):  # words that name no line: which one is meant?
            _ask_which_line(build, next(iter(values), None))
            return True
        index = len(lines) - 1
    if not values and frequency is None:
        return False
    _change_line(build, index, values[0] if values else None, frequency)
    for other in facts:
        if other.role is not Role.VALUE:  # "... en we gaan naar 2 jaar"
            _apply_price(build, other)
    _forget_old_amounts(build, text)
    return True


_SHORT = 6  # words
_TYPO_APOLOGY = _compile(
    r"^\W*(?:sorry|sry|excuus|excuses|pardon|oeps|oops)\W+(?:\w+\W+){0,2}?"
    r"(?:(?:typ|tik)fout|toetsenbord|verkeerde?\s+(?:toets|knop)|verkeerd\s+getypt|mis\s*getypt|per\s+ongeluk)"
)
_NOT_ONE_OFF = _compile(r"\b(?:niet|geen)\s+eenmalig")
_NOT_RECURRING = _compile(
    r"\b(?:niet|geen)\s+(?:per\s+(?:maand|jaar|week|kwartaal)|maandelijks|jaarlijks|terugkerend)"
)
_OLD_AMOUNT = _compile(
    r"(?:,\s*niet|\bipv\.?|\bi\.p\.v\.?|\bin\s+plaats\s+van|\bgeen)\s*(?:€\s*)?([0-9][0-9.,]*\s*(?:k|M|mln|mio)?)\b"
)


def _forget_old_amounts(build: _Builder, text: str) -> None:
    """After a correction, the amounts it replaces ("nee, 15.000, niet 12.000") are not named as
    unused; anything else left over still is ("...; hun budget is 12.000")."""
    draft = build.draft
    old = {parse_amount(match.group(1)) for match in _OLD_AMOUNT.finditer(text)}
    old |= {line.amount for line in draft.all_lines} | {draft.one_off, draft.per_year}
    if draft.recurring_basis is not None:
        old.add(draft.recurring_basis[0])
    kept = [
        (value, quote)
        for value, quote in zip(build.unused, build.unused_quotes, strict=False)
        if value not in old
    ]
    build.unused = [value for value, _ in kept]
    build.unused_quotes = [quote for _, quote in kept]


def _line_of_old_amount(text: str, lines: tuple[ValueLine, ...]) -> int | None:
    """The one line whose amount a message calls the old one; None when none or several match."""
    for match in _OLD_AMOUNT.finditer(text):
        amount = parse_amount(match.group(1))
        hits = [i for i, line in enumerate(lines) if amount is not None and line.amount == amount]
        if len(hits) == 1:
            return hits[0]
    return None


_REPLACES = _compile(
    r"\bipv\b|\bi\.p\.v\.|\bin\s+plaats\s+van\b|\btoch\b|\beigenlijk\b|\bniet\s+\S+\s+maar\b"
)
_THAT_LINE = _compile(
    r"(?:^|[:;.]\s*)\W*(?:(?:oh|o|ah|nee|wacht|sorry|en)\W+)*die\s+(?:[^\W\d_]+\s+){0,4}?"
    r"(?:was|is|moet|wordt|zijn|waren|kost|kosten)\b|^\W*die\s+[^\W\d_]{4,}(?:\s+[^\W\d_]{4,})?\s*:"
)
_UNNAMED_LINE = _compile(
    r"\b(?:de|die|een)\s+(?:ene\s+)?(?:regel|lijn|post|waarderegel)\b(?!\s+(?:van|over|met|voor|bij)\b)"
    r"|\b(?:een|één)\s+van\s+(?:de|die|deze)\s+(?:regels|lijnen|posten|bedragen|waarden)\b"
)
_NAMING_AMOUNT = _compile(r"\b(?:die|regel|de\s+waarde|het\s+bedrag)\s+van\s*(?:€\s*)?$")


_LABEL_BEFORE = re.compile(r"^\W*[^\W\d_]{3,}\s*$")  # "vullijn 2", "hal 3": the number is part of a name


_SWAPPED = _compile(
    r"\b(?:cijfers|getallen)\s+(?:omgedraaid|verwisseld|andersom)|\bomgedraaid\b|\bverwisseld\b"
)


def _line_with_digits_of(amount: Decimal, lines: tuple[ValueLine, ...]) -> int | None:
    """The one line whose amount has the same digits in another order."""
    digits = sorted(str(amount.normalize()))
    same = [
        i
        for i, line in enumerate(lines)
        if line.amount != amount and sorted(str(line.amount.normalize())) == digits
    ]
    return same[0] if len(same) == 1 else None


def _names_line(text: str, fact: Fact) -> bool:
    """The amount names the line ("die van 5.000 moet 6.000 zijn", "vullijn 2"), it is not the new
    amount."""
    label = fact.amount < 100 and not fact.frequency_stated and _LABEL_BEFORE.search(text[: fact.start])
    return bool(_NAMING_AMOUNT.search(text[: fact.start]) or label)


def _ask_which_line(build: _Builder, amount: Fact | None) -> None:
    """Ask which line is meant; the new amount waits for the answer."""
    if amount is not None:
        frequency = amount.frequency if amount.frequency_stated else None
        build.update(awaiting=Awaiting("line", amount.amount, frequency))
    build.ask("which_line")


def _described_pairs(build: _Builder, text: str, facts: list[Fact]) -> bool:
    """ "de huur is 15.000 per jaar en het verzuim 4.000 per maand": each clause names its own line."""
    values = [f for f in facts if f.role is Role.VALUE]
    if len(values) < 2 or not is_correction(text):
        return False
    lines = build.draft.all_lines
    targets = [described_line(clause_around(text, f.start, f.end), lines) for f in values]
    if None in targets or len(set(targets)) != len(targets):
        return False
    for fact, index in zip(values, targets, strict=True):
        assert index is not None
        _change_line(build, index, fact, None)
    _forget_old_amounts(build, text)
    return True


def _overlap(one: Fact, other: Fact) -> bool:
    return one.start < other.end and other.start < one.end


def _negated(text: str, fact: Fact) -> bool:
    before = text[max(0, fact.start - 8) : fact.start].lower()
    return bool(re.search(r"\b(?:geen|niet)\s*(?:€\s*)?$", before)) and bool(
        re.match(
            r"\s*(?:euro|eur|k)?\s*(?:(?:per|p/?)\s*\w+\s*)?(?:,?\s*maar\b|,\s*(?:[^\W\d_]+\s+){0,3}(?=(?:€\s*)?[0-9]))",
            text[fact.end :],
            re.IGNORECASE,
        )
    )


def _verdict_again(build: _Builder, before: Draft, *, always: bool = False) -> None:
    ratio = build.draft.ratio
    if ratio is not None and (
        always
        or before.one_off != build.draft.one_off
        or before.per_year != build.draft.per_year
        or before.years != build.draft.years
        or before.lines != build.draft.lines
    ):
        build.say("verdict_again", ratio=ratio)
        build.update(at=Step.NEXT_STEP, next_step=None, moment=None, price_warned=False)


def _navigate(build: _Builder, text: str) -> bool:
    draft = build.draft
    text = _BACK_AT_END.sub(" terug", without_asides(text)).strip()  # asides say why, not where
    reopening = draft.at in _AFTER_VERDICT or draft.reopened[:1] == (draft.at,)
    if _BACK.match(text) and reopening and _previous(draft) in _REOPENED_ROLE:
        previous = _previous(draft)  # the verdict stays until the figure is changed
        kept = draft.reopened if draft.at not in _AFTER_VERDICT else ()
        build.update(at=previous, reopened=(previous, *kept))
        build.say("went_back", **_price_values(draft))
        return True
    if _BACK.match(text):
        previous = _previous(draft)
        cleared = {
            Step.PRICE_ONE_OFF: {"one_off": None},
            Step.PRICE_RECURRING: {"per_year": None},
            Step.CONTRACT_YEARS: {"years": None},
            Step.NEXT_STEP: {"next_step": None, "moment": None},
            Step.NEXT_STEP_MOMENT: {"moment": None},
        }.get(previous, {})
        build.update(at=previous, **cleared)
        build.say("went_back")
        return True
    if not build.reading.facts and _TO_PRICE.search(text) and draft.at in _AFTER_VERDICT:
        # after the verdict the parts are asked again one by one, each kept until it is changed
        only_one_off = _ONE_OFF_WORD.search(text) and not _WHOLE_PRICE.search(text)
        steps = (Step.PRICE_ONE_OFF,) if only_one_off else _PRICE_STEPS
        build.update(at=steps[0], reopened=steps, next_step=None, moment=None)
        build.say("went_to_price", **_price_values(draft))
        return True
    if not build.reading.facts and _TO_PRICE.search(text):
        if _ONE_OFF_WORD.search(text):  # "terug naar het eenmalige bedrag": only that part again
            build.update(at=Step.PRICE_ONE_OFF, one_off=None, next_step=None, moment=None)
        else:  # the three parts are asked again; the reply shows what they were
            build.update(
                at=Step.PRICE_ONE_OFF, one_off=None, per_year=None, years=None, next_step=None, moment=None
            )
        build.say("went_to_price", one_off=draft.one_off, per_year=draft.per_year, years=draft.years)
        return True
    choosing = draft.at in (Step.NEXT_STEP, Step.NEXT_STEP_MOMENT) and read_next_step(text).step is not None
    if not build.reading.facts and _TO_VALUE.search(text) and not choosing:  # "meer waarde zoeken" is a step
        adding = bool(_ADD.search(text)) or not draft.lines
        build.update(at=Step.LINE if adding else Step.MORE_VALUES, next_step=None, moment=None)
        build.say("went_to_value")
        return True
    if not build.reading.facts and _TO_REHEARSAL.search(text) and draft.at is not Step.NEXT_STEP_MOMENT:
        build.update(mode="roleplay", at=Step.SALESPERSON_NAME)
        build.say("went_to_rehearsal")
        return True
    return False


_PRICE_STEPS = (Step.PRICE_ONE_OFF, Step.PRICE_RECURRING, Step.CONTRACT_YEARS)
_REOPENED_ROLE = {
    Step.PRICE_ONE_OFF: Role.PRICE_ONE_OFF,
    Step.PRICE_RECURRING: Role.PRICE_RECURRING,
    Step.CONTRACT_YEARS: Role.CONTRACT_YEARS,
}
# At a reopened question: the answer stands as it was
_KEEP = _compile(
    r"^\W*(?:(?:\w+\s+){0,3}(?:blijft|blijven)\s+(?:gewoon\s+|ook\s+|dan\s+)?(?:staan|hetzelfde|zo|gelijk|ongewijzigd)"
    r"|(?:\w+\W+){0,3}daar\s+verandert\s+(?:niets|niks)(?:\s+aan)?"
    r"|(?:het\s+)?zelfde\s+als\s+(?:net|eerst|daarnet|voorheen)|onveranderd|idem"
    r"|(?:\w+\s+){0,3}(?:laten\s+we|laat\s+ik|houden\s+we)\s+(?:\w+\s+)?(?:zoals\s+(?:hij|het|die|ze)\s+(?:was|is)|staan|zo)"
    r"|klopt|blijft|(?:het\s+)?zelfde|hetzelfde|ongewijzigd|zo\s+laten|laat\s+(?:maar\s+)?staan|houden"
    r"|is\s+goed|ok[eé]?|prima|goed|ja|jep|yes|dat\s+blijft)\b(?:\s+\w+){0,3}\W*$"
)


def _price_values(draft: Draft) -> dict[str, object]:
    return {"one_off": draft.one_off, "per_year": draft.per_year, "years": draft.years}


_ORDER = (
    Step.MORE_VALUES,
    Step.PRICE_ONE_OFF,
    Step.PRICE_RECURRING,
    Step.CONTRACT_YEARS,
    Step.NEXT_STEP,
    Step.NEXT_STEP_MOMENT,
    Step.DONE,
)


def _previous(draft: Draft) -> Step:
    """The question before the open one ("terug"); within the value lines, the line question."""
    if draft.at in (Step.LINE, Step.CERTAINTY, Step.MORE_VALUES, Step.ENGAGEMENT):
        return Step.LINE
    return _ORDER[max(0, _ORDER.index(draft.at) - 1)]


def _next_step_turn(build: _Builder, text: str) -> None:
    """The next step and its moment; a step named at the moment question changes the step."""
    draft = build.draft
    answer = read_next_step(text)
    concrete = is_concrete_moment(text)
    if answer.step is None or (draft.at is Step.NEXT_STEP_MOMENT and not answer.changes_mind and concrete):
        if draft.at is Step.NEXT_STEP_MOMENT and concrete:
            build.update(moment=text.strip())
            build.say("moment_taken", moment=text.strip())
        else:
            build.ask("moment" if draft.at is Step.NEXT_STEP_MOMENT else "next_step")
        return
    check = check_next_step(answer.step, draft.ratio, draft.price_warned)
    if not check.accepted:
        build.update(price_warned=True)
        build.ask("confirm_price", ratio=draft.ratio)
        return
    build.update(next_step=answer.step, at=Step.NEXT_STEP_MOMENT, moment=None)
    build.say("next_step_taken", next_step=answer.step, against_advice=check.against_advice)
    if concrete:
        build.update(moment=text.strip())
        build.say("moment_taken", moment=text.strip())


def step(draft: Draft, text: str) -> Turn:
    """Read one message at the open question of ``draft`` (see the module docstring)."""
    done = _DONE.search(text or "") if draft.at in (Step.CERTAINTY, Step.MORE_VALUES, Step.LINE) else None
    no = _NO_THEN_PRICE.match(text or "") if draft.at is Step.MORE_VALUES else None
    if done is None and no is not None and (_PRICE_WORDS.search(text) or _ONE_OFF_WORD.search(text)):
        # "nee, we rekenen 2.500 per maand", "nee. eenmalig 7500"
        done = no
    if (
        done is not None
        and re.search(r"[0-9]", text[done.end() :])
        and not re.search(r"[0-9]", text[: done.start()])
    ):
        first = _step(draft, text[: done.end()])
        if first.draft.pending or not first.draft.lines:
            return first
        second = _step(replace(first.draft, at=Step.PRICE_ONE_OFF), text[done.end() :])
        return Turn(
            second.draft,
            first.said + second.said,
            first.asks or second.asks,
            first.readback + second.readback,
            first.unused + second.unused,
        )
    turn = _step(draft, text)
    if done is not None and turn.draft.lines and not turn.draft.pending and turn.draft.at is Step.MORE_VALUES:
        return replace(
            turn, draft=replace(turn.draft, at=_next_open(replace(turn.draft, at=Step.PRICE_ONE_OFF)))
        )
    return turn


_DONE = _compile(
    r"\b(?:dat\s+was\s+het|dat\s+is\s+(?:het|alles)|da'?s\s+(?:het|alles)|dat\s+was\s+'?t(?:\s+wel)?"
    r"|(?:dat|dit)\s+alles\s+is\b"
    r"|verder\s+(?:niks|niets|geen)|niets\s+meer|niks\s+meer"
    r"|dat\s+was\s+alles|meer\s+is\s+er\s+niet|klaar\s+met\s+(?:de\s+)?waarde|ik\s+ben\s+klaar|(?:^|(?<=[.;:!?,]\s))klaar(?=\s*(?:[.;:!?,]|$)))\b"
)
_ONE_OFF_WORD = _compile(r"\beenmalig\w*|\bopstart\w*")
_NO_THEN_PRICE = _compile(r"^\W*(?:nee|neuh|nope)\b[\s,.!]*")
# A clause beside a value line states a certainty only with such a word ("30% van het eten" does not).
_CERTAINTY_WORDS = _compile(r"zeker|twijfel|gok\b|waarschijnlijk|schat\w*|\bkans\b|fifty|50/50")
_CLAUSES = re.compile(r"[,;.!?]|\s(?:en|maar|want)\s")


_TAKEN_BACK = _compile(r"\W*(?:nee|neen|wacht|sorry)\b")


def _certainty_in(reading: Interpretation) -> Decimal | None:
    """A certainty stated in a clause of its own next to a value line ("daar is de klant zeker van")."""
    text, position = reading.text, 0
    for piece in [*_CLAUSES.split(text)]:
        start = text.find(piece, position)
        end = start + len(piece)
        position = end
        if any(f.start < end and start < f.end for f in reading.facts) or not _CERTAINTY_WORDS.search(piece):
            continue
        if _TAKEN_BACK.match(text, end):  # "Ik gok... nee, de productieleider zei 45 euro per uur"
            continue
        certainty = parse_certainty(piece)
        if certainty is not None:
            return certainty.weight
    return None


def _certainty_per_line(text: str, pending: tuple[ValueLine, ...]) -> list[Decimal] | None:
    """ "eerste 90 procent, de tweede 60": a certainty for each waiting line, or None."""
    segments = line_segments(text, pending) or described_segments(text, pending)
    if len(segments) != len(pending) or _MONEY_MARK.search(text):
        return None
    weights: dict[int, Decimal] = {}
    for index, part in segments:
        certainty = parse_certainty(part)
        numbers = re.findall(r"(?<![\d.,])(\d{1,3})(?!\d|[.,]\d)", part)
        weight = certainty.weight if certainty else None
        if weight is None and len(numbers) == 1 and int(numbers[0]) <= 100:  # "de tweede 60"
            weight = Decimal(numbers[0]) / 100
        if index == UNCLEAR or weight is None or index in weights:
            return None
        weights[index] = weight
    return [weights[i] for i in range(len(pending))] if len(weights) == len(pending) else None


def _confirm_each(build: _Builder, weights: list[Decimal]) -> None:
    weighted = tuple(replace(line, certainty=w) for line, w in zip(build.draft.pending, weights, strict=True))
    build.update(lines=build.draft.lines + weighted, pending=(), at=Step.MORE_VALUES)
    for line in weighted:
        build.say("lines_confirmed", lines=(line,), certainty=line.certainty)


def _confirm(build: _Builder, weight: Decimal) -> None:
    weighted = tuple(replace(line, certainty=weight) for line in build.draft.pending)
    build.update(lines=build.draft.lines + weighted, pending=(), at=Step.MORE_VALUES)
    build.say("lines_confirmed", lines=weighted, certainty=weight)


_GOES_ON = _compile(r"^\W*(?:en|plus|daarbij|daarnaast|verder|ook)\b")
_PRICE_ROLES = (Role.PRICE_ONE_OFF, Role.PRICE_RECURRING)


def _read(draft: Draft, text: str) -> Interpretation:
    """The message read as the answer to the open question.

    A price begun at the value questions may go on in the next message ("wij rekenen 1.200 per
    maand", then "plus eenmalig 3.500 voor het inregelen"): an amount that follows on with "en",
    "plus" ... and has no value words then fills a price part that is still empty."""
    reading = interpret(
        text, _ASKED_ROLE.get(draft.at, Role.VALUE if draft.at not in _AFTER_VERDICT else None)
    )
    begun = draft.one_off is not None or draft.per_year is not None
    if draft.at not in (Step.LINE, Step.MORE_VALUES) or not begun or not _GOES_ON.match(text):
        return reading
    going_on = interpret(text, None)
    empty = {Role.PRICE_ONE_OFF: draft.one_off is None, Role.PRICE_RECURRING: draft.per_year is None}
    if going_on.facts and all(f.role in _PRICE_ROLES and empty[f.role] for f in going_on.facts):
        return going_on
    return reading


def _step(draft: Draft, text: str) -> Turn:
    reading = _read(draft, text)
    choosing = draft.at is Step.NEXT_STEP and read_next_step(text).step is not None
    moment = draft.at is Step.NEXT_STEP_MOMENT and (is_concrete_moment(text) or read_next_step(text).step)
    lengths = any(f.role is Role.CONTRACT_YEARS for f in reading.facts)  # "het wordt 4 jaar, de optie ..."
    step_answer = (choosing or moment) and not _names_money(text) and not lengths
    if step_answer:
        reading = Interpretation(text=reading.text)  # "wo 15u", "twee of drie smaken": no amounts
    build = _Builder(draft, reading)
    if draft.reopened[:1] == (draft.at,) and not reading.facts and _KEEP.match(reading.text):
        return build.finish()  # "klopt": the reopened answer stays
    answered = _awaited_line(build, reading.text)
    if step_answer and reading.text:
        if not _navigate(build, reading.text):
            _next_step_turn(build, reading.text)  # "nee, toch maar drie opties" is no correction of a figure
        return build.finish()
    if draft.at in (Step.SALESPERSON_NAME, Step.PERSONA_CHOICE):
        return _setup_turn(build, text)
    each = _certainty_per_line(reading.text, draft.pending) if draft.at is Step.CERTAINTY else None
    if each is not None and len(draft.pending) > 1:
        _confirm_each(build, each)
        return build.finish()
    if not reading.text:
        build.ask("not_understood")
        return build.finish()
    if _navigate(build, reading.text):
        return build.finish()
    if (
        draft.at is Step.MORE_VALUES
        and not reading.facts
        and (_NO.match(reading.text) or _NO_WORD.match(reading.text))
    ):
        build.update(at=Step.PRICE_ONE_OFF)  # "nee, verder heeft ze niks genoemd" corrects nothing
        return build.finish()
    if not reading.facts and draft.at in _ASKS_AGAIN and _QUESTION_BACK.search(reading.text):
        build.ask(_ASKS_AGAIN[draft.at])  # "wat bedoel je met zeker?" is no certainty
        return build.finish()
    restating = draft.awaiting is not None and draft.awaiting.kind == "restate"  # "sorry, 3 x 4k = 12k"
    if answered or (not restating and _correct(build, reading.text)):
        weight = _certainty_in(reading) if draft.at is Step.CERTAINTY and build.draft.pending else None
        if weight is not None:  # "nee 3.100 per maand, en ze is er 90% zeker van"
            _confirm(build, weight)
        if draft.at in _AFTER_VERDICT:
            _verdict_again(build, draft)
        return build.finish()
    facts = _awaited(build, list(reading.facts))
    _ask_for(build)
    at = draft.at
    if at in _AFTER_VERDICT:
        if reading.zero_parts and not facts:  # "laat het eenmalige deel maar vallen"
            for role in reading.zero_parts:
                _apply_price(build, _zero(role))
            _verdict_again(build, draft)
            return build.finish()
        if facts:
            _take_facts(build, facts, value_allowed=True)
            if build.draft.pending:
                build.update(at=Step.CERTAINTY, next_step=None, moment=None)
                return build.finish()
            _verdict_again(build, draft)
            return build.finish()
        if build.asks is None and at is not Step.DONE:
            _next_step_turn(build, reading.text)
        return build.finish()
    if not facts and build.asks is None and _SAME.match(reading.text) and draft.lines:
        if at is Step.CERTAINTY and draft.pending and _AS_BEFORE.search(reading.text):
            # "zelfde als vorige": the last line's certainty (a bare "idem" is asked again)
            _confirm(build, draft.lines[-1].certainty)
            return build.finish()
        if at in (Step.LINE, Step.MORE_VALUES):  # "idem voor de vestiging in Deventer": the last line again
            copy = replace(
                draft.lines[-1], description=reading.text.strip()[:MAX_FREE_TEXT], certainty=Decimal(1)
            )
            build.update(pending=(copy,))
            build.readback.append(copy.amount)
            build.say("line_read", line=copy, number=len(draft.lines) + 1, fact=None)
            return build.finish()
    if at is Step.ENGAGEMENT and draft.pending and build.asks is None:
        # the client's reaction is asked again after a line given in its place: "klopt, 85 procent"
        certainty = parse_certainty(reading.text) if _PERCENTAGE.search(reading.text) else None
        if certainty is not None and not [f for f in facts if f.amount >= _SMALL_AMOUNT]:
            _confirm(build, certainty.weight)
            build.unused, build.unused_quotes = [], []
            return build.finish()
    if at is Step.CERTAINTY:
        if _only_number(reading.text):
            facts = []
        certainty = parse_certainty(reading.text)
        if certainty is not None:  # "90% voor alle drie", "50/50": these numbers are the certainty
            facts = [f for f in facts if f.frequency_stated or f.amount >= _SMALL_AMOUNT]
            build.unused = [value for value in build.unused if value >= _SMALL_AMOUNT]
            build.unused_quotes = build.unused_quotes[: len(build.unused)] if build.unused else []
        if certainty is not None and draft.pending:
            _confirm(build, certainty.weight)
        elif not facts and build.asks is None:
            build.ask("certainty")
        _take_facts(build, facts, value_allowed=True)
        return build.finish()
    if at is Step.MORE_VALUES and not facts and build.asks is None:
        if _NO.match(reading.text) or _NO_WORD.match(reading.text):
            build.update(at=Step.PRICE_ONE_OFF)
            return build.finish()
        if _YES.match(reading.text) or _ONE_MORE.match(reading.text):
            build.update(at=Step.LINE)
            return build.finish()
    value_allowed = (
        at in (Step.LINE, Step.MORE_VALUES, Step.ENGAGEMENT) or _NEW_VALUE.search(reading.text) is not None
    )
    _take_facts(build, facts, value_allowed=value_allowed)
    weight = _certainty_in(reading) if build.draft.pending and facts else None
    if weight is not None:
        _confirm(build, weight)
    for role in reading.zero_parts:
        if (build.draft.one_off if role is Role.PRICE_ONE_OFF else build.draft.per_year) is None:
            _apply_price(build, _zero(role))
    if not facts and build.asks is None and not reading.zero_parts:
        if at is Step.ENGAGEMENT:  # a description of the engagement: the value lines come next
            build.update(at=Step.LINE)
        elif at in (Step.PRICE_ONE_OFF, Step.PRICE_RECURRING) and _NOTHING.search(reading.text):
            role = Role.PRICE_ONE_OFF if at is Step.PRICE_ONE_OFF else Role.PRICE_RECURRING
            _apply_price(build, _zero(role))
        else:
            build.ask(_NOT_READ.get(at, "not_understood"))
    return build.finish()


_SMALL_AMOUNT = Decimal(100)
# A question back about the question ("hoe bedoel je, zeker waarvan?"): the question is asked again
_QUESTION_BACK = _compile(
    r"\b(?:wat|hoe)\s+bedoel\s+je\b|\bwat\s+(?:betekent|is)\s+(?:dat|dit|het|een)?\b.*\?|^\W*(?:huh|pardon)\W*$"
    r"|\b(?:waarvan|waarom\s+vraag\s+je)\b.*\?"
)
_ASKS_AGAIN = {
    Step.CERTAINTY: "certainty",
    Step.MORE_VALUES: "not_understood",
    Step.PRICE_ONE_OFF: "not_understood",
    Step.PRICE_RECURRING: "not_understood",
    Step.CONTRACT_YEARS: "contract_length_missing",
}
# At the client's reaction a certainty counts only as a figure ("de klant twijfelt" is a reaction)
_PERCENTAGE = _compile(r"[0-9]\s*(?:%|procent|pct)|\bfifty|\b50/50\b|^\W*(?:[1-9]?[0-9]|100)\W*$")
_MONEY_MARK = _compile(
    r"€|\beuro\b|\beur\b|[0-9]\s*k\b|\bper\s+(?:maand|jaar|week|kwartaal)\b|\bprijs|\bbespa"
)
# "vergeten te melden: ze besparen nog 650 per maand", at a price question: said to be a new value
# line, so it is taken (a value amount without such words there is named as not used)
_NEW_VALUE = _compile(
    r"\bnog\s+(?:een|1|één)\s+(?:waarde\w*|post|regel|besparing)|\bvergeten\s+te\s+(?:melden|zeggen|noemen)|\bvergat\s+ik\b"
    r"|\bschiet\s+me\s+(?:nog\s+)?(?:\w+\s+){0,2}te\s+binnen|\bwaardepost|\bextra\s+waardepost"
    r"|\b(?:bovendien|daarnaast|ook\s+nog|o\s+ja|oja|verder\s+nog)\b.*\b(?:bespa\w*|scheelt|levert|verdien\w*|winnen)\b"
)
_SAME = _compile(r"^\W*(?:idem|hetzelfde|zelfde|net\s+zo(?:veel)?|ook\s+zoveel)\b")
_AS_BEFORE = _compile(
    r"\b(?:als|zoals)\s+(?:de\s+|bij\s+de\s+)?(?:vorige|net|daarnet|eerst|hiervoor|eerste|andere)\b"
)
_NOTHING = _compile(
    r"^\W*(?!geen\s+(?:\w+\s+)?(?:idee|benul|zicht|flauw))(?:geen|niets|niks|nee|nvt|n\.v\.t\.|nul|geen\s+eenmalig\s+deel"
    r"|er\s+is\s+geen\w*)\b"
)
_NOT_READ = {Step.CONTRACT_YEARS: "contract_length_missing"}


def _names_money(text: str) -> bool:
    """A money word with an amount ("1.800 per maand"); not "drie opties met minder bezoeken per jaar"."""
    return bool(_MONEY_MARK.search(text)) and any(
        m.is_money or m.value >= _SMALL_AMOUNT for m in find_amounts(text)
    )


def _only_number(text: str) -> bool:
    return bool(re.fullmatch(r"\s*[0-9]+(?:[.,][0-9]+)?\s*%?\s*", text))


def _setup_turn(build: _Builder, text: str) -> Turn:
    """The rehearsal set-up: leave it for a real conversation, or take a first name."""
    build.unused, build.unused_quotes = [], []
    if wants_real_conversation(text):
        build.update(mode="value", at=Step.ENGAGEMENT)
        build.say("left_rehearsal_setup")
        if not (build.reading.facts or build.reading.questions):
            return build.finish()
        # "stop met oefenen. echte klant: ze besparen 40k per jaar": the figures count too
        rest = _step(build.draft, text)
        return replace(rest, said=(*build.said, *rest.said))
    build.update(mode="roleplay")
    if build.draft.at is Step.SALESPERSON_NAME:
        if read_first_name(text) is None:
            build.ask("name")
        else:
            build.update(at=Step.PERSONA_CHOICE)
    return build.finish()
