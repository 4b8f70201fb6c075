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
* a slot event whose value is a list or a dict that changed only in part is stored as a delta
  (flag ``d``) against the previous value of the same slot in the conversation: the key
  ``"delta"`` in place of ``"value"``, holding for a list ``{"keep": n, "add": [...]}`` (the
  first ``n`` items of the previous value, then the added ones) and for a dict ``{"set": {...},
  "unset": [...], "change": {key: <delta of that key's value>}}`` (new or replaced keys, removed
  keys, keys whose list or dict value changed in part; empty parts left out). "The previous
  value" is that of the slot's previous slot event since the conversation's last
  ``session_started``, ``restart`` or ``reset_slots`` (:class:`SlotHistory`); the first set of a
  slot after one of those, and every :data:`FULL_EVERY`-th set, is stored whole, so a delta
  always refers to a row of the same session and a look-back is short;
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
for the nearest row with :func:`carried_by`. Likewise a slot delta needs the slot's previous
value: a read from the conversation's first row or from a session start has it; a read that
starts elsewhere asks :func:`needs_before` what it needs and looks back for it
(:func:`gives`), or is given the slot values it continues from (the incremental read: the
kept tracker's events, :meth:`SlotHistory.update`).

Imports nothing from Rasa, so the web app reads the rows with it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEFAULTS",
    "FULL_EVERY",
    "MARKER",
    "RESETS",
    "Carried",
    "Expander",
    "MissingBase",
    "MissingCarried",
    "Needs",
    "SlotHistory",
    "carried_by",
    "compact",
    "dumps",
    "expand",
    "gives",
    "needs_before",
    "needs_carried",
]

MARKER = "_c"
CARRIED = "m"  # metadata.model_id and metadata.assistant_id are the carried ones
TEMPLATE = "t"  # metadata.template equals metadata.utter_action
ESCAPED = "="  # the row is {"_c": "=", "event": <the event as it was>} (an event holding "_c")
DELTA = "d"  # a slot event's "value" is stored as "delta" against the slot's previous value
FULL_EVERY = 20  # every 20th set of a slot after a reset is stored whole (0th, 20th, ...)
# events after which every slot's next set is stored whole (they reset the tracker's slots)
RESETS = frozenset({"session_started", "restart", "reset_slots"})
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


class MissingBase(ValueError):
    """A slot delta needs the slot's previous value, and no earlier row gave it."""


def _json_copy(value: Any) -> Any:
    """The value as the rows give it back: a fresh copy through JSON."""
    return json.loads(json.dumps(value))


def _same_json(one: Any, other: Any) -> bool:
    return json.dumps(one) == json.dumps(other)


class SlotHistory:
    """Each slot's value in its last slot event since the last reset (:data:`RESETS`), and how often
    it was set since then: what a delta refers to. The writer builds it from the events before the
    ones it stores, the reader from the rows it read (:class:`Expander`), both in stored order."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[Any, bool]] = {}  # name: (value, already as JSON gives it)
        self.sets: dict[str, int] = {}

    def reset(self) -> None:
        self._values.clear()
        self.sets.clear()

    def set(self, name: str, value: Any, fresh: bool = False) -> None:
        self._values[name] = (value, fresh)
        self.sets[name] = self.sets.get(name, 0) + 1

    def update(self, event: Mapping[str, Any], fresh: bool = False) -> None:
        """Follows one event dict (``fresh``: its value is as JSON gives it, e.g. read from a row;
        else it is copied through JSON when first used as a base)."""
        kind = event.get("event")
        if kind in RESETS:
            self.reset()
        elif kind == "slot" and isinstance(event.get("name"), str):
            self.set(event["name"], event.get("value"), fresh)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def names(self) -> set[str]:
        return set(self._values)

    def base(self, name: str) -> Any:
        """The slot's last value as a reader has it (KeyError: not set since the last reset)."""
        value, fresh = self._values[name]
        if not fresh:
            value = _json_copy(value)
            self._values[name] = (value, True)
        return value


def _diff(base: Any, value: Any) -> Any:
    """A delta that turns ``base`` into ``value`` (both as JSON gives them), or None."""
    if isinstance(base, list) and isinstance(value, list):
        head = value[: len(base)]
        if head == base and _same_json(head, base):  # only added (the usual case): one comparison
            keep = len(base)
        else:
            keep = 0
            for old, new in zip(base, value, strict=False):
                if old != new or not _same_json(old, new):  # != : cheap; JSON: 1 and True differ
                    break
                keep += 1
        delta: dict[str, Any] = {"keep": keep}
        if len(value) > keep:
            delta["add"] = value[keep:]
        return delta
    if isinstance(base, dict) and isinstance(value, dict):
        replaced: dict[str, Any] = {}
        changed: dict[str, Any] = {}
        for key, new in value.items():
            if key not in base:
                replaced[key] = new
            elif base[key] != new or not _same_json(base[key], new):
                inner = _diff(base[key], new)
                if inner is not None and len(dumps(inner)) < len(dumps(new)):
                    changed[key] = inner
                else:
                    replaced[key] = new
        delta = {}
        if replaced:
            delta["set"] = replaced
        removed = [key for key in base if key not in value]
        if removed:
            delta["unset"] = removed
        if changed:
            delta["change"] = changed
        return delta
    return None


def _apply(base: Any, delta: Any) -> Any:
    """``base`` with ``delta`` applied (ValueError: the delta does not fit the base)."""
    if not isinstance(delta, dict):
        raise ValueError("a slot delta is a JSON object")
    if isinstance(base, list):
        keep, added = delta.get("keep"), delta.get("add", [])
        if not isinstance(keep, int) or not 0 <= keep <= len(base) or not isinstance(added, list):
            raise ValueError("a list delta keeps part of the previous list and adds a list")
        if set(delta) - {"keep", "add"}:
            raise ValueError("unknown keys in a list delta")
        return [*base[:keep], *added]
    if isinstance(base, dict):
        replaced, removed, changed = delta.get("set", {}), delta.get("unset", []), delta.get("change", {})
        if (
            not isinstance(replaced, dict)
            or not isinstance(removed, list)
            or not isinstance(changed, dict)
            or set(delta) - {"set", "unset", "change"}
            or any(key not in base for key in changed)
        ):
            raise ValueError("a dict delta sets, unsets and changes keys of the previous dict")
        result = {}
        for key, old in base.items():
            if key in removed:
                continue
            if key in changed:
                result[key] = _apply(old, changed[key])
            else:
                result[key] = replaced.get(key, old)
        result.update((key, new) for key, new in replaced.items() if key not in base)
        return result
    raise ValueError("a slot delta needs a previous list or dict")


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


def _is_delta(row: Any) -> bool:
    flags = _flags(row) if isinstance(row, dict) else None
    return flags is not None and DELTA in flags and ESCAPED not in flags


def _slot_name(row: Any) -> str | None:
    """The slot a row sets (as stored: compact, full or escaped), else None."""
    if not isinstance(row, dict):
        return None
    flags = _flags(row)
    if flags is not None and ESCAPED in flags:
        row = row.get("event")
        if not isinstance(row, dict):
            return None
    if row.get("event") == "slot" and isinstance(row.get("name"), str):
        return row["name"]
    return None


def _kind(row: Any) -> Any:
    if not isinstance(row, dict):
        return None
    flags = _flags(row)
    if flags is not None and ESCAPED in flags:
        original = row.get("event")
        return original.get("event") if isinstance(original, dict) else None
    return row.get("event")


@dataclass
class Needs:
    """What expanding some rows needs from the rows before them: the carried model id, and the
    previous values of these slots."""

    carried: bool = False
    slots: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.carried or bool(self.slots)


def needs_before(rows: Iterable[Any]) -> Needs:
    """What expanding these rows (in stored order) needs from the rows before them."""
    needs = Needs()
    carried_known = False
    seen: set[str] = set()
    reset = False
    for row in rows:
        if not carried_known:
            if _needs(row):
                needs.carried = True
                carried_known = True
            elif carried_by(row) is not None:
                carried_known = True
        if not reset:
            if _kind(row) in RESETS:
                reset = True
            else:
                name = _slot_name(row)
                if name is not None:
                    if name not in seen and _is_delta(row):
                        needs.slots.add(name)
                    seen.add(name)
        if carried_known and reset:
            break
    return needs


def gives(row: Any, needs: Needs) -> Needs:
    """What is still needed before ``row`` once ``row`` (read backwards) is known."""
    carried = needs.carried and carried_by(row) is None
    if _kind(row) in RESETS:
        return Needs(carried, set())
    name = _slot_name(row)
    slots = needs.slots
    if name in slots and not _is_delta(row):
        slots = slots - {name}
    return Needs(carried, set(slots))


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


def _with_delta(row: dict[str, Any], event: Mapping[str, Any], history: SlotHistory) -> dict[str, Any]:
    """The compact row of a slot event with its value as a delta, when one is worth it (else the row)."""
    name, value = event.get("name"), event.get("value")
    if (
        event.get("event") != "slot"
        or not isinstance(name, str)
        or name not in history
        or history.sets.get(name, 0) % FULL_EVERY == 0
        or "value" not in row
        or "delta" in event
        or MARKER not in row
    ):
        return row
    if not isinstance(value, list | tuple | dict):
        return row
    try:
        delta = _diff(history.base(name), _json_copy(value))
    except (TypeError, ValueError):
        return row
    if delta is None or len(dumps(delta)) >= len(dumps(value)):
        return row
    flags = row[MARKER] + DELTA
    return {
        **{
            ("delta" if key == "value" else key): (delta if key == "value" else item)
            for key, item in row.items()
        },
        MARKER: flags,
    }


def compact(events: Iterable[Mapping[str, Any]], history: SlotHistory | None = None) -> list[dict[str, Any]]:
    """One saved batch of event dicts (``Event.as_dict()``, in order) as the rows to store.

    The first event with a model_id and assistant_id keeps them; every row expands to its event
    exactly (checked here; an event the rules cannot reproduce is stored in full). ``history``:
    the slot values of the conversation's stored events before these (:class:`SlotHistory`, it
    is brought up to date with these events); without it, a slot delta refers only to an
    earlier event of this batch."""
    rows: list[dict[str, Any]] = []
    carried: Carried | None = None
    history = history if history is not None else SlotHistory()
    for event in events:
        original = dict(event)
        if MARKER in original:
            row: dict[str, Any] = {MARKER: ESCAPED, "event": original}
        else:
            row = _compact_one(original, carried)
            candidates = [row]
            delta_row = _with_delta(row, original, history)
            if delta_row is not row:
                candidates.insert(0, delta_row)
            for candidate in candidates:
                try:
                    expanded = _expand_one(candidate, carried, strict=True, slots=history)
                    same = json.dumps(expanded) == json.dumps(original)
                except (MissingCarried, MissingBase, TypeError, ValueError):
                    same = False
                if same:
                    row = candidate
                    break
            else:
                row = original
        rows.append(row)
        given = carried_by(row)
        carried = given if given is not None else carried
        history.update(original)
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


def _resolve_delta(row: Mapping[str, Any], slots: SlotHistory | None, strict: bool) -> dict[str, Any]:
    """The row with its "delta" replaced by the value it gives (in the same place)."""
    name = row.get("name")
    if slots is None or not isinstance(name, str) or name not in slots:
        if strict:
            raise MissingBase(f"the row needs the previous value of the slot {name!r}")
        value = None
    else:
        try:
            # new containers where the delta changes something; the parts kept are shared with the
            # previous value (nothing here changes a value in place)
            value = _apply(slots.base(name), row.get("delta"))
        except (TypeError, ValueError):
            if strict:
                raise
            value = None
    return {
        ("value" if key == "delta" else key): (value if key == "delta" else item) for key, item in row.items()
    }


def _expand_one(
    row: Mapping[str, Any], carried: Carried | None, strict: bool, slots: SlotHistory | None = None
) -> dict[str, Any]:
    flags = _flags(row)
    if flags is None:
        return dict(row)
    if ESCAPED in flags:
        original = row.get("event")
        return dict(original) if isinstance(original, dict) else dict(row)
    if DELTA in flags and "delta" in row:
        row = _resolve_delta(row, slots, strict)
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
    forward and following the slot values that slot deltas refer to. ``carried``: what the rows
    before the first one gave (see :func:`carried_by`); ``slots``: the slot values they gave
    (see :class:`SlotHistory`; it is followed on from there). ``strict``: a row that needs a
    carried model id or a slot's previous value when none is known raises
    :class:`MissingCarried` or :class:`MissingBase`; otherwise its metadata is restored without
    the model id, and the slot's value is None."""

    def __init__(
        self, carried: Carried | None = None, strict: bool = True, slots: SlotHistory | None = None
    ) -> None:
        self.carried = carried
        self.strict = strict
        self.slots = slots if slots is not None else SlotHistory()

    def __call__(self, row: Mapping[str, Any]) -> dict[str, Any]:
        event = _expand_one(row, self.carried, self.strict, self.slots)
        given = carried_by(row)
        if given is not None:
            self.carried = given
        self.slots.update(event, fresh=True)  # the rows are JSON as read from the data column
        return event


def expand(
    rows: Iterable[Mapping[str, Any]],
    carried: Carried | None = None,
    strict: bool = True,
    slots: SlotHistory | None = None,
) -> list[dict[str, Any]]:
    """The event dicts Rasa wrote, from stored rows (compact or full) of one conversation in
    stored order; ``carried``, ``strict`` and ``slots`` as for :class:`Expander`."""
    expander = Expander(carried, strict, slots)
    return [expander(row) for row in rows]
