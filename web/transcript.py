"""A stored conversation as a readable transcript: pure functions over Rasa's event dicts.

Rasa's SQL tracker store keeps every event of a conversation (one ``sender_id``) as a
JSON dict. :func:`build_conversation` replays those events in order into a
:class:`Conversation`: the messages (salesperson and bot, with the choices the bot
offered), the coaching flags placed right where they happened, the final verdict and the
scorecard of every rehearsal ("oefenen met een klant").

Slots are replayed the way Rasa applies them: a ``slot`` event sets one slot, a
``restart`` clears every slot and a ``session_started`` starts a new session whose
carried-over slots follow as ordinary ``slot`` events. A coaching flag "happens" where
the ``coaching_flags`` slot event that first holds it sits; slots carried over into a
new session are not new flags.

A rehearsal's scorecard is a ``scorecard`` slot event whose value is
``bot.scorecard.Scorecard.to_dict()`` plus ``salesperson`` and ``persona_name``. Every such
event with a new value is one more scorecard, in order; a value equal to the slot's current
one (set again, or carried over into a new session) is not. The latest is the
conversation's score. Nothing here reads a database or produces text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from rasa_addons.event_codec import Expander

__all__ = [
    "Button",
    "ChartNumbers",
    "Conversation",
    "CriterionScore",
    "Flag",
    "Message",
    "PenaltyScore",
    "RehearsalScorecard",
    "ScoreFlag",
    "Speaker",
    "Verdict",
    "build_conversation",
    "parse_event_data",
]

Speaker = Literal["salesperson", "bot"]

ASSESSMENT_SLOT = "assessment"
FLAGS_SLOT = "coaching_flags"
SCORECARD_SLOT = "scorecard"
# Who and what the conversation is about: the salesperson's name (asked in a rehearsal); the
# first slot each part of the bot fills, with the scenario it starts (the engagement of a value
# conversation and the persona of a rehearsal also name the client).
SALESPERSON_SLOT = "salesperson_name"
SCENARIO_SLOTS = {
    "engagement": "value",
    "persona": "rehearsal",
    "promise_text": "promise",
    "expectation_level": "expectation",
}
CLIENT_SLOTS = ("engagement", "persona")
# What trainers are warned about, by the responses the bot gave (a response name starting with one
# of these): a discount proposed (refused as a next step, or the rehearsal client reacting to one),
# and naming the price chosen below the threshold (refused with the warning, or chosen again).
WARNING_RESPONSES = {
    "discount": ("utter_next_step_discount_refused", "utter_roleplay_discount"),
    "price_below_threshold": (
        "utter_next_step_price_below_threshold",
        "utter_next_step_price_against_advice",
    ),
}
SCORE_MAX = 100
STATUSES = ("met", "partly", "not")
# What the chat widget sends by itself when a new visitor opens it (web/static/widget.js).
WIDGET_OPENING = "/greet"
OUTCOMES = ("promoter", "satisfied", "dissatisfied")
_EPOCH = datetime.fromtimestamp(0, tz=timezone.utc)


@dataclass(frozen=True)
class Button:
    """A choice the bot offered: the title shown and the payload sent when it is clicked."""

    title: str
    payload: str


@dataclass(frozen=True)
class Flag:
    """A coaching flag: the rule that fired, the quoted words, the problem and a better wording."""

    rule: str
    quote: str
    problem: str
    suggestion: str
    step: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "quote": self.quote,
            "problem": self.problem,
            "suggestion": self.suggestion,
            "step": self.step,
        }


@dataclass(frozen=True)
class Message:
    """One message: who said it, when, what; the choices offered; the flags raised by it.

    ``choice`` is the title of the offered button whose payload the salesperson sent
    (a click on "Akkoord" sends "/affirm"), else None.
    """

    speaker: Speaker
    text: str
    time: datetime
    buttons: tuple[Button, ...] = ()
    flags: tuple[Flag, ...] = ()
    choice: str | None = None


@dataclass(frozen=True)
class ChartNumbers:
    """The verdict's plain totals (from the slot's ``numbers``), for the value-versus-price chart."""

    value_expected: Decimal
    value_full: Decimal
    price: Decimal
    surplus: Decimal | None = None
    ratio: Decimal | None = None


@dataclass(frozen=True)
class Verdict:
    """The final assessment: its outcome, its figures and (when stored) plain numbers.

    ``figures`` holds the slot's values as text, Dutch-formatted where the bot formatted
    them ('€ 49.580,00', '1,3', payback months '7'); None where the slot holds null (a
    payback that never comes).
    """

    outcome: str | None
    figures: Mapping[str, str | None]
    numbers: ChartNumbers | None = None


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of a rehearsal's scorecard, as the bot judged it (``status``: met, partly or not)."""

    id: str
    name: str
    points: int
    max_points: int
    status: str
    case: str
    quotes: tuple[str, ...]
    feedback: str
    alternative: str


@dataclass(frozen=True)
class ScoreFlag:
    """A coaching flag raised during a rehearsal (it costs points on the scorecard)."""

    rule: str
    quote: str
    problem: str
    suggestion: str


@dataclass(frozen=True)
class PenaltyScore:
    """The points the salesperson's wording cost in a rehearsal."""

    name: str
    penalty: int
    max_penalty: int
    flags: tuple[ScoreFlag, ...]
    feedback: str
    alternative: str


@dataclass(frozen=True)
class RehearsalScorecard:
    """The scorecard of one rehearsal, stored in the ``scorecard`` slot.

    ``index`` is its place among the conversation's scorecards (0 for the first), ``time``
    when it was stored, ``score`` the automatic score (0..100). ``practise_next`` holds
    criterion ids or ``"coaching"``; ``value_check`` the value model's figures as text (None
    where the slot holds null), or None when there was nothing to check. ``data`` is the
    slot's value as stored.
    """

    index: int
    time: datetime
    persona_id: str
    persona_name: str
    salesperson: str
    score: int
    criteria: tuple[CriterionScore, ...]
    coaching: PenaltyScore
    practise_next: tuple[str, ...]
    value_check: Mapping[str, str | None] | None
    data: Mapping[str, Any]

    @property
    def number(self) -> int:
        """The rehearsal's number as trainers count: 1 for the first."""
        return self.index + 1

    def criterion(self, criterion_id: str) -> CriterionScore | None:
        return next((criterion for criterion in self.criteria if criterion.id == criterion_id), None)

    def practise_names(self) -> tuple[str, ...]:
        """The names of what to practise next (criterion names, the wording penalty's name)."""
        names = []
        for item in self.practise_next:
            found = self.criterion(item)
            names.append(found.name if found else self.coaching.name if item == "coaching" else item)
        return tuple(names)


@dataclass(frozen=True)
class Conversation:
    """One stored conversation, replayed.

    ``salesperson`` is the name the salesperson gave last (or the latest scorecard's), ``client``
    the client worked on last: the engagement of a value conversation, or the persona of a
    rehearsal (its name once scored, else its id); ``scenario`` the part of the bot used last (a
    value of :data:`SCENARIO_SLOTS`, "" when none). ``warnings`` are the keys of
    :data:`WARNING_RESPONSES` that happened, in that order.
    """

    id: str
    started: datetime
    ended: datetime
    channel: str | None
    messages: tuple[Message, ...]
    verdict: Verdict | None
    flags: tuple[Flag, ...]
    scorecards: tuple[RehearsalScorecard, ...] = ()
    salesperson: str = ""
    client: str = ""
    scenario: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def flag_count(self) -> int:
        """Every coaching flag: those of the value conversation and the wording flags of each rehearsal."""
        return len(self.flags) + sum(len(card.coaching.flags) for card in self.scorecards)

    @property
    def length(self) -> int:
        """The number of messages the salesperson sent."""
        return sum(1 for message in self.messages if message.speaker == "salesperson")

    @property
    def scorecard(self) -> RehearsalScorecard | None:
        """The latest rehearsal's scorecard: the conversation's score."""
        return self.scorecards[-1] if self.scorecards else None


@dataclass
class _Draft:
    """A message while the replay may still attach flags to it."""

    speaker: Speaker
    text: str
    time: datetime
    buttons: tuple[Button, ...]
    choice: str | None = None
    flags: list[Flag] = field(default_factory=list)

    def freeze(self) -> Message:
        return Message(self.speaker, self.text, self.time, self.buttons, tuple(self.flags), self.choice)


@dataclass
class _About:
    """Who and what a conversation is about, and its warnings, while it is replayed.

    A slot counts once it has outlived its turn (at the next user message, or at the end): a
    slot filled from the raw text and then cleared by its validation does not.
    """

    salesperson: str = ""
    client: str = ""
    scenario: str = ""
    warnings: set[str] = field(default_factory=set)
    settled: dict[str, str] = field(default_factory=dict)

    def settle(self, slots: Mapping[str, Any]) -> None:
        for name in (SALESPERSON_SLOT, *SCENARIO_SLOTS):
            value = " ".join(_text(slots.get(name)).split())
            if not value or self.settled.get(name) == value:
                continue
            self.settled[name] = value
            if name == SALESPERSON_SLOT:
                self.salesperson = value
                continue
            self.scenario = SCENARIO_SLOTS[name]
            if name in CLIENT_SLOTS:
                self.client = value

    def scored(self, card: RehearsalScorecard) -> None:
        self.salesperson = card.salesperson or self.salesperson
        self.client = card.persona_name or self.client
        self.scenario = SCENARIO_SLOTS["persona"]

    def warn(self, event: Mapping[str, Any]) -> None:
        metadata = event.get("metadata")
        response = _text(metadata.get("utter_action")) if isinstance(metadata, Mapping) else ""
        for key, prefixes in WARNING_RESPONSES.items():
            if response.startswith(prefixes):
                self.warnings.add(key)


def parse_event_data(data: str | None, expander: Expander | None = None) -> dict[str, Any] | None:
    """An events row's ``data`` column as Rasa's event dict; None when it is empty or not a JSON object.

    Rows are stored compactly (:mod:`rasa_addons.event_codec`) and expanded here. A compact row
    takes the model id from an earlier row of its conversation: read a conversation's rows in
    order with one ``expander`` (``Expander(strict=False)``); without one, such a row's metadata
    lacks the model id (nothing here reads it). Rows in Rasa's own full format are read as they are."""
    if not data:
        return None
    try:
        event = json.loads(data)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    return (expander or Expander(strict=False))(event)


def _time(event: Mapping[str, Any]) -> datetime | None:
    """The event's timestamp as an aware UTC datetime."""
    stamp = event.get("timestamp")
    if isinstance(stamp, bool) or not isinstance(stamp, int | float):
        return None
    try:
        return datetime.fromtimestamp(stamp, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _buttons(event: Mapping[str, Any]) -> tuple[Button, ...]:
    data = event.get("data")
    raw = data.get("buttons") if isinstance(data, Mapping) else None
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(_text(item.get("title")), _text(item.get("payload")))
        for item in raw
        if isinstance(item, Mapping)
    )


def _flag(value: Any) -> Flag | None:
    if not isinstance(value, Mapping):
        return None
    return Flag(
        rule=_text(value.get("rule")),
        quote=_text(value.get("quote")),
        problem=_text(value.get("problem")),
        suggestion=_text(value.get("suggestion")),
        step=_text(value.get("step")),
    )


def _flags(value: Any) -> list[Flag]:
    if not isinstance(value, list):
        return []
    return [flag for flag in map(_flag, value) if flag is not None]


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _chart_numbers(value: Any) -> ChartNumbers | None:
    """The ``numbers`` of an assessment; None when absent or when a total is missing or unreadable."""
    if not isinstance(value, Mapping):
        return None
    totals = [_decimal(value.get(key)) for key in ("value_expected", "value_full", "price")]
    if any(total is None for total in totals):
        return None
    expected, full, price = totals
    assert expected is not None and full is not None and price is not None
    return ChartNumbers(expected, full, price, _decimal(value.get("surplus")), _decimal(value.get("ratio")))


def _verdict(value: Any) -> Verdict | None:
    """The assessment slot's value as a Verdict; None when the slot is empty."""
    if not isinstance(value, Mapping) or not value:
        return None
    outcome = value.get("outcome")
    figures = {
        str(key): None if figure is None else str(figure)
        for key, figure in value.items()
        if key != "numbers" and (figure is None or isinstance(figure, str | int | float))
    }
    return Verdict(
        outcome=outcome if outcome in OUTCOMES else None,
        figures=figures,
        numbers=_chart_numbers(value.get("numbers")),
    )


def _whole(value: Any, default: int = 0) -> int:
    """A whole number from the slot (an int, or a float without fraction); else ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def _criterion_score(value: Any) -> CriterionScore | None:
    if not isinstance(value, Mapping) or not _text(value.get("id")):
        return None
    quotes = value.get("quotes")
    status = value.get("status")
    return CriterionScore(
        id=_text(value.get("id")),
        name=_text(value.get("name")) or _text(value.get("id")),
        points=max(0, _whole(value.get("points"))),
        max_points=max(0, _whole(value.get("max_points"))),
        status=status if status in STATUSES else "not",
        case=_text(value.get("case")),
        quotes=tuple(_text(quote) for quote in quotes if _text(quote)) if isinstance(quotes, list) else (),
        feedback=_text(value.get("feedback")),
        alternative=_text(value.get("alternative")),
    )


def _penalty_score(value: Any) -> PenaltyScore:
    value = value if isinstance(value, Mapping) else {}
    flags = value.get("flags")
    return PenaltyScore(
        name=_text(value.get("name")) or "Woordkeuze",
        penalty=max(0, _whole(value.get("penalty"))),
        max_penalty=max(0, _whole(value.get("max_penalty"))),
        flags=tuple(
            ScoreFlag(
                rule=_text(flag.get("rule_id") or flag.get("rule")),
                quote=_text(flag.get("quote")),
                problem=_text(flag.get("problem")),
                suggestion=_text(flag.get("suggestion")),
            )
            for flag in (flags if isinstance(flags, list) else [])
            if isinstance(flag, Mapping)
        ),
        feedback=_text(value.get("feedback")),
        alternative=_text(value.get("alternative")),
    )


def _scorecard(value: Any, index: int, time: datetime) -> RehearsalScorecard | None:
    """The scorecard slot's value; None when it is empty or has no whole-number score."""
    if not isinstance(value, Mapping) or not value:
        return None
    score = value.get("score")
    if isinstance(score, bool) or not isinstance(score, int):
        return None
    criteria = value.get("criteria")
    practise = value.get("practise_next")
    check = value.get("value_check")
    return RehearsalScorecard(
        index=index,
        time=time,
        persona_id=_text(value.get("persona_id")),
        persona_name=_text(value.get("persona_name")) or _text(value.get("persona_id")),
        salesperson=" ".join(_text(value.get("salesperson")).split()),
        score=max(0, min(SCORE_MAX, score)),
        criteria=tuple(
            found
            for found in map(_criterion_score, criteria if isinstance(criteria, list) else [])
            if found is not None
        ),
        coaching=_penalty_score(value.get("coaching")),
        practise_next=tuple(_text(item) for item in practise if _text(item))
        if isinstance(practise, list)
        else (),
        value_check=None
        if not isinstance(check, Mapping)
        else {
            str(key): None if figure is None else str(figure)
            for key, figure in check.items()
            if figure is None or (isinstance(figure, str | int | float) and not isinstance(figure, bool))
        },
        data=dict(value),
    )


def _flag_key(flag: Flag) -> tuple[str, ...]:
    return (flag.rule, flag.quote, flag.problem, flag.suggestion, flag.step)


def build_conversation(sender_id: str, events: Iterable[Mapping[str, Any]]) -> Conversation:
    """Replays one conversation's events (in stored order) into a Conversation."""
    drafts: list[_Draft] = []
    slots: dict[str, Any] = {}
    happened: list[Flag] = []
    known: Counter[tuple[str, ...]] = Counter()  # flags already placed since the last restart
    times: list[datetime] = []
    channels: list[str] = []
    scorecards: list[RehearsalScorecard] = []
    about = _About()
    for event in events:
        kind = event.get("event")
        time = _time(event)
        if time is not None:
            times.append(time)
        if kind == "user":
            about.settle(slots)
            channel = event.get("input_channel")
            if isinstance(channel, str) and channel:
                channels.append(channel)
            text = _text(event.get("text"))
            if text == WIDGET_OPENING and not drafts:
                continue  # the widget asks for the greeting itself; the salesperson said nothing
            drafts.append(_Draft("salesperson", text, time or _EPOCH, (), _choice(text, drafts)))
        elif kind == "bot":
            about.warn(event)
            buttons = _buttons(event)
            text = _text(event.get("text"))
            if text or buttons:
                drafts.append(_Draft("bot", text, time or _EPOCH, buttons))
        elif kind == "slot":
            name = event.get("name")
            if not isinstance(name, str):
                continue
            if name == SCORECARD_SLOT and event.get("value") != slots.get(name):
                card = _scorecard(event.get("value"), len(scorecards), time or _EPOCH)
                if card is not None:
                    scorecards.append(card)
                    about.scored(card)
            slots[name] = event.get("value")
            if name == FLAGS_SLOT:
                new = _new_flags(_flags(event.get("value")), known)
                happened.extend(new)
                _place(new, drafts)
        elif kind == "reset_slots":
            slots.clear()
        elif kind == "restart":
            slots.clear()
            known.clear()
    about.settle(slots)
    started = min(times) if times else _EPOCH
    ended = max(times) if times else started
    return Conversation(
        id=sender_id,
        started=started,
        ended=ended,
        channel=channels[0] if channels else None,
        messages=tuple(draft.freeze() for draft in drafts),
        verdict=_verdict(slots.get(ASSESSMENT_SLOT)),
        flags=tuple(happened),
        scorecards=tuple(scorecards),
        salesperson=about.salesperson,
        client=about.client,
        scenario=about.scenario,
        warnings=tuple(key for key in WARNING_RESPONSES if key in about.warnings),
    )


def _choice(text: str, drafts: Sequence[_Draft]) -> str | None:
    """The title of the button in the bot's latest offer whose payload is ``text``, if any."""
    for draft in reversed(drafts):
        if draft.speaker == "salesperson":
            return None
        if draft.buttons:
            titles = [button.title for button in draft.buttons if button.payload == text and button.title]
            return titles[0] if titles else None
    return None


def _new_flags(flags: Sequence[Flag], known: Counter[tuple[str, ...]]) -> list[Flag]:
    """The flags in a new slot value that were not in it before; updates ``known``."""
    seen: Counter[tuple[str, ...]] = Counter()
    new = []
    for flag in flags:
        key = _flag_key(flag)
        seen[key] += 1
        if seen[key] > known[key]:
            new.append(flag)
            known[key] = seen[key]
    return new


def _place(flags: Sequence[Flag], drafts: Sequence[_Draft]) -> None:
    """Attaches flags to the salesperson's latest message (the words they are about).

    Without any salesperson message yet they go with the latest message; before any message
    at all they are only in the conversation's list of flags.
    """
    if not flags or not drafts:
        return
    said = [draft for draft in drafts if draft.speaker == "salesperson"]
    (said or list(drafts))[-1].flags.extend(flags)
