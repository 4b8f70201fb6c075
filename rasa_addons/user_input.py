"""What the channels accept from a client: checked sender ids, cleaned texts, small metadata.

Pure functions, shared by the REST and the socket.io channel. The limits are documented in the
README ("Limits") and docs/reliability.md.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "MAX_METADATA_BYTES",
    "MAX_SENDER_LENGTH",
    "MessageProblem",
    "WIDGET_PREFIX",
    "clean_metadata",
    "clean_text",
    "is_valid_sender",
    "is_widget_conversation_id",
    "message_problem",
]

MAX_MESSAGE_LENGTH = 2000
MAX_SENDER_LENGTH = 128
MAX_METADATA_BYTES = 4096
# The conversations of the website widget (socket.io) have ids of their own: this prefix and 32 hex
# characters. The REST channel refuses every sender starting with it.
WIDGET_PREFIX = "widget-"

_SENDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+-]*")
# C0 and C1 control characters except tab, newline and carriage return (NUL cannot be stored in
# PostgreSQL text), and lone UTF-16 surrogates (JSON "\ud800" decodes to one; it cannot be encoded).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class MessageProblem(enum.Enum):
    """Why a text is not passed on to the bot."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


def is_valid_sender(value: object) -> bool:
    """A sender id is 1-128 letters, digits and ``_ . : @ + -``, starting with a letter or digit."""
    return isinstance(value, str) and len(value) <= MAX_SENDER_LENGTH and _SENDER.fullmatch(value) is not None


def is_widget_conversation_id(sender: str) -> bool:
    """Whether ``sender`` is in the widget's namespace (any case of the prefix)."""
    return sender[: len(WIDGET_PREFIX)].lower() == WIDGET_PREFIX


def clean_text(text: str) -> str:
    """The text without control characters and lone surrogates, line endings as ``\\n``, stripped."""
    text = _SURROGATE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def message_problem(text: str) -> MessageProblem | None:
    """Whether a raw text is too long (counted before cleaning) or empty once cleaned."""
    if len(text) > MAX_MESSAGE_LENGTH:
        return MessageProblem.TOO_LONG
    if not clean_text(text):
        return MessageProblem.EMPTY
    return None


def clean_metadata(value: Any) -> dict[str, Any]:
    """Message metadata as a small JSON object: a JSON string is decoded; anything else is dropped."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return {}
    try:
        encoded = json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        return {}
    return value if len(encoded) <= MAX_METADATA_BYTES else {}
