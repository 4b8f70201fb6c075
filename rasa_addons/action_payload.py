"""The action server gets the recent events of a conversation, not all of them.

Rasa 3.6 sends the whole conversation with every custom action call (the tracker's state with
``EventVerbosity.ALL``): at turn 120 of a rehearsal that is about 1.750 events, encoded by Rasa
and decoded by the action server several times per message. The actions read the current slots,
the latest message and the active form from the state, and from the events only the recent turns:
the slots a form just extracted (``Tracker.slots_to_validate``) and whether the price warning was
given since the latest verdict (``actions/next_step.py``). So the events sent start at the
``RECENT_USER_TURNS``-th last user message of the session; the rest of the state is unchanged.

Applied when Rasa imports this package (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

from typing import Any

from rasa.core.actions.action import RemoteAction

__all__ = ["RECENT_USER_TURNS", "recent_events"]

RECENT_USER_TURNS = 10

_action_call_format = RemoteAction._action_call_format


def recent_events(events: list[dict[str, Any]], user_turns: int = RECENT_USER_TURNS) -> list[dict[str, Any]]:
    """The events from the ``user_turns``-th last user message on (all of them when there are fewer)."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            seen += 1
            if seen == user_turns:
                return events[index:]
    return events


def _recent_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
    payload = _action_call_format(self, tracker, domain)
    state = payload["tracker"]
    state["events"] = recent_events(state.get("events") or [])
    return payload


RemoteAction._action_call_format = _recent_call_format  # type: ignore[method-assign]
