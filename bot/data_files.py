"""Shared helpers for the trainer-editable YAML data files in this package.

The coaching rules, the roleplay moves, the personas and the scorecard rubric are YAML
files that trainers edit without touching code. Each is read once at start-up and
validated strictly; every problem raises a :class:`DataFileError` (a subclass per file)
whose message names the file, the entry (``rules[2] (id 'asap')``, nested entries joined
with `` > ``) and what is wrong, in English for developers and trainers.

Besides loading, this module holds the regex matching that the rule-like files share
(:func:`sentence_spans`, :func:`first_unexcused`): patterns are matched one sentence at a
time, and an occurrence is excused when an ``unless`` guard overlaps it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

import yaml

__all__ = [
    "SNAKE_CASE",
    "DataFileError",
    "Where",
    "all_keys",
    "check_examples",
    "check_keys",
    "entry_list",
    "first_unexcused",
    "open_entry",
    "parse_entries",
    "read_mapping_file",
    "regexes",
    "sentence_spans",
    "snake_id",
    "string_list",
    "text",
]

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

# A sentence ends at . ! ? ; followed by whitespace (or the end), and at a line break.
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
# Text just before a full stop that makes the stop part of an abbreviation, not a sentence end.
_ABBREVIATION = re.compile(
    r"(?:(?<![^\W\d_])(?:[^\W\d_]\.)+[^\W\d_]"  # z.s.m / o.a / d.w.z
    r"|\b(?:bijv|bv|ca|evt|incl|excl|nr|tel|dhr|mevr|enz|etc))$",
    re.IGNORECASE,
)


class DataFileError(ValueError):
    """A data file cannot be used; the message says where and what is wrong."""


# -- matching ---------------------------------------------------------------------------


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the sentences in ``text``, without surrounding whitespace.

    A sentence ends at ``.``, ``!``, ``?`` or ``;`` followed by whitespace (the mark stays in
    the sentence) and at a line break; a full stop after a dotted abbreviation (``z.s.m.``)
    or a short one (``bijv``, ``ca``, ...) does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        if end_mark.group() == "." and _ABBREVIATION.search(
            text, max(0, end_mark.start() - 40), end_mark.start()
        ):
            continue
        spans.append((start, end_mark.end()))
        start = end_mark.end()
    spans.append((start, len(text)))
    stripped = []
    for begin, end in spans:
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if begin + lead < end - trail:
            stripped.append((begin + lead, end - trail))
    return stripped


def _excused(sentence: str, start: int, end: int, guards: Sequence[re.Pattern[str]]) -> bool:
    """True when a guard matches a stretch of ``sentence`` that overlaps ``start:end``."""
    return any(
        guard_match.start() < end and start < guard_match.end()
        for guard in guards
        for guard_match in guard.finditer(sentence)
    )


def first_unexcused(
    sentence: str, patterns: Sequence[re.Pattern[str]], unless: Sequence[re.Pattern[str]]
) -> tuple[int, int] | None:
    """The span of the first occurrence of any pattern in ``sentence`` that no guard excuses.

    First means the earliest start, the longest on a tie; empty matches do not count.
    """
    hits = sorted(
        (match.start(), -match.end())
        for pattern in patterns
        for match in pattern.finditer(sentence)
        if match.end() > match.start()
    )
    for start, negative_end in hits:
        if not _excused(sentence, start, -negative_end, unless):
            return start, -negative_end
    return None


# -- loading ----------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""


def _construct_unique_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str) and key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"key {key!r} is given twice", key_node.start_mark
            )
        if isinstance(key, str):
            seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


@dataclass(frozen=True)
class Where:
    """Where in a data file a problem is: the file and the trail of entries leading to it."""

    path: Path
    error: type[DataFileError]
    trail: tuple[str, ...] = ()

    def entry(self, section: str, index: int | None = None, entry_id: str | None = None) -> Where:
        """A place one level deeper: ``section[index] (id 'entry_id')``."""
        label = section
        if index is not None:
            label += f"[{index}]"
        if entry_id is not None:
            label += f" (id {entry_id!r})"
        return Where(self.path, self.error, (*self.trail, label))

    def fail(self, what: str) -> NoReturn:
        """Raise this file's error with a message naming the file, the entry and ``what``."""
        place = str(self.path)
        if self.trail:
            place += ": " + " > ".join(self.trail)
        raise self.error(f"{place}: {what}")


def _read_yaml(where: Where, noun: str) -> Any:
    try:
        source = where.path.read_text(encoding="utf-8")
    except FileNotFoundError:
        where.fail(f"the {noun} does not exist")
    except (OSError, UnicodeDecodeError) as error:
        where.fail(f"cannot read the {noun} ({error})")
    try:
        return yaml.load(source, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        where.fail(f"not valid YAML: {' '.join(str(error).split())}")


def read_mapping_file(
    path: Path, error: type[DataFileError], noun: str, version: int, keys: Sequence[str]
) -> tuple[Where, dict[str, Any]]:
    """Read a data file that is a mapping with the given top-level ``keys`` and ``version``.

    ``noun`` names the file in messages ("rule file", "persona file").
    """
    where = Where(path, error)
    data = _read_yaml(where, noun)
    if not isinstance(data, dict):
        where.fail(f"the file must be a mapping with the keys {' and '.join(keys)}, got {data!r}")
    check_keys(where, data, keys, "the file")
    found = data.get("version")
    if type(found) is not int or found != version:
        where.fail(f"'version' must be {version}, got {found!r}")
    return where, data


def entry_list(where: Where, data: Mapping[str, Any], key: str, what: str) -> list[Any]:
    """The non-empty list under ``key``; ``what`` names its items in the message ("rules")."""
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        where.fail(f"{key!r} must be a non-empty list of {what}, got {entries!r}")
    return entries


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Entry = TypeVar("_Entry", bound=_Identified)


def parse_entries(
    where: Where,
    data: Mapping[str, Any],
    key: str,
    what: str,
    parse: Callable[[Where, int, Any, frozenset[str]], _Entry],
) -> tuple[_Entry, ...]:
    """Parse each item of the non-empty list under ``key`` with ``parse``.

    ``parse`` gets the file's place, the item's index, the item and the ids of the items
    before it (to refuse a duplicate id).
    """
    entries: list[_Entry] = []
    for index, raw in enumerate(entry_list(where, data, key, what)):
        entries.append(parse(where, index, raw, frozenset(entry.id for entry in entries)))
    return tuple(entries)


def check_keys(where: Where, data: Mapping[Any, Any], allowed: Sequence[str], what: str) -> None:
    """Refuse keys that are not in ``allowed``, suggesting the nearest allowed key."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where.fail(f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)}){hint}")


def open_entry(
    parent: Where,
    section: str,
    index: int | None,
    raw: Any,
    required: Sequence[str],
    optional: Sequence[str],
    what: str,
) -> tuple[Where, dict[str, Any]]:
    """Check that ``raw``, item ``index`` of ``section``, is a mapping with the right keys.

    With ``index`` None the entry is ``section`` itself (a mapping, not a list item). Returns
    the place of the entry (named by its ``id`` when it has a text one) and the mapping.
    ``what`` names the entry in messages ("a rule").
    """
    where = parent.entry(section, index)
    if not isinstance(raw, dict):
        where.fail(f"{what} must be a mapping with keys {', '.join(required)}, got {raw!r}")
    entry_id = raw.get("id")
    if isinstance(entry_id, str):
        where = parent.entry(section, index, entry_id)
    check_keys(where, raw, (*required, *optional), what)
    for key in required:
        if key not in raw:
            where.fail(f"required key {key!r} is missing")
    return where, raw


def all_keys(where: Where, raw: Any, name: str, keys: Sequence[str], why: str) -> dict[str, Any]:
    """``raw``, the mapping under ``name``, with exactly ``keys``; ``why`` explains a missing one."""
    if not isinstance(raw, dict):
        where.fail(f"{name!r} must be a mapping with {', '.join(keys)}, got {raw!r}")
    check_keys(where, raw, keys, name)
    absent = [key for key in keys if key not in raw]
    if absent:
        where.fail(f"{', '.join(map(repr, absent))} missing in {name!r}; {why}")
    return raw


def snake_id(where: Where, raw: Mapping[str, Any], key: str = "id") -> str:
    """The snake_case identifier under ``key``."""
    value = raw.get(key)
    if not isinstance(value, str) or not SNAKE_CASE.fullmatch(value):
        where.fail(f"{key!r} must be snake_case (lower-case letters, digits and '_'), got {value!r}")
    return value


def text(where: Where, raw: Mapping[str, Any], key: str) -> str:
    """A non-empty text under ``key``, with runs of whitespace folded to one space."""
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        where.fail(f"{key!r} must be a non-empty text, got {value!r}")
    return " ".join(value.split())


def string_list(where: Where, value: Any, key: str, *, required: bool) -> list[str]:
    """``value`` as a list of non-empty texts; ``required`` refuses an empty list."""
    if not isinstance(value, list):
        where.fail(f"{key!r} must be a list (one item per line, each starting with '- '), got {value!r}")
    if required and not value:
        where.fail(f"{key!r} must contain at least one item")
    for position, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            where.fail(f"{key}[{position}] must be a non-empty text, got {item!r}")
    return value


def regexes(where: Where, raw: Mapping[str, Any], key: str, *, required: bool) -> tuple[re.Pattern[str], ...]:
    """The list under ``key`` compiled case-insensitively; a regex matching '' is refused."""
    compiled = []
    for position, source in enumerate(string_list(where, raw.get(key, []), key, required=required)):
        try:
            regex = re.compile(source, re.IGNORECASE)
        except re.error as error:
            where.fail(f"{key}[{position}] {source!r} is not a valid regex: {error}")
        if regex.match(""):
            where.fail(f"{key}[{position}] {source!r} matches the empty text, so it would match anywhere")
        compiled.append(regex)
    return tuple(compiled)


def check_examples(
    where: Where, raw: Any, expectations: Mapping[str, tuple[Callable[[str], bool], str]]
) -> None:
    """Check the ``examples`` of an entry.

    ``expectations`` maps each allowed key (``flagged``) to a test every example under that
    key must pass and the words for a failure (``"is not flagged"``).
    """
    keys = tuple(expectations)
    if not isinstance(raw, dict):
        where.fail(f"'examples' must be a mapping with {' and/or '.join(keys)}, got {raw!r}")
    check_keys(where, raw, keys, "examples")
    for key, (passes, failure) in expectations.items():
        for example in string_list(where, raw.get(key, []), f"examples.{key}", required=False):
            if not passes(example):
                where.fail(
                    f"example {example!r} in examples.{key} {failure}; check the patterns and 'unless'"
                )
