"""rasa_addons.event_replay: the applied events, folded incrementally, equal Rasa's own fold."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_addons.event_replay import rasa_applied_events
from tests.web.conftest import recorded_events


def _each_prefix_matches(events: list[Event]) -> int:
    """Grow a tracker event by event; after each, the fold equals Rasa's. Returns the checks made."""
    tracker = DialogueStateTracker("replay", [])
    for event in events:
        tracker.events.append(event)  # as Tracker.update does, without applying (no domain slots here)
        assert tracker.applied_events() == rasa_applied_events(tracker)
    return len(events)


RECORDED = recorded_events()


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_recorded_conversations_fold_the_same(sender_id):
    assert _each_prefix_matches(deserialise_events(RECORDED[sender_id])) > 10


def _user(text: str) -> list[Event]:
    return [ActionExecuted("action_listen"), UserUttered(text, {"name": "inform"})]


def test_forms_reverts_and_restarts_fold_the_same():
    form = "value_line_form"
    events: list[Event] = [*_user("hoi"), ActionExecuted("utter_greet"), BotUttered("hoi")]
    events += [*_user("start"), ActionExecuted(form), ActiveLoop(form), SlotSet("requested_slot", "x")]
    for turn in range(6):
        events += [*_user(f"antwoord {turn}"), ActionExecuted(form), SlotSet("line_description", str(turn))]
    events += [
        *_user("wat?"),
        ActionExecutionRejected(form),
        ActionExecuted("utter_explain"),
        ActionExecuted(form),
    ]
    events += [
        *_user("fout"),
        UserUtteranceReverted(),
        *_user("nog eens"),
        ActionExecuted(form),
        ActionReverted(),
    ]
    events += [ActiveLoop(None), ActionExecuted("action_listen"), SessionStarted(), *_user("weer")]
    events += [
        ActionExecuted("price_form"),
        *_user("1000"),
        ActiveLoop("price_form"),
        ActionExecuted("price_form"),
    ]
    events += [
        Restarted(),
        *_user("opnieuw"),
        ActionExecuted(form),
        ActiveLoop(form),
        *_user("x"),
        ActionExecuted(form),
    ]
    assert _each_prefix_matches(events) == len(events)


def test_a_replaced_or_shortened_event_list_is_folded_again():
    tracker = DialogueStateTracker("replay", [])
    for event in [*_user("een"), ActionExecuted("utter_a"), *_user("twee")]:
        tracker.update(event)
    assert len(tracker.applied_events()) == 5
    tracker.events.clear()
    tracker.update(ActionExecuted("action_listen"))
    assert tracker.applied_events() == rasa_applied_events(tracker) == [ActionExecuted("action_listen")]


@pytest.fixture(scope="module")
def domain_slots():
    from rasa.shared.core.domain import Domain

    return Domain.load("domain.yml").slots


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_a_copy_has_the_state_that_replaying_gives(sender_id, domain_slots):
    from rasa.shared.core.trackers import EventVerbosity

    from rasa_addons.event_replay import rasa_copy

    tracker = DialogueStateTracker.from_dict(sender_id, RECORDED[sender_id], domain_slots)
    tracker.model_id = "model"
    for cut in range(0, len(tracker.events) + 1, 7):
        partial = tracker.travel_back_in_time(tracker.events[cut - 1].timestamp) if cut else tracker
        partial.applied_events()  # the fold is copied along
        ours, rasas = partial.copy(), rasa_copy(partial)
        assert ours.current_state(EventVerbosity.ALL) == rasas.current_state(EventVerbosity.ALL)
        assert ours.applied_events() == rasa_applied_events(rasas)
        assert (ours.model_id, ours.slots.keys()) == (rasas.model_id, rasas.slots.keys())
        ours.update(SlotSet("engagement", "iets anders"))  # the copy is independent of the original
        assert partial.get_slot("engagement") != "iets anders" and len(ours.events) == len(partial.events) + 1


def _timeless(state: dict) -> dict:
    """The state without event timestamps (each way of building creates the form's events anew)."""
    return {**state, "events": [{k: v for k, v in e.items() if k != "timestamp"} for e in state["events"]]}


@pytest.mark.parametrize("sender_id", sorted(RECORDED))
def test_a_forms_temporary_tracker_equals_rasas(sender_id, domain_slots):
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import EventVerbosity

    from rasa_addons.event_replay import rasa_temporary_tracker

    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker.from_dict(sender_id, RECORDED[sender_id], domain.slots)
    extra = [SlotSet("engagement", "tijdelijk"), SlotSet("requested_slot", "engagement")]
    for form_name in ("intake_form", "value_line_form", "price_form"):
        form = FormAction(form_name, None)
        ours = form._temporary_tracker(tracker, list(extra), domain)
        rasas = rasa_temporary_tracker(form, tracker, list(extra), domain)
        assert _timeless(ours.current_state(EventVerbosity.ALL)) == _timeless(
            rasas.current_state(EventVerbosity.ALL)
        )
        assert len(ours.applied_events()) == len(rasa_applied_events(rasas))
    restarted = DialogueStateTracker.from_dict(sender_id, RECORDED[sender_id], domain.slots)
    restarted.update(Restarted())
    form = FormAction("intake_form", None)
    ours = form._temporary_tracker(restarted, list(extra), domain)
    rasas = rasa_temporary_tracker(form, restarted, list(extra), domain)
    assert _timeless(ours.current_state(EventVerbosity.ALL)) == _timeless(
        rasas.current_state(EventVerbosity.ALL)
    )
