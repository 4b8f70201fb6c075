"""Rasa's stored events, written compactly and read back exactly as Rasa wrote them.

Rasa's SQL tracker store writes every event as ``json.dumps(event.as_dict())`` into the ``data``
column of the ``events`` table. Most of those bytes repeat what is known anyway: every event
carries the model's ``model_id`` and ``assistant_id``, bot messages six ``null`` attachments,
user messages their text and message id twice, actions ``"action_text": null``. Here one saved
batch of event dicts (what one ``save`` writes: one process, one model) becomes rows that leave
that out, and the rows become the same dicts again:

* a key holding its event type's null or default value (:data:`DEFAULTS`, the bot message's
  ``data`` attachments) is left out, and restored when absent;
* ``parse_data.text`` and ``parse_data.message_id`` are left out when they equal the user
  event's own ``text`` and ``message_id``, ``parse_data.intent`` when it equals the first entry
  of ``parse_data.intent_ranking``, and ``parse_data.entities`` / ``parse_data.metadata`` when
  empty;
* ``metadata.model_id`` and ``metadata.assistant_id`` are kept on the first event of the batch
  that has them; on the later events they are left out (flag ``m``) and carried forward from the
  nearest earlier row that has them (:class:`Expander`);
* a bot message's ``metadata.template``, equal to its ``metadata.utter_action``, is left out
  (flag ``t``);
* the JSON has no spaces after separators and keeps non-ASCII characters as they are
  (:func:`dumps`): still plain, readable JSON.

A compact row has the key ``"_c"`` (:data:`MARKER`, Rasa never writes it) holding its flags,
``""`` when it has none (an event that has the key itself is kept whole: ``{"_c": "=", "event":
<the event>}``). A row without it (every row written before this codec, or an event the
rules cannot reproduce exactly) is read as it is. :func:`compact` checks every row it makes:
when expanding it does not give the event's JSON back character for character (key order
included), the event is written in full. So the rows always read back to the dicts Rasa wrote.

Reading from a later row onward works as long as the first row read that needs the carried
metadata comes after a row that has it; each saved batch starts with one, so a read that starts
at a batch's first row needs nothing earlier. A read that may start inside a batch (Rasa's
latest-session read starts at the session's start) checks :func:`needs_carried` and looks back
for the nearest row with :func:`carried_by`.

Imports nothing from Rasa, so the web app reads the rows with it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "DEFAULTS",
    "MARKER",
    "Carried",
    "Expander",
    "MissingCarried",
    "carried_by",
    "compact",
    "dumps",
    "expand",
    "needs_carried",
]

MARKER = "_c"
CARRIED = "m"  # metadata.model_id and metadata.assistant_id are the carried ones
TEMPLATE = "t"  # metadata.template equals metadata.utter_action
ESCAPED = "="  # the row is {"_c": "=", "event": <the event as it was>} (an event holding "_c")
MODEL_KEYS = ("model_id", "assistant_id")

# model_id and assistant_id, as the tracker appends them to every event's metadata
Carried = dict[str, Any]

# Per event type, the keys Rasa's Event.as_dict() writes after "event", "timestamp" and
# "metadata", in its order, with the value a compact row leaves out (_NO_DEFAULT: always kept).
_NO_DEFAULT = object()
DEFAULTS: dict[str, dict[str, Any]] = {
    "user": {"text": None, "parse_data": _NO_DEFAULT, "input_channel": None, "message_id": None},
    "bot": {"text": None, "data": _NO_DEFAULT},
    "action": {
        "name": _NO_DEFAULT,
        "policy": None,
        "confidence": None,
        "action_text": None,
        "hide_rule_turn": False,
    },
    "slot": {"name": _NO_DEFAULT, "value": None},
    "active_loop": {"name": None},
    "user_featurization": {"use_text_for_featurization": False},
    "action_execution_rejected": {"name": _NO_DEFAULT, "policy": None, "confidence": None},
    "loop_interrupted": {"is_interrupted": False},
    "followup": {"name": _NO_DEFAULT},
}
_BOT_DATA = ("elements", "quick_replies", "buttons", "attachment", "image", "custom")
_PARSE_DATA = ("intent", "entities", "text", "message_id", "metadata")


class MissingCarried(ValueError):
    """A row's metadata needs the carried model_id and assistant_id, and no earlier row gave them."""


def dumps(row: Mapping[str, Any]) -> str:
    """A row as JSON: no spaces after separators, non-ASCII characters kept (escaped only when
    the text cannot be encoded as UTF-8, e.g. a lone surrogate)."""
    text = json.dumps(row, separators=(",", ":"), ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(row, separators=(",", ":"))
    return text


def _same(value: Any, default: Any) -> bool:
    return type(value) is type(default) and value == default


def _model_part(metadata: Any) -> Carried | None:
    """model_id and assistant_id when they end the metadata, in that order (as Rasa appends them)."""
    if isinstance(metadata, dict) and tuple(metadata)[-2:] == MODEL_KEYS:
        return {key: metadata[key] for key in MODEL_KEYS}
    return None


def _flags(row: Mapping[str, Any]) -> str | None:
    flags = row.get(MARKER)
    return flags if isinstance(flags, str) else None


def carried_by(row: Any) -> Carried | None:
    """The model_id and assistant_id this row gives the rows after it (None: it gives none)."""
    if not isinstance(row, dict):
        return None
    flags = _flags(row)
    if flags is not None and CARRIED in flags:
        return None
    if flags is not None and ESCAPED in flags:
        original = row.get("event")
        return _model_part(original.get("metadata")) if isinstance(original, dict) else None
    return _model_part(row.get("metadata"))


def _needs(row: Any) -> bool:
    """Whether this row's metadata is restored from the carried model_id and assistant_id."""
    flags = _flags(row) if isinstance(row, dict) else None
    return flags is not None and CARRIED in flags


def needs_carried(rows: Iterable[Any]) -> bool:
    """Whether expanding these rows (in stored order) needs the model_id and assistant_id of a
    row before them: a row needs them before any row gives them."""
    for row in rows:
        if _needs(row):
            return True
        if carried_by(row) is not None:
            return False
    return False


# --- writing ---------------------------------------------------------------------------------


def _compact_metadata(metadata: Any, carried: Carried | None) -> tuple[Any, str]:
    """The metadata to store (None: leave the key out) and its flags."""
    if not isinstance(metadata, dict):
        return metadata, ""
    flags = ""
    if carried is not None and _model_part(metadata) == carried:
        metadata = {key: value for key, value in metadata.items() if key not in MODEL_KEYS}
        flags += CARRIED
    keys = tuple(metadata)
    if (
        "template" in keys
        and "utter_action" in keys
        and keys.index("template") == keys.index("utter_action") + 1
        and _same(metadata["template"], metadata["utter_action"])
    ):
        metadata = {key: value for key, value in metadata.items() if key != "template"}
        flags += TEMPLATE
    if CARRIED in flags and not metadata:
        return None, flags
    return metadata, flags


def _compact_parse_data(parse_data: Any, event: Mapping[str, Any]) -> Any:
    if not isinstance(parse_data, dict):
        return parse_data
    ranking = parse_data.get("intent_ranking")
    compacted = {}
    for key, value in parse_data.items():
        if key == "intent" and isinstance(ranking, list) and ranking and value == ranking[0]:
            continue
        if key in ("text", "message_id") and key in event and _same(value, event[key]):
            continue
        if (key == "entities" and _same(value, [])) or (key == "metadata" and _same(value, {})):
            continue
        compacted[key] = value
    return compacted


def _compact_bot_data(data: Any) -> Any:
    if not isinstance(data, dict) or not all(key in data for key in _BOT_DATA):
        return data
    return {key: value for key, value in data.items() if not (key in _BOT_DATA and value is None)}


def _compact_one(event: dict[str, Any], carried: Carried | None) -> dict[str, Any]:
    kind = event.get("event")
    defaults = DEFAULTS.get(kind, {}) if isinstance(kind, str) else {}
    row: dict[str, Any] = {}
    flags = ""
    for key, value in event.items():
        if key == "metadata":
            value, flags = _compact_metadata(value, carried)
            if value is None and flags:
                continue
        elif key in defaults and defaults[key] is not _NO_DEFAULT and _same(value, defaults[key]):
            continue
        elif kind == "user" and key == "parse_data":
            value = _compact_parse_data(value, event)
        elif kind == "bot" and key == "data":
            value = _compact_bot_data(value)
            if value == {}:
                continue
        row[key] = value
    row[MARKER] = flags
    return row


def compact(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One saved batch of event dicts (``Event.as_dict()``, in order) as the rows to store.

    The first event with a model_id and assistant_id keeps them; every row expands to its event
    exactly (checked here; an event the rules cannot reproduce is stored in full)."""
    rows: list[dict[str, Any]] = []
    carried: Carried | None = None
    for event in events:
        original = dict(event)
        if MARKER in original:
            row: dict[str, Any] = {MARKER: ESCAPED, "event": original}
        else:
            row = _compact_one(original, carried)
            try:
                same = json.dumps(_expand_one(row, carried, strict=True)) == json.dumps(original)
            except (MissingCarried, TypeError, ValueError):
                same = False
            if not same:
                row = original
        rows.append(row)
        given = carried_by(row)
        carried = given if given is not None else carried
    return rows


# --- reading ---------------------------------------------------------------------------------


def _expand_metadata(row: Mapping[str, Any], flags: str, carried: Carried | None, strict: bool) -> Any:
    metadata = row.get("metadata", {} if CARRIED in flags else None)
    if not isinstance(metadata, dict):
        return metadata
    if TEMPLATE in flags:
        with_template: dict[str, Any] = {}
        for key, value in metadata.items():
            with_template[key] = value
            if key == "utter_action":
                with_template["template"] = value
        metadata = with_template
    if CARRIED in flags:
        if carried is None:
            if strict:
                raise MissingCarried("the row needs the model_id and assistant_id of an earlier row")
        else:
            metadata = {**metadata, **carried}
    return metadata


def _expand_parse_data(parse_data: Any, row: Mapping[str, Any]) -> Any:
    if not isinstance(parse_data, dict):
        return parse_data
    ranking = parse_data.get("intent_ranking")
    restored = {
        "intent": dict(ranking[0])
        if isinstance(ranking, list) and ranking and isinstance(ranking[0], dict)
        else None,
        "entities": [],
        "text": row.get("text"),
        "message_id": row.get("message_id"),
        "metadata": {},
    }
    expanded = {key: parse_data[key] if key in parse_data else restored[key] for key in _PARSE_DATA}
    expanded.update((key, value) for key, value in parse_data.items() if key not in _PARSE_DATA)
    return expanded


def _expand_bot_data(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    expanded = {key: data.get(key) for key in _BOT_DATA}
    expanded.update((key, value) for key, value in data.items() if key not in _BOT_DATA)
    return expanded


def _expand_one(row: Mapping[str, Any], carried: Carried | None, strict: bool) -> dict[str, Any]:
    flags = _flags(row)
    if flags is None:
        return dict(row)
    if ESCAPED in flags:
        original = row.get("event")
        return dict(original) if isinstance(original, dict) else dict(row)
    kind = row.get("event")
    defaults = DEFAULTS.get(kind, {}) if isinstance(kind, str) else {}
    event: dict[str, Any] = {}
    for key in ("event", "timestamp"):
        if key in row:
            event[key] = row[key]
    metadata = _expand_metadata(row, flags, carried, strict)
    if metadata or CARRIED in flags:  # empty metadata: where the row has it (Rasa puts it last)
        event["metadata"] = metadata
    for key, default in defaults.items():
        if key in row:
            event[key] = row[key]
        elif default is not _NO_DEFAULT:
            event[key] = default
        elif kind == "bot" and key == "data":
            event[key] = {}
    event.update(
        (key, metadata if key == "metadata" else value)
        for key, value in row.items()
        if key not in event and key != MARKER
    )
    if kind == "user" and "parse_data" in event:
        event["parse_data"] = _expand_parse_data(event["parse_data"], event)
    if kind == "bot" and "data" in event:
        event["data"] = _expand_bot_data(event["data"])
    return event


class Expander:
    """Expands the rows of one conversation in stored order, carrying model_id and assistant_id
    forward. ``carried``: what the rows before the first one gave (see :func:`carried_by`).
    ``strict``: a row that needs them when none are known raises :class:`MissingCarried`;
    otherwise its metadata is restored without them."""

    def __init__(self, carried: Carried | None = None, strict: bool = True) -> None:
        self.carried = carried
        self.strict = strict

    def __call__(self, row: Mapping[str, Any]) -> dict[str, Any]:
        event = _expand_one(row, self.carried, self.strict)
        given = carried_by(row)
        if given is not None:
            self.carried = given
        return event


def expand(
    rows: Iterable[Mapping[str, Any]], carried: Carried | None = None, strict: bool = True
) -> list[dict[str, Any]]:
    """The event dicts Rasa wrote, from stored rows (compact or full) of one conversation in
    stored order; ``carried`` and ``strict`` as for :class:`Expander`."""
    expander = Expander(carried, strict)
    return [expander(row) for row in rows]
