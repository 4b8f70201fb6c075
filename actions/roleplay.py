"""Oefenen met een klant: the bot plays a client, the salesperson rehearses, a scorecard follows.

The rehearsal itself lives in :mod:`bot.roleplay` (the client) and :mod:`bot.scorecard`
(the judging); these actions only move its state in and out of slots and send the replies
it names. The client's texts are domain responses with one variation per persona,
conditioned on the ``persona`` slot.

The personas, the salesperson's moves and the scorecard rubric are loaded when the action
server imports this module, so a broken data file stops the server at start-up with an
error naming the file and the problem.

Flow (data/rules/roleplay.yml): ``start_roleplay`` -> :class:`ActionStartRoleplay` (a clean
slate) -> ``roleplay_setup_form`` (first name, persona) -> ``roleplay_form`` (every message
is one turn; :class:`ActionAskRoleplayTurn` opens the rehearsal once, because Rasa renders
the responses of an action with the slots as they were *before* that action, so the
persona must be set by an earlier action) -> :class:`ActionRoleplayScorecard`.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.coaching import RULES
from actions.draft import SwitchingFormValidation, draft_from, form_slots, render_turn, slots_of
from actions.texts import label, render
from actions.validation import skip_cleared
from actions.verdict import discount_rate
from bot.personas import Persona, find_persona, load_personas, pick_persona
from bot.roleplay import COACH_OUT_OF_ROLE, COACH_TIME_OUT, OPEN, RoleplayState, client_turn, start
from bot.roleplay_moves import load_moves
from bot.scorecard import load_rubric, score
from bot.setup_answers import read_first_name, wants_real_conversation
from bot.slot_shapes.roleplay_state import state_from_slot, state_to_slot
from bot.slot_shapes.scorecard import scorecard_to_slot
from bot.text import clean_message, clean_text
from bot.value_session import Step, step

__all__ = [
    "MOVES",
    "PERSONAS",
    "RUBRIC",
    "ActionAskPersonaChoice",
    "ActionAskRoleplayTurn",
    "ActionRoleplayScorecard",
    "ActionStartRoleplay",
    "ValidateRoleplayForm",
    "ValidateRoleplaySetupForm",
    "choose_persona",
    "read_first_name",
]

PERSONAS = load_personas()
MOVES = load_moves()
RUBRIC = load_rubric()

ROLEPLAY_SLOTS = ("persona_choice", "persona", "roleplay_turn", "roleplay_state", "scorecard")

# "verras me", "maakt niet uit", "kies jij maar", "willekeurig", ...
_SURPRISE = re.compile(
    r"\b(?:verras|verrassing|maakt\s+(?:me\s+|mij\s+)?niet\s+uit|willekeurig\w*|random|"
    r"kies\s+(?:jij|je|u)?\s*(?:maar|zelf)|jij\s+mag\s+kiezen|geen\s+voorkeur|wat\s+je\s+wilt|om\s+het\s+even|"
    r"doe\s+maar\s+(?:iets|wat|een)|zeg\s+het\s+maar)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\D*?(?:nummer\s+|nr\.?\s*)?(\d{1,2})\D*$", re.IGNORECASE)
_ORDINALS = {
    "eerste": 1,
    "een": 1,
    "één": 1,
    "tweede": 2,
    "twee": 2,
    "derde": 3,
    "drie": 3,
    "vierde": 4,
    "vier": 4,
}
_WORD = re.compile(r"[a-zà-ÿ]+(?:-[a-zà-ÿ]+)*", re.IGNORECASE)
# Words too common to tell the personas apart.
_STOPWORDS = frozenset(
    "de het een en van voor met die dat met aan bij naar wil ik je jij u graag doe maar klant klanten "
    "over door als wat wie zijn is op in te om nu dan mee oefenen oefen".split()
)


# -- reading the setup answers ----------------------------------------------------------


def _persona_words(persona: Persona) -> set[str]:
    text = " ".join(
        (persona.id.replace("_", " "), persona.name, persona.role, persona.buys, persona.background)
    )
    return {word.lower() for word in _WORD.findall(text) if len(word) >= 4} - _STOPWORDS


def _mentions(text: str, words: set[str]) -> bool:
    said = {word.lower() for word in _WORD.findall(text)}
    return any(word in said or (len(word) >= 6 and any(s.startswith(word) for s in said)) for word in words)


def choose_persona(text: str, personas: tuple[Persona, ...], source: random.Random) -> Persona | None:
    """The persona picked by a button, a number, a name or a word ('het ziekenhuis'); random on 'verras me'.

    None when the answer picks no persona, or several.
    """
    answer = clean_text(text).strip()
    lowered = answer.lower().strip(" .!?")
    if _SURPRISE.search(lowered):
        return pick_persona(personas, source)
    number = _NUMBER.match(lowered)
    position = (
        int(number.group(1)) if number else _ORDINALS.get(lowered.removeprefix("de ").removeprefix("nummer "))
    )
    if position is not None:
        return personas[position - 1] if 1 <= position <= len(personas) else None
    named = [persona for persona in personas if persona.name.lower() in lowered]
    if len(named) == 1:
        return named[0]
    names = [
        persona
        for persona in personas
        if any(part.lower() in lowered.split() for part in persona.name.split())
    ]
    if len(names) == 1:
        return names[0]
    words = {persona.id: _persona_words(persona) for persona in personas}
    # A word only one persona has tells them apart ("ziekenhuis", "gemeente", "lunch").
    unique = {
        persona.id: words[persona.id]
        - set().union(*(words[other.id] for other in personas if other != persona))
        for persona in personas
    }
    matched = [persona for persona in personas if _mentions(answer, unique[persona.id])]
    return matched[0] if len(matched) == 1 else None


def _source(tracker: Tracker) -> random.Random:
    """A random source seeded from the sender id and how many rehearsals were scored before."""
    done = int(tracker.get_slot("rehearsals_scored") or 0)
    return random.Random(f"{tracker.sender_id}:{done}")


# -- the actions ------------------------------------------------------------------------


class ActionStartRoleplay(Action):
    """A clean slate for a new rehearsal; the salesperson's first name is kept."""

    def name(self) -> str:
        return "action_start_roleplay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return [SlotSet(slot, None) for slot in ROLEPLAY_SLOTS]


def _leave_for_the_value_conversation(
    dispatcher: CollectingDispatcher, slot: str, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Leave the rehearsal set-up; the value conversation starts (or resumes) at its first open
    question, keeping the figures said with it ("stop met oefenen. echte klant: ze besparen ...")."""
    text = clean_message(str(tracker.latest_message.get("text") or ""))
    turn = step(draft_from(tracker, Step(slot)), text)
    render_turn(dispatcher, domain, turn)
    figures = {**slots_of(turn.draft), **form_slots(turn.draft, text)} if turn.readback else {}
    return {**figures, slot: None, "switch_to": "intake_form"}


class ValidateRoleplaySetupForm(SwitchingFormValidation):
    """The salesperson's first name and the persona."""

    def name(self) -> str:
        return "validate_roleplay_setup_form"

    @skip_cleared
    def validate_salesperson_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if wants_real_conversation(str(value)):  # "nee, ik wil een echt gesprek voorbereiden"
            return _leave_for_the_value_conversation(dispatcher, "salesperson_name", tracker, domain)
        name = read_first_name(str(value))
        if name is None:
            dispatcher.utter_message(response="utter_roleplay_invalid_name")
        return {"salesperson_name": name}

    @skip_cleared
    def validate_persona_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if wants_real_conversation(str(value)):
            return _leave_for_the_value_conversation(dispatcher, "persona_choice", tracker, domain)
        persona = choose_persona(str(value), PERSONAS, _source(tracker))
        if persona is None:
            dispatcher.utter_message(response="utter_roleplay_invalid_persona", count=str(len(PERSONAS)))
            return {"persona_choice": None}
        return {"persona_choice": str(value), "persona": persona.id}


class ActionAskPersonaChoice(Action):
    """Which client: the personas as a numbered list and as buttons, plus 'Verras me'."""

    def name(self) -> str:
        return "action_ask_persona_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        rows = "\n".join(
            render(
                domain,
                "utter_roleplay_persona_row",
                number=number,
                name=persona.name,
                role=persona.role,
                buys=persona.buys,
            )
            for number, persona in enumerate(PERSONAS, start=1)
        )
        surprise = label(domain, "roleplay_label", "surprise")
        buttons = [
            {"title": f"{persona.name}, {persona.role}", "payload": persona.name} for persona in PERSONAS
        ]
        buttons.append({"title": surprise, "payload": surprise})
        dispatcher.utter_message(
            response="utter_ask_persona_choice",
            personas=rows,
            salesperson_name=tracker.get_slot("salesperson_name") or "",
            buttons=buttons,
        )
        return []


def _persona(tracker: Tracker) -> Persona:
    return find_persona(PERSONAS, str(tracker.get_slot("persona")))


def _state(tracker: Tracker, persona: Persona) -> RoleplayState:
    data = tracker.get_slot("roleplay_state")
    return RoleplayState(persona.id) if not data else state_from_slot(data)


def _coach_hint(domain: DomainDict, persona: Persona, state: RoleplayState) -> str:
    """What to do next, for the coach in the time-out: facts still hidden, objections still open."""
    missing = [RUBRIC.fact_labels[fact.kind] for fact in persona.facts if state.revealed(fact.kind) is None]
    if missing:
        return render(domain, "utter_roleplay_coach_hint_missing_facts", missing=", ".join(missing))
    still_open = [persona.objection(record.id).label for record in state.objections if record.status == OPEN]
    if still_open:
        return render(domain, "utter_roleplay_coach_hint_open_objections", missing=", ".join(still_open))
    return render(domain, "utter_roleplay_coach_hint_all_done")


class ActionAskRoleplayTurn(Action):
    """Opens the rehearsal once (the coach's introduction and the client's opening); then stays silent.

    The form asks for the next turn after every message; the client's replies were already
    sent by the validation.
    """

    def name(self) -> str:
        return "action_ask_roleplay_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("roleplay_state"):
            return []
        state, replies = start(_persona(tracker))
        for reply in replies:
            dispatcher.utter_message(response=reply.response, **reply.variables)
        return [SlotSet("roleplay_state", state_to_slot(state))]


class ValidateRoleplayForm(FormValidationAction):
    """One message of the salesperson: the client answers in character (or the coach, out of role)."""

    def name(self) -> str:
        return "validate_roleplay_form"

    @skip_cleared
    def validate_roleplay_turn(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        persona = _persona(tracker)
        state, replies = client_turn(persona, _state(tracker, persona), str(value), RULES, MOVES)
        for reply in replies:
            dispatcher.utter_message(response=reply.response, **reply.variables)
            if reply.response in (COACH_TIME_OUT, COACH_OUT_OF_ROLE):
                dispatcher.utter_message(
                    response="utter_roleplay_coach_hint", hint=_coach_hint(domain, persona, state)
                )
        return {
            "roleplay_turn": str(value) if state.finished else None,
            "roleplay_state": state_to_slot(state),
        }


class ActionRoleplayScorecard(Action):
    """Scores the rehearsal, shows the scorecard and stores it in the ``scorecard`` slot."""

    def name(self) -> str:
        return "action_roleplay_scorecard"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        persona = _persona(tracker)
        salesperson = tracker.get_slot("salesperson_name") or ""
        card = replace(
            score(persona, _state(tracker, persona), RUBRIC, discount_rate()), salesperson=salesperson
        )
        dispatcher.utter_message(
            response="utter_roleplay_scorecard",
            salesperson=salesperson,
            persona_name=persona.name,
            persona_role=persona.role,
            score=str(card.score),
        )
        for result in card.criteria:
            dispatcher.utter_message(
                response="utter_roleplay_scorecard_criterion_met"
                if result.lost == 0
                else "utter_roleplay_scorecard_criterion",
                criterion=result.name,
                points=str(result.points),
                max_points=str(result.max_points),
                feedback=result.feedback,
                alternative=result.alternative,
            )
        coaching = card.coaching
        dispatcher.utter_message(
            response="utter_roleplay_scorecard_coaching"
            if coaching.penalty
            else "utter_roleplay_scorecard_coaching_clean",
            criterion=coaching.name,
            penalty=str(coaching.penalty),
            feedback=coaching.feedback,
            alternative=coaching.alternative,
        )
        if card.practise_next:
            items = "; ".join(
                f"{number}) {name}" for number, name in enumerate(card.practise_names(), start=1)
            )
            dispatcher.utter_message(response="utter_roleplay_scorecard_practise", items=items)
        else:
            dispatcher.utter_message(response="utter_roleplay_scorecard_practise_nothing")
        if card.value_check is not None:
            figures = card.value_check
            dispatcher.utter_message(
                response="utter_roleplay_scorecard_value_check",
                value_expected=figures["value_expected"],
                price=figures["price"],
                years=str(figures["years"]),
                ratio=figures["ratio"] or "-",
                outcome=label(domain, "outcome_label", str(figures["outcome"])),
            )
        dispatcher.utter_message(response="utter_roleplay_after_scorecard")
        return [
            SlotSet("scorecard", scorecard_to_slot(card)),
            SlotSet("rehearsals_scored", int(tracker.get_slot("rehearsals_scored") or 0) + 1),
            SlotSet("roleplay_turn", None),
        ]
