"""No failure without a reply: a message the bot could not handle gets a Dutch reply on its channel.

Rasa's REST channel logs any exception and answers ``200 []``; its socket.io channel drops the
message (python-socketio logs the exception). Both channels here hand the message to the bot with
``handle``, which answers a failure itself: ``utter_storage_unavailable`` when the conversation
database is down, ``utter_request_failed`` for anything else (a ``LockError``, Redis down, a bug),
logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from rasa_addons.replies import reply_text
from rasa_addons.tracker_store import StorageUnavailable

__all__ = ["handle"]

logger = logging.getLogger(__name__)


async def handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> str | None:
    """Passes ``message`` to the bot; on a failure sends the Dutch reply and returns its code."""
    try:
        await on_new_message(message)
    except StorageUnavailable:
        code, name = "storage_unavailable", "utter_storage_unavailable"
    except Exception:
        logger.exception("A message of %s failed; the user is told to send it again.", message.sender_id)
        code, name = "failed", "utter_request_failed"
    else:
        return None
    await message.output_channel.send_text_message(message.sender_id, reply_text(name))
    return code
