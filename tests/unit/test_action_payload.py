"""rasa_addons.action_payload: the action server gets the latest turn and what the bot did in the recent
turns before it, with the state unchanged."""

from __future__ import annotations

from collections import deque

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_addons.action_payload import RECENT_USER_TURNS, recent_events


def _turn(number: int) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered(f"bericht {number}"),
        SlotSet("engagement", str(number)),
        BotUttered(f"antwoord {number}", metadata={"utter_action": "utter_verdict"}),
    ]


def test_before_the_latest_turn_only_what_the_bot_did_in_the_last_ten_turns():
    events = deque([SessionStarted()] + [e for n in range(30) for e in _turn(n)])
    recent = recent_events(events)
    latest = next(i for i, e in enumerate(recent) if isinstance(e, UserUttered))
    assert recent[latest:] == list(events)[-3:]  # the latest turn whole: message, slot, reply
    earlier = recent[:latest]
    assert all(isinstance(e, ActionExecuted | BotUttered) for e in earlier)
    assert [e.text for e in earlier if isinstance(e, BotUttered)] == [f"antwoord {n}" for n in range(20, 29)]
    assert sum(isinstance(e, ActionExecuted) for e in earlier) == RECENT_USER_TURNS - 1


def test_a_short_conversation_keeps_every_bot_event():
    events = deque(e for n in range(4) for e in _turn(n))
    recent = recent_events(events)
    assert [e for e in recent if isinstance(e, UserUttered)] == [events[-3]]
    assert [e for e in recent if isinstance(e, ActionExecuted | BotUttered)] == [
        e for e in events if isinstance(e, ActionExecuted | BotUttered)
    ]


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
    assert [e["text"] for e in state["events"] if e["event"] == "user"] == ["bericht 24"]
    assert [e["value"] for e in state["events"] if e["event"] == "slot"] == ["opdracht 24"]
    assert sum(e["event"] == "action" for e in state["events"]) == RECENT_USER_TURNS - 1
    assert len(tracker.events) == 75  # the tracker itself keeps everything
    assert payload["next_action"] == "action_summarize" and payload["sender_id"] == "payload"
