"""When the action server fails, the user hears it in Dutch and can simply say it again.

Rasa 3.6 logs a failed custom action ("Bot will continue, but the actions events are lost") and
goes on predicting as if it had run: the user gets no answer, or one that does not fit. Here,
when a custom action fails during a turn (server down or killed, connection lost, an error
status), the turn ends with ``utter_action_server_down`` and the user's message is reverted
(``UserUtteranceReverted``, then listening again): the message and the apology stay in the
transcript, and the
conversation carries on from where it was once the action server is back.

A call that gets no answer within ``WAARDECOACH_ACTION_TIMEOUT`` seconds (10 unless set; Rasa's own
wait is 300 s) is a failure too: the request is cancelled and the user gets the same apology.

Applied when Rasa imports this package (``rasa_addons/__init__.py``).
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextvars import ContextVar
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted

from rasa_addons.replies import reply_text

__all__ = ["APOLOGY_RESPONSE", "TIMEOUT_VARIABLE", "action_timeout"]

logger = logging.getLogger(__name__)

APOLOGY_RESPONSE = "utter_action_server_down"
TIMEOUT_VARIABLE = "WAARDECOACH_ACTION_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 10.0


def action_timeout() -> float:
    """Seconds to wait for one call of the action server (``WAARDECOACH_ACTION_TIMEOUT``)."""
    value = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    try:
        seconds = float(value) if value else DEFAULT_TIMEOUT_SECONDS
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a positive number of seconds, not {value!r}")
    return seconds


_timeout = action_timeout()  # read once: a wrong value stops Rasa at start-up

# The names of the custom actions that failed during the action being run (a form's validation
# runs inside the form action, so a list collects them for the outermost action).
_failed_actions: ContextVar[list[str] | None] = ContextVar("failed_actions", default=None)

_remote_run = RemoteAction.run
_run_action = MessageProcessor._run_action


async def _run_remote_action(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    try:
        return await asyncio.wait_for(_remote_run(self, *args, **kwargs), _timeout)
    except ActionExecutionRejection:
        raise  # the action itself rejected the input (a form slot it cannot fill): not a failure
    except Exception as error:
        if isinstance(error, asyncio.TimeoutError):
            logger.error("Custom action %s: no answer from the action server in %s s.", self.name(), _timeout)
        failed = _failed_actions.get()
        if failed is not None:
            failed.append(self.name())
        raise


async def _run_action_or_apologise(
    self: MessageProcessor, action: Any, tracker: Any, output_channel: Any, nlg: Any, prediction: Any
) -> bool:
    failed: list[str] = []
    token = _failed_actions.set(failed)
    logged = len(tracker.events)
    try:
        should_predict_another = await _run_action(self, action, tracker, output_channel, nlg, prediction)
    finally:
        _failed_actions.reset(token)
    if not failed:
        return should_predict_another
    logger.error(
        "Custom action %s failed (action server down?): apologised to %s and reverted their message.",
        ", ".join(failed),
        tracker.sender_id,
    )
    # Forget that the failed action ran: a form's second run would otherwise fold the turns since
    # its first run away, and reverting the message would then undo the whole form.
    while len(tracker.events) > logged:
        tracker.events.pop()
    tracker._reset()
    tracker.replay_events()
    apology = [BotUttered(reply_text(APOLOGY_RESPONSE), metadata={"utter_action": APOLOGY_RESPONSE})]
    # Reverting the message also undoes the action_listen before it (Rasa's rule); listening again
    # puts the conversation exactly where it was before the message.
    tracker.update_with_events(
        [*apology, UserUtteranceReverted(), ActionExecuted(ACTION_LISTEN_NAME)], self.domain
    )
    await self.execute_side_effects(apology, tracker, output_channel)
    return False


RemoteAction.run = _run_remote_action  # type: ignore[method-assign]
MessageProcessor._run_action = _run_action_or_apologise  # type: ignore[method-assign]
