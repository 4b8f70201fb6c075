"""The action server gets the recent events of a conversation, not all of them.

Rasa 3.6 sends the whole conversation with every custom action call (the tracker's state with
``EventVerbosity.ALL``): at turn 120 of a rehearsal that is about 1.750 events, encoded by Rasa
and decoded by the action server several times per message. The actions read the current slots,
the latest message and the active form from the state, and from the events only the recent turns:
the slots a form just extracted (``Tracker.slots_to_validate``) and whether the price warning was
given since the latest verdict (``actions/next_step.py``). So the events sent are those of the
latest user turn (from the latest user message on) and, back to the ``RECENT_USER_TURNS``-th last
user message of the session, what the bot did (its actions and utterances); not the slots set in
those earlier turns (a rehearsal's state is several kB each turn) nor the earlier messages, which
no action reads. The rest of the state is unchanged.

Applied when Rasa imports this package (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

__all__ = ["RECENT_USER_TURNS", "recent_events"]

RECENT_USER_TURNS = 10


def recent_events(events: Sequence[Event], user_turns: int = RECENT_USER_TURNS) -> list[Event]:
    """The events from the latest user message on, and before it, from the ``user_turns``-th last
    user message on (or the start), the bot's actions and utterances."""
    seen, start, latest = 0, 0, len(events)
    for back, event in enumerate(reversed(events), start=1):
        if isinstance(event, UserUttered):
            seen += 1
            if seen == 1:
                latest = len(events) - back
            if seen == user_turns:
                start = len(events) - back
                break
    earlier = (e for e in islice(events, start, latest) if isinstance(e, ActionExecuted | BotUttered))
    return [*earlier, *islice(events, latest, None)]


def _recent_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    """Rasa's request to the action server (``RemoteAction._action_call_format``), with the recent
    events only, and only those serialised."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


RemoteAction._action_call_format = _recent_call_format  # type: ignore[method-assign]
