"""rasa_addons.action_payload: the action server gets the recent turns, with the state unchanged."""

from __future__ import annotations

from collections import deque

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_addons.action_payload import RECENT_USER_TURNS, recent_events


def _turn(number: int) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered(f"bericht {number}"),
        SlotSet("engagement", str(number)),
    ]


def test_the_events_start_at_the_tenth_last_user_message():
    events = deque([SessionStarted()] + [e for n in range(30) for e in _turn(n)])
    recent = recent_events(events)
    assert [e.text for e in recent if isinstance(e, UserUttered)] == [f"bericht {n}" for n in range(20, 30)]
    assert recent[-1] is events[-1] and len(recent) == 3 * RECENT_USER_TURNS - 1


def test_a_short_conversation_is_sent_whole():
    events = deque(e for n in range(4) for e in _turn(n))
    assert recent_events(events) == list(events)


def test_the_payload_keeps_the_state_and_trims_only_the_events():
    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker("payload", domain.slots)
    for n in range(25):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(f"bericht {n}", {"name": "inform"}))
        tracker.update(SlotSet("engagement", f"opdracht {n}"))
    payload = RemoteAction("action_summarize", EndpointConfig("http://127.0.0.1:1"))._action_call_format(
        tracker, domain
    )
    state = payload["tracker"]
    assert state["slots"]["engagement"] == "opdracht 24" and state["latest_message"]["text"] == "bericht 24"
    assert sum(e["event"] == "user" for e in state["events"]) == RECENT_USER_TURNS
    assert len(tracker.events) == 75  # the tracker itself keeps everything
    assert payload["next_action"] == "action_summarize" and payload["sender_id"] == "payload"
