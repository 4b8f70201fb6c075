"""The ``roleplay_state`` slot: the whole rehearsal, a :class:`bot.roleplay.RoleplayState` as plain data.

Every field of the state and of its records is a key (in field order); tuples are lists, Decimals
strings and enums their values. Only the actions read it, strictly: :func:`state_from_slot` raises
ValueError for anything :func:`state_to_slot` did not make (a missing or extra key, an amount as a
float, an unknown frequency), except a state stored before ``said`` and ``last_line`` existed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.roleplay import (
    NamedPrice,
    ObjectionRecord,
    OfferedDiscount,
    QuantifiedValue,
    RevealedFact,
    RoleplayState,
    SeenMove,
)
from bot.slot_shapes.scorecard import RecordedFlag
from bot.value_model import Category, Frequency

__all__ = ["state_from_slot", "state_to_slot"]

_RECORDS: dict[str, type] = {
    "facts": RevealedFact,
    "objections": ObjectionRecord,
    "moves": SeenMove,
    "values": QuantifiedValue,
    "discounts": OfferedDiscount,
    "coaching_flags": RecordedFlag,
}
_DECODE = {
    "amount": Decimal,
    "one_off": Decimal,
    "per_year": Decimal,
    "frequency": Frequency,
    "category": Category,
}
_STATE_DEFAULTS = {"said": 0, "last_line": ""}


def state_to_slot(state: RoleplayState) -> dict[str, Any]:
    """The state as the slot's value."""
    return _encode(state)


def state_from_slot(data: Mapping[str, Any]) -> RoleplayState:
    """The state :func:`state_to_slot` stored; ValueError for anything else."""
    try:
        if isinstance(data, Mapping):  # a state stored before these keys existed
            data = {**_STATE_DEFAULTS, **data}
        values = _fields_of(RoleplayState, data)
        for key, record in _RECORDS.items():
            values[key] = tuple(_decode(record, item) for item in values[key])
        if values["price"] is not None:
            values["price"] = _decode(NamedPrice, values["price"])
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise ValueError(f"not a rehearsal state: {error}") from error
    return RoleplayState(**values)


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _encode(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _fields_of(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise TypeError(f"expected a mapping, got {data!r}")
    names = {item.name for item in fields(cls)}
    if set(data) != names:
        raise ValueError(f"{cls.__name__} needs the keys {sorted(names)}, got {sorted(data)}")
    return dict(data)


def _decode(cls: type, data: Any) -> Any:
    values = _fields_of(cls, data)
    for key, convert in _DECODE.items():
        if key in values:
            if isinstance(values[key], float):
                raise TypeError(f"{key!r} must be a decimal string, not a float")
            values[key] = convert(values[key])
    return cls(**values)
