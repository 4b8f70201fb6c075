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

The stored slot values are read as :mod:`bot.slot_shapes` defines them, leniently: the flags
with :func:`~bot.slot_shapes.coaching_flags.flags_from_slot`, a scorecard with
:func:`~bot.slot_shapes.scorecard.scorecard_from_slot`. A rehearsal's scorecard is a ``scorecard``
slot event; every such event with a new value is one more scorecard, in order; a value equal to
the slot's current one (set again, or carried over into a new session) is not. The latest is the
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

from bot.slot_shapes.coaching_flags import Flag, flags_from_slot
from bot.slot_shapes.lenient import text as _text
from bot.slot_shapes.scorecard import Scorecard, scorecard_from_slot
from rasa_addons.event_codec import Expander

__all__ = [
    "Button",
    "ChartNumbers",
    "Conversation",
    "Message",
    "RehearsalScorecard",
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
# What the trainer pages call the wording penalty of a scorecard stored without its name.
UNNAMED_PENALTY = "Woordkeuze"
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


@dataclass(frozen=True, kw_only=True)
class RehearsalScorecard(Scorecard):
    """The scorecard of one rehearsal, as read from the ``scorecard`` slot, in its conversation.

    ``index`` is its place among the conversation's scorecards (0 for the first), ``time`` when
    it was stored, ``data`` the slot's value as stored.
    """

    index: int
    time: datetime
    data: Mapping[str, Any]

    @property
    def number(self) -> int:
        """The rehearsal's number as trainers count: 1 for the first."""
        return self.index + 1


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


def _scorecard(value: Any, index: int, time: datetime) -> RehearsalScorecard | None:
    """The scorecard slot's value; None when it is empty or has no whole-number score."""
    card = scorecard_from_slot(value, UNNAMED_PENALTY)
    if card is None:
        return None
    return RehearsalScorecard(**vars(card), index=index, time=time, data=dict(value))


def build_conversation(sender_id: str, events: Iterable[Mapping[str, Any]]) -> Conversation:
    """Replays one conversation's events (in stored order) into a Conversation."""
    drafts: list[_Draft] = []
    slots: dict[str, Any] = {}
    happened: list[Flag] = []
    known: Counter[Flag] = Counter()  # flags already placed since the last restart
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
                new = _new_flags(flags_from_slot(event.get("value")), known)
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


def _new_flags(flags: Sequence[Flag], known: Counter[Flag]) -> list[Flag]:
    """The flags in a new slot value that were not in it before; updates ``known``."""
    seen: Counter[Flag] = Counter()
    new = []
    for flag in flags:
        seen[flag] += 1
        if seen[flag] > known[flag]:
            new.append(flag)
            known[flag] = seen[flag]
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
