"""Recognising the salesperson's moves in one message of a rehearsal with a client.

The moves are data: :file:`roleplay_moves.yml` next to this module, whose header documents
the format and the fixed set of moves (:data:`MOVE_IDS`). Trainers change how a move is
recognised (``patterns``, ``unless`` guards, ``good_if``); the set of moves is fixed,
because the client (:mod:`bot.roleplay`) and the scorecard (:mod:`bot.scorecard`) give each
one a meaning.

Matching works as for the coaching rules (:mod:`bot.data_files`): sentence by sentence, an
occurrence excused when an ``unless`` guard overlaps it. A move is found at most once per
sentence. Some moves have a built-in check besides their patterns:

* ``name_price`` needs an amount after the matched words in the same clause; the clause is
  read with :func:`bot.value_lines.parse_value_line` (amount, frequency) and quoted;
* ``quantify_value`` needs the sentence, without the clause that names our price, to read
  as a value line (:func:`bot.value_lines.parse_value_line`);
* ``discount`` is also found, quoting the whole sentence, where no pattern matched but
  :func:`bot.next_steps.mentions_discount` reads a discount and no guard matches anywhere;
* ``next_step`` is good (concrete) when :func:`bot.moments.is_concrete_moment` accepts the
  sentence, ``promise`` when :func:`bot.promises.check_promise` finds it concrete;
* a move with ``good_if`` regexes is good only when all of them match in the sentence (for
  ``value_question`` the sentence together with a short question right after it, as in
  "... groter is dan de prijs die wij factureren. Gaat u daarmee akkoord?").

Each move also says *how* it is recognised (``method``): by its ``rules`` (the patterns
above), by the ``classifier`` (:mod:`bot.move_classifier`, trained at load time from the
labelled corpus in :file:`move_corpus/`), or by ``either``. A classifier hit is vetoed when
an ``unless`` guard matches anywhere in the sentence; the built-in checks above apply to
every hit, whoever found it. The method per move was chosen on cross-validation of the
training corpus (``scripts/evaluate_moves.py``).

:func:`load_moves` validates the file strictly and raises :class:`MoveFileError` naming the
file, the move and the problem; call it once at start-up and keep the result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.amounts import find_amounts
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
)
from bot.moments import is_concrete_moment
from bot.move_classifier import DEFAULT_CORPUS_DIR, MoveClassifier, packaged_classifier
from bot.next_steps import mentions_discount
from bot.promises import check_promise
from bot.value_lines import ParsedLine, parse_value_line

__all__ = [
    "CONTROL_MOVES",
    "DEFAULT_MOVES_PATH",
    "DISCOVERY_MOVES",
    "METHODS",
    "MOVES_VERSION",
    "MOVE_IDS",
    "Move",
    "MoveDefinition",
    "MoveFileError",
    "find_moves",
    "load_moves",
    "with_classifier",
]

DEFAULT_MOVES_PATH = Path(__file__).with_name("roleplay_moves.yml")
MOVES_VERSION = 1

DISCOVERY_MOVES = ("ask_success", "ask_current_cost", "ask_pains", "ask_why_now", "ask_budget")
CONTROL_MOVES = ("time_out", "back_in_role", "finish")
MOVE_IDS = (
    "value_question",
    *DISCOVERY_MOVES,
    "name_price",
    "quantify_value",
    "discount",
    "options",
    "next_step",
    "promise",
    *CONTROL_MOVES,
)

# How a move is recognised: its regexes, the classifier, or either of them.
METHODS = ("rules", "classifier", "either")

_TOP_KEYS = ("version", "corpus", "moves")
_REQUIRED_KEYS = ("id", "patterns")
_OPTIONAL_KEYS = ("method", "unless", "good_if", "examples")

# Where the clause that names a price ends, after its amount.
_CLAUSE_BREAK = re.compile(r",\s|;|\s(?:en|maar|waarmee|waardoor|terwijl|zodat|omdat)\s|\s[-–]\s")
_TRAILING_MARKS = " \t.;:,"


class MoveFileError(DataFileError):
    """The roleplay move file cannot be used; the message says where and what is wrong."""


@dataclass(frozen=True)
class MoveDefinition:
    """How one move is recognised."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    good_if: tuple[re.Pattern[str], ...] = ()
    method: str = "rules"
    classifier: MoveClassifier | None = field(default=None, compare=False, repr=False)

    @property
    def uses_classifier(self) -> bool:
        """Whether the classifier may find this move (it must then be attached)."""
        return self.method != "rules" and self.classifier is not None

    @property
    def uses_rules(self) -> bool:
        """Whether the regexes may find this move."""
        return self.method != "classifier" or self.classifier is None


@dataclass(frozen=True)
class Move:
    """A move found in a message, with the salesperson's own words.

    ``good`` says whether it was well done: a well-asked value question, a concrete next step
    or promise; True for moves without a quality. ``line`` is the amount read for
    ``name_price`` (our price) and ``quantify_value`` (the value line); None otherwise.
    """

    id: str
    quote: str
    start: int
    good: bool = True
    line: ParsedLine | None = None


# -- matching ---------------------------------------------------------------------------


def _trimmed(text: str, start: int, end: int) -> str:
    return text[start:end].strip().rstrip(_TRAILING_MARKS).strip()


def _price_clause(sentence: str, start: int) -> tuple[int, ParsedLine] | None:
    """Where the price clause starting at ``start`` ends and the price read from it."""
    amounts = [match for match in find_amounts(sentence[start:]) if match.value > 0]
    if not amounts:
        return None
    after_amount = start + amounts[0].end
    cut = _CLAUSE_BREAK.search(sentence, after_amount)
    end = cut.start() if cut else len(sentence)
    parsed = parse_value_line(sentence[start:end])
    return (end, parsed) if isinstance(parsed, ParsedLine) else None


def _guarded_anywhere(sentence: str, definition: MoveDefinition) -> bool:
    return any(guard.search(sentence) for guard in definition.unless)


def _clause_start(sentence: str) -> int:
    """Where the clause holding the sentence's first amount begins (0: the sentence start)."""
    amounts = [match for match in find_amounts(sentence) if match.value > 0]
    if not amounts:
        return 0
    starts = [cut.end() for cut in _CLAUSE_BREAK.finditer(sentence, 0, amounts[0].start)]
    return starts[-1] if starts else 0


def _first_word(sentence: str) -> int:
    return len(sentence) - len(sentence.lstrip())


def _hit(sentence: str, definition: MoveDefinition, predicted: frozenset[str]) -> tuple[int, bool] | None:
    """Where the move starts in the sentence and whether the rules found it; None: not found.

    A classifier hit starts where a pattern of the move matches, if one does (so that moves
    keep the order in which they were said), else at the sentence's first word.
    """
    if definition.uses_rules:
        hit = first_unexcused(sentence, definition.patterns, definition.unless)
        if hit is not None:
            return hit[0], True
    if (
        definition.uses_classifier
        and definition.id in predicted
        and not _guarded_anywhere(sentence, definition)
    ):
        if definition.id == "name_price":
            return _clause_start(sentence), False
        starts = [found.start() for pattern in definition.patterns if (found := pattern.search(sentence))]
        return (min(starts) if starts else _first_word(sentence)), False
    return None


def _is_short_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") and len(sentence.split()) <= 8


def _moves_in_sentence(
    sentence: str, offset: int, definitions: Sequence[MoveDefinition], following: str = ""
) -> list[Move]:
    found: list[Move] = []
    price_span: tuple[int, int] | None = None
    quote = _trimmed(sentence, 0, len(sentence))
    classifier = next((item.classifier for item in definitions if item.uses_classifier), None)
    predicted = classifier.predict(sentence) if classifier is not None else frozenset()
    for definition in definitions:
        hit = _hit(sentence, definition, predicted)
        if hit is None:
            if (
                definition.id == "discount"
                and definition.uses_rules
                and mentions_discount(sentence)
                and not _guarded_anywhere(sentence, definition)
            ):
                found.append(Move("discount", quote, offset, good=False))
            continue
        judged = sentence
        if definition.id == "value_question" and following and _is_short_question(following):
            judged = f"{sentence} {following}"
        good = all(check.search(judged) for check in definition.good_if)
        move = Move(definition.id, quote, offset + hit[0], good)
        if definition.id == "name_price":
            clause = _price_clause(sentence, hit[0])
            if clause is None:
                continue
            price_span = (hit[0], clause[0])
            move = Move("name_price", _trimmed(sentence, *price_span), offset + hit[0], good, clause[1])
        elif definition.id == "quantify_value":
            rest = sentence
            if price_span is not None:
                rest = (
                    sentence[: price_span[0]]
                    + " " * (price_span[1] - price_span[0])
                    + sentence[price_span[1] :]
                )
            line = parse_value_line(rest)
            if not isinstance(line, ParsedLine):
                continue
            move = Move("quantify_value", quote, offset + hit[0], good, line)
        elif definition.id == "discount":
            move = Move("discount", quote, offset + hit[0], good=False)
        elif definition.id == "next_step":
            move = Move("next_step", quote, offset + hit[0], good and is_concrete_moment(sentence))
        elif definition.id == "promise":
            move = Move("promise", quote, offset + hit[0], good and check_promise(sentence).concrete)
        found.append(move)
    return found


def find_moves(text: str, definitions: Sequence[MoveDefinition]) -> list[Move]:
    """The moves in ``text``, in the order of their first matched word (file order on a tie).

    ``name_price`` is checked before ``quantify_value`` in each sentence whatever the file
    order, so that the value line is read without the price.
    """
    if not text or not text.strip():
        return []
    ordered = sorted(definitions, key=lambda definition: definition.id != "name_price")
    rank = {definition.id: position for position, definition in enumerate(definitions)}
    moves: list[Move] = []
    spans = sentence_spans(text)
    for position, (begin, end) in enumerate(spans):
        following = text[slice(*spans[position + 1])] if position + 1 < len(spans) else ""
        moves.extend(_moves_in_sentence(text[begin:end], begin, ordered, following))
    return sorted(moves, key=lambda move: (move.start, rank[move.id]))


# -- loading ----------------------------------------------------------------------------


def _example_checks(definition: MoveDefinition) -> Mapping[str, tuple[Callable[[str], bool], str]]:
    def found(example: str) -> list[Move]:
        return [move for move in find_moves(example, [definition]) if move.id == definition.id]

    return {
        "detected": (lambda example: bool(found(example)), "is not detected"),
        "not_detected": (lambda example: not found(example), "is detected"),
        "good": (
            lambda example: any(move.good for move in found(example)),
            "is not detected as well done",
        ),
        "not_good": (
            lambda example: bool(found(example)) and not any(move.good for move in found(example)),
            "is not detected, or is detected as well done",
        ),
    }


def _parse_move(
    parent: Where, index: int, raw: Any, seen: frozenset[str], classifier: Callable[[], MoveClassifier]
) -> MoveDefinition:
    where, raw = open_entry(parent, "moves", index, raw, _REQUIRED_KEYS, _OPTIONAL_KEYS, "a move")
    move_id = snake_id(where, raw)
    if move_id not in MOVE_IDS:
        where.fail(f"unknown move {move_id!r}; the moves are fixed: {', '.join(MOVE_IDS)}")
    if move_id in seen:
        where.fail(f"move {move_id!r} is defined twice; each move is defined once")
    method = raw.get("method", "rules")
    if method not in METHODS:
        where.fail(f"'method' must be one of {', '.join(METHODS)}, got {method!r}")
    definition = MoveDefinition(
        id=move_id,
        patterns=regexes(where, raw, "patterns", required=True),
        unless=regexes(where, raw, "unless", required=False),
        good_if=regexes(where, raw, "good_if", required=False),
        method=method,
        classifier=classifier() if method != "rules" else None,
    )
    if "examples" in raw:
        check_examples(where, raw["examples"], _example_checks(definition))
    return definition


def load_moves(path: Path | None = None) -> tuple[MoveDefinition, ...]:
    """Read and validate the moves; by default the packaged ``roleplay_moves.yml``.

    Raises :class:`MoveFileError` when the file is missing, is not valid YAML, has the wrong
    version, lacks a move or defines one twice or one that does not exist, or has a move with
    a missing, unknown or mistyped key, an unknown method, a regex that does not compile, or
    an example that the move does not handle as stated; also when a move uses the classifier
    and the corpus (``corpus``, by default :file:`move_corpus/`) cannot be read.
    """
    path = Path(path) if path is not None else DEFAULT_MOVES_PATH
    where, data = read_mapping_file(path, MoveFileError, "move file", MOVES_VERSION, _TOP_KEYS)
    corpus = data.get("corpus")
    if corpus is not None and (not isinstance(corpus, str) or not corpus.strip()):
        where.fail(f"'corpus' must be a folder name, got {corpus!r}")
    folder = DEFAULT_CORPUS_DIR if corpus is None else DEFAULT_MOVES_PATH.parent / corpus

    @functools.cache
    def classifier() -> MoveClassifier:
        try:
            return packaged_classifier(MOVE_IDS, folder)
        except DataFileError as error:
            where.fail(f"the move corpus cannot be used: {error}")

    definitions = parse_entries(
        where,
        data,
        "moves",
        "moves",
        lambda parent, index, raw, seen: _parse_move(parent, index, raw, seen, classifier),
    )
    missing = [
        move_id for move_id in MOVE_IDS if move_id not in {definition.id for definition in definitions}
    ]
    if missing:
        where.fail(f"move(s) {', '.join(map(repr, missing))} missing; every move must be defined once")
    return definitions


def with_classifier(
    definitions: Sequence[MoveDefinition], classifier: MoveClassifier | None
) -> tuple[MoveDefinition, ...]:
    """The definitions with ``classifier`` attached (None: rules only), e.g. to evaluate."""
    return tuple(replace(definition, classifier=classifier) for definition in definitions)
