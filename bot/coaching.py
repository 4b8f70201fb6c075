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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.data_files import (
    DataFileError,
    Where,
    check_examples,
    first_unexcused,
    open_entry,
    parse_entries,
    read_mapping_file,
    regexes,
    sentence_spans,
    snake_id,
    text,
)

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


class RuleFileError(DataFileError):
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


def _first_hit(text: str, sentences: Sequence[tuple[int, int]], rule: CoachingRule) -> tuple[int, int] | None:
    """The span in ``text`` of the rule's first occurrence that no guard excuses."""
    for begin, end in sentences:
        hit = first_unexcused(text[begin:end], rule.patterns, rule.unless)
        if hit is not None:
            return begin + hit[0], begin + hit[1]
    return None


def check_wording(text: str, rules: Sequence[CoachingRule], value_known: bool = False) -> list[CoachingFlag]:
    """Flags for ``text``: at most one per rule, in rule order.

    ``value_known`` says whether the value for the client has been established; rules with
    ``needs_unknown_value`` (price first) are skipped when it is.
    """
    if not text or not text.strip():
        return []
    sentences = sentence_spans(text)
    flags = []
    for rule in rules:
        if rule.needs_unknown_value and value_known:
            continue
        hit = _first_hit(text, sentences, rule)
        if hit is not None:
            flags.append(CoachingFlag(rule.id, text[hit[0] : hit[1]], rule.problem, rule.suggestion))
    return flags


# -- loading ----------------------------------------------------------------------------


def _parse_rule(parent: Where, index: int, raw: Any, seen_ids: frozenset[str]) -> CoachingRule:
    where, raw = open_entry(parent, "rules", index, raw, _REQUIRED_KEYS, _OPTIONAL_KEYS, "a rule")
    rule_id = snake_id(where, raw)
    if rule_id in seen_ids:
        where.fail(f"id {rule_id!r} is used by an earlier rule; ids must be unique")
    needs_unknown_value = raw.get("needs_unknown_value", False)
    if not isinstance(needs_unknown_value, bool):
        where.fail(f"'needs_unknown_value' must be true or false, got {needs_unknown_value!r}")
    rule = CoachingRule(
        id=rule_id,
        patterns=regexes(where, raw, "patterns", required=True),
        unless=regexes(where, raw, "unless", required=False),
        problem=text(where, raw, "problem"),
        suggestion=text(where, raw, "suggestion"),
        needs_unknown_value=needs_unknown_value,
    )
    if "examples" in raw:
        check_examples(
            where,
            raw["examples"],
            {
                "flagged": (lambda example: bool(check_wording(example, [rule])), "is not flagged"),
                "not_flagged": (lambda example: not check_wording(example, [rule]), "is flagged"),
            },
        )
    return rule


def load_rules(path: Path | None = None) -> tuple[CoachingRule, ...]:
    """Read and validate the coaching rules; by default the packaged ``coaching_rules.yml``.

    Raises :class:`RuleFileError` when the file is missing, is not valid YAML, has the wrong
    version, or has a rule with a missing, unknown or mistyped key, a duplicate or
    non-snake_case id, a regex that does not compile, an empty problem or suggestion, or an
    example that the rule does not handle as stated.
    """
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    where, data = read_mapping_file(path, RuleFileError, "rule file", RULES_VERSION, _TOP_KEYS)
    return parse_entries(where, data, "rules", "rules", _parse_rule)
