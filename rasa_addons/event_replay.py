"""The applied events of a conversation, worked out once and then only for the new events.

``DialogueStateTracker.applied_events`` (Rasa 3.6) folds the whole conversation into the events
that count (without reverted utterances and without the turns a form undid). Rasa calls it about
a dozen times per message (each policy, the session check, every replay of prior trackers), and
each call starts again from the first event; with forms, every form execution also walks back
over what was applied so far, and Rasa's undo helpers copy that list first. The cost of a
message thus grew with the square of the conversation's length (about 1,7 s per message at
1.750 events, against 30 ms at the start).

Here the fold is kept on the tracker: a call continues from the events it has already seen, so
a message costs the work of its own events. The fold starts again from the first event when the
event list was replaced or shortened, or when a form appears that ran before it was known as a
form (a rule of Rasa's fold that depends on later events). The undo helpers remove the same
events, in the same order, without the copy. The result is the same list as Rasa's (a test
compares the two on recorded and generated conversations).

``DialogueStateTracker.copy`` (run before every action) replays every event into a new tracker,
and so does a form's temporary tracker (``FormAction._temporary_tracker``, twice per form turn).
A tracker's state is, by Rasa's own contract, what its events produce, so the copy here takes
that state as it is: the events, the slots (each copied), the latest action and message, the
active loop, and the fold above. Like Rasa's copy it carries no model or assistant id. A form's
temporary tracker is such a copy with the form's events added, unless the conversation was
restarted (then Rasa's own way: the events after the restart, replayed).

Applied when Rasa imports this package (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import islice

from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

__all__ = [
    "applied_events",
    "copy_tracker",
    "form_temporary_tracker",
    "rasa_applied_events",
    "rasa_copy",
    "undo_till_previous",
    "undo_till_previous_loop_execution",
]

_FEATURIZED = (ActionExecuted, UserUttered, DefinePrevUserUtteredFeaturization)
_CACHE_ATTRIBUTE = "_waardecoach_applied_fold"

rasa_applied_events = DialogueStateTracker.applied_events
rasa_copy = DialogueStateTracker.copy
rasa_temporary_tracker = FormAction._temporary_tracker


def undo_till_previous(event_type: type[Event], done_events: list[Event]) -> None:
    """Remove events from the end up to and including the last one of ``event_type``."""
    while done_events:
        if isinstance(done_events.pop(), event_type):
            break


def undo_till_previous_loop_execution(loop_action_name: str, done_events: list[Event]) -> None:
    """Remove the featurized events after the last execution of the loop, keeping the others."""
    for index in range(len(done_events) - 1, -1, -1):
        event = done_events[index]
        if isinstance(event, ActionExecuted) and event.action_name == loop_action_name:
            break
        if isinstance(event, _FEATURIZED):
            del done_events[index]


@dataclass
class _Fold:
    """Rasa's fold over ``events[:count]``: its result and what later events need to know."""

    events: deque[Event]
    count: int = 0
    applied: list[Event] = field(default_factory=list)
    loop_names: set[str] = field(default_factory=set)
    executed: set[str] = field(default_factory=set)  # actions seen executing, to notice late forms


def _fresh(tracker: DialogueStateTracker) -> _Fold:
    fold = _Fold(tracker.events)
    setattr(tracker, _CACHE_ATTRIBUTE, fold)
    return fold


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's ``applied_events``, continued from the events already folded."""
    events = self.events
    fold: _Fold | None = getattr(self, _CACHE_ATTRIBUTE, None)
    if fold is None or fold.events is not events or fold.count > len(events) or events.maxlen is not None:
        fold = _fresh(self)
    new = list(islice(events, fold.count, None))
    new_loops = {e.name for e in new if isinstance(e, ActiveLoop) and e.name} - fold.loop_names
    if new_loops & fold.executed:  # a form that ran before it was known: Rasa's fold differs
        new_loops |= fold.loop_names
        fold = _fresh(self)
        new = list(events)
    fold.loop_names |= new_loops
    applied = fold.applied
    for event in new:
        if isinstance(event, Restarted | SessionStarted):
            applied.clear()
        elif isinstance(event, ActionReverted):
            undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            undo_till_previous(UserUttered, applied)
            undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in fold.loop_names
            and not self._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
        if isinstance(event, ActionExecuted) and event.action_name:
            fold.executed.add(event.action_name)
    fold.count = len(events)
    return list(applied)


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's ``copy``, without replaying the events."""
    new = copy.copy(self)
    new.events = deque(self.events, maxlen=self.events.maxlen)
    new.slots = type(self.slots)((name, copy.copy(slot)) for name, slot in self.slots.items())
    new.latest_action = copy.copy(self.latest_action)
    new.active_loop = copy.deepcopy(self.active_loop)
    new.model_id = None
    new.assistant_id = None
    fold: _Fold | None = getattr(self, _CACHE_ATTRIBUTE, None)
    if fold is not None:
        clone = replace(
            fold,
            events=new.events,
            applied=list(fold.applied),
            loop_names=set(fold.loop_names),
            executed=set(fold.executed),
        )
        setattr(new, _CACHE_ATTRIBUTE, clone)
    return new


def form_temporary_tracker(
    self: FormAction, current_tracker: DialogueStateTracker, additional_events: list[Event], domain: Domain
) -> DialogueStateTracker:
    """Rasa's temporary tracker of a form: the conversation with the form's events added."""
    if current_tracker.idx_after_latest_restart():
        return rasa_temporary_tracker(self, current_tracker, additional_events, domain)
    tracker = copy_tracker(current_tracker)
    tracker.sender_source = None
    form_events = [
        SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
        ActionExecuted(self.name()),
    ]
    for event in [*form_events, *additional_events]:
        tracker.update(event)
    return tracker


DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
FormAction._temporary_tracker = form_temporary_tracker  # type: ignore[method-assign]
DialogueStateTracker.copy = copy_tracker  # type: ignore[method-assign]
DialogueStateTracker._undo_till_previous = staticmethod(undo_till_previous)  # type: ignore[method-assign]
DialogueStateTracker._undo_till_previous_loop_execution = staticmethod(  # type: ignore[method-assign]
    undo_till_previous_loop_execution
)
