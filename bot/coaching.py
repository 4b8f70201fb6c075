"""Coaching on wording: flag what the salesperson would say to the client that damages trust.

The rules are data: :file:`coaching_rules.yml` next to this module, which trainers extend
without touching code. Its header documents the format; in short, a rule has an ``id``,
``patterns`` (regexes, any match flags), optional ``unless`` regexes (near-miss guards), a
Dutch ``problem`` and ``suggestion``, an optional ``needs_unknown_value`` switch and optional
``examples`` that :func:`load_rules` checks.

Matching, as done by :func:`check_wording`:

* the text is cut into sentences at ``.``, ``!``, ``?`` or ``;`` followed by whitespace and
  at line breaks; a full stop after a dotted abbreviation (``z.s.m.``, ``o.a.``) or after one
  of a few short abbreviations (``bijv``, ``ca``, ...) does not end a sentence;
* every regex is matched case-insensitively against one sentence at a time, so ``^`` and
  ``$`` are the sentence's start and end and ``.*`` stays inside the sentence;
* an occurrence of a pattern is excused when an ``unless`` regex matches a stretch of the
  same sentence that overlaps it (shares at least one character);
* a rule flags at most once, with its first occurrence that is not excused (earliest start,
  the longest on a tie), quoted exactly as written; flags come in rule order;
* a rule with ``needs_unknown_value`` is skipped when the caller says the value is known.

:func:`load_rules` validates the file strictly and raises :class:`RuleFileError` with a
message for developers and trainers (English) naming the file, the rule and the problem.
It is meant to be called once at start-up; the caller keeps the result.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

__all__ = [
    "DEFAULT_RULES_PATH",
    "RULES_VERSION",
    "CoachingFlag",
    "CoachingRule",
    "RuleFileError",
    "check_wording",
    "load_rules",
]

DEFAULT_RULES_PATH = Path(__file__).with_name("coaching_rules.yml")
RULES_VERSION = 1

_TOP_KEYS = ("version", "rules")
_REQUIRED_KEYS = ("id", "patterns", "problem", "suggestion")
_OPTIONAL_KEYS = ("unless", "needs_unknown_value", "examples")
_EXAMPLE_KEYS = ("flagged", "not_flagged")

_RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# A sentence ends at . ! ? ; followed by whitespace (or the end), and at a line break.
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
# Text just before a full stop that makes the stop part of an abbreviation, not a sentence end.
_ABBREVIATION = re.compile(
    r"(?:(?<![^\W\d_])(?:[^\W\d_]\.)+[^\W\d_]"  # z.s.m / o.a / d.w.z
    r"|\b(?:bijv|bv|ca|evt|incl|excl|nr|tel|dhr|mevr|enz|etc))$",
    re.IGNORECASE,
)


class RuleFileError(ValueError):
    """The coaching rule file cannot be used; the message says where and what is wrong."""


@dataclass(frozen=True)
class CoachingRule:
    """One coaching rule: when its patterns match (and no guard excuses them), flag."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    problem: str
    suggestion: str
    needs_unknown_value: bool = False  # price_first only applies before the value is known


@dataclass(frozen=True)
class CoachingFlag:
    """A rule that fired: the words as the salesperson wrote them, what is wrong, what is better."""

    rule_id: str
    quote: str
    problem: str
    suggestion: str


# -- matching ---------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the sentences in ``text``, without surrounding whitespace."""
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


def _first_hit(text: str, sentences: Sequence[tuple[int, int]], rule: CoachingRule) -> tuple[int, int] | None:
    """The span in ``text`` of the rule's first occurrence that no guard excuses."""
    for begin, end in sentences:
        sentence = text[begin:end]
        hits = sorted(
            (match.start(), -match.end())
            for pattern in rule.patterns
            for match in pattern.finditer(sentence)
            if match.end() > match.start()
        )
        for start, negative_end in hits:
            if not _excused(sentence, start, -negative_end, rule.unless):
                return begin + start, begin - negative_end
    return None


def check_wording(text: str, rules: Sequence[CoachingRule], value_known: bool = False) -> list[CoachingFlag]:
    """Flags for ``text``: at most one per rule, in rule order.

    ``value_known`` says whether the value for the client has been established; rules with
    ``needs_unknown_value`` (price first) are skipped when it is.
    """
    if not text or not text.strip():
        return []
    sentences = _sentences(text)
    flags = []
    for rule in rules:
        if rule.needs_unknown_value and value_known:
            continue
        hit = _first_hit(text, sentences, rule)
        if hit is not None:
            flags.append(CoachingFlag(rule.id, text[hit[0] : hit[1]], rule.problem, rule.suggestion))
    return flags


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
class _Where:
    """Where in the rule file a problem is: the file and, when known, the rule."""

    path: Path
    index: int | None = None
    rule_id: str | None = None

    def fail(self, what: str) -> NoReturn:
        """Raise a :class:`RuleFileError` that names the file, the rule and ``what``."""
        place = str(self.path)
        if self.index is not None:
            place += f": rules[{self.index}]"
            if self.rule_id is not None:
                place += f" (id {self.rule_id!r})"
        raise RuleFileError(f"{place}: {what}")


def _read_yaml(path: Path) -> Any:
    where = _Where(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        where.fail("the rule file does not exist")
    except (OSError, UnicodeDecodeError) as error:
        where.fail(f"cannot read the rule file ({error})")
    try:
        return yaml.load(source, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        where.fail(f"not valid YAML: {' '.join(str(error).split())}")


def _check_keys(where: _Where, data: Mapping[Any, Any], allowed: Sequence[str], what: str) -> None:
    """Refuse keys that are not in ``allowed``, suggesting the nearest allowed key."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where.fail(f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)}){hint}")


def _text(where: _Where, raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        where.fail(f"{key!r} must be a non-empty text, got {value!r}")
    return " ".join(value.split())


def _string_list(where: _Where, value: Any, key: str, *, required: bool) -> list[str]:
    if not isinstance(value, list):
        where.fail(f"{key!r} must be a list (one item per line, each starting with '- '), got {value!r}")
    if required and not value:
        where.fail(f"{key!r} must contain at least one item")
    for position, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            where.fail(f"{key}[{position}] must be a non-empty text, got {item!r}")
    return value


def _regexes(
    where: _Where, raw: Mapping[str, Any], key: str, *, required: bool
) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for position, source in enumerate(_string_list(where, raw.get(key, []), key, required=required)):
        try:
            regex = re.compile(source, re.IGNORECASE)
        except re.error as error:
            where.fail(f"{key}[{position}] {source!r} is not a valid regex: {error}")
        if regex.match(""):
            where.fail(f"{key}[{position}] {source!r} matches the empty text, so it would match anywhere")
        compiled.append(regex)
    return tuple(compiled)


def _check_examples(where: _Where, raw: Any, rule: CoachingRule) -> None:
    """Every ``flagged`` example must be flagged by ``rule``, every ``not_flagged`` one not."""
    if not isinstance(raw, dict):
        where.fail(f"'examples' must be a mapping with {' and/or '.join(_EXAMPLE_KEYS)}, got {raw!r}")
    _check_keys(where, raw, _EXAMPLE_KEYS, "examples")
    for key, should_flag in (("flagged", True), ("not_flagged", False)):
        for example in _string_list(where, raw.get(key, []), f"examples.{key}", required=False):
            if bool(check_wording(example, [rule])) != should_flag:
                verdict = "is not flagged" if should_flag else "is flagged"
                where.fail(
                    f"example {example!r} in examples.{key} {verdict}; check the patterns and 'unless'"
                )


def _parse_rule(path: Path, index: int, raw: Any, seen_ids: set[str]) -> CoachingRule:
    where = _Where(path, index)
    if not isinstance(raw, dict):
        where.fail(f"a rule must be a mapping with keys {', '.join(_REQUIRED_KEYS)}, got {raw!r}")
    rule_id = raw.get("id")
    if isinstance(rule_id, str):
        where = _Where(path, index, rule_id)
    _check_keys(where, raw, _REQUIRED_KEYS + _OPTIONAL_KEYS, "a rule")
    for key in _REQUIRED_KEYS:
        if key not in raw:
            where.fail(f"required key {key!r} is missing")
    if not isinstance(rule_id, str) or not _RULE_ID.fullmatch(rule_id):
        where.fail(f"'id' must be snake_case (lower-case letters, digits and '_'), got {rule_id!r}")
    if rule_id in seen_ids:
        where.fail(f"id {rule_id!r} is used by an earlier rule; ids must be unique")
    needs_unknown_value = raw.get("needs_unknown_value", False)
    if not isinstance(needs_unknown_value, bool):
        where.fail(f"'needs_unknown_value' must be true or false, got {needs_unknown_value!r}")
    rule = CoachingRule(
        id=rule_id,
        patterns=_regexes(where, raw, "patterns", required=True),
        unless=_regexes(where, raw, "unless", required=False),
        problem=_text(where, raw, "problem"),
        suggestion=_text(where, raw, "suggestion"),
        needs_unknown_value=needs_unknown_value,
    )
    if "examples" in raw:
        _check_examples(where, raw["examples"], rule)
    return rule


def load_rules(path: Path | None = None) -> tuple[CoachingRule, ...]:
    """Read and validate the coaching rules; by default the packaged ``coaching_rules.yml``.

    Raises :class:`RuleFileError` when the file is missing, is not valid YAML, has the wrong
    version, or has a rule with a missing, unknown or mistyped key, a duplicate or
    non-snake_case id, a regex that does not compile, an empty problem or suggestion, or an
    example that the rule does not handle as stated.
    """
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    where = _Where(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        where.fail(f"the file must be a mapping with the keys {' and '.join(_TOP_KEYS)}, got {data!r}")
    _check_keys(where, data, _TOP_KEYS, "the file")
    version = data.get("version")
    if type(version) is not int or version != RULES_VERSION:
        where.fail(f"'version' must be {RULES_VERSION}, got {version!r}")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        where.fail(f"'rules' must be a non-empty list of rules, got {raw_rules!r}")
    rules: list[CoachingRule] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(path, index, raw, seen_ids)
        seen_ids.add(rule.id)
        rules.append(rule)
    return tuple(rules)
