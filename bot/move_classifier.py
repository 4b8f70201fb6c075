"""A multi-label classifier for the salesperson's moves, trained from a labelled Dutch corpus.

The corpus is data: one YAML file per move in :file:`move_corpus/` next to this module (the
training part; its ``README.md`` documents the format). A held-out part, never used for
training or tuning, lives in :file:`tests/moves/heldout.yml` and is read with
:func:`load_heldout`.

The model is deliberately small and is trained when it is first needed (well under a second
on the shipped corpus), so nothing is pickled or downloaded:

* the text is lower-cased, every digit becomes ``0`` (so "€ 435.000" and "€ 12.000" look
  alike), and marker words are appended for what rules read well: ``_vraag_`` for a
  question mark, ``_bedrag_`` when :func:`bot.amounts.find_amounts` finds an amount and
  ``_moment_`` when :func:`bot.moments.is_concrete_moment` finds a day, date or time;
* features: TF-IDF of word 1-2-grams and of character 2-5-grams within word boundaries;
* one logistic regression per move (one-vs-rest, balanced class weights, fixed seed); a move
  is predicted when its probability reaches :data:`THRESHOLD`. A text may get several moves.

:mod:`bot.roleplay_moves` combines these predictions with its rules, move by move.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from bot.amounts import find_amounts
from bot.data_files import DataFileError, Where, check_keys, read_mapping_file
from bot.moments import is_concrete_moment

__all__ = [
    "CORPUS_VERSION",
    "DEFAULT_CORPUS_DIR",
    "HELDOUT_PATH",
    "RANDOM_STATE",
    "THRESHOLD",
    "CorpusError",
    "LabelledText",
    "MoveClassifier",
    "load_corpus",
    "load_heldout",
    "packaged_classifier",
    "prepare",
]

DEFAULT_CORPUS_DIR = Path(__file__).with_name("move_corpus")
HELDOUT_PATH = Path(__file__).resolve().parent.parent / "tests" / "moves" / "heldout.yml"
CORPUS_VERSION = 1
RANDOM_STATE = 0
THRESHOLD = 0.5
# Regularisation of each logistic regression (inverse strength).
_C = 10.0

_CORPUS_KEYS = ("version", "move", "positives", "near_misses")
_HELDOUT_KEYS = ("version", "examples")
_ITEM_KEYS = ("text", "also")
_HELDOUT_ITEM_KEYS = ("text", "moves")
_DIGIT = re.compile(r"\d")


class CorpusError(DataFileError):
    """A corpus file cannot be used; the message names the file, the item and the problem."""


@dataclass(frozen=True)
class LabelledText:
    """A text with every move it holds (an empty set: none), and where it was written."""

    text: str
    moves: frozenset[str]
    source: str = ""


# -- reading the corpus -----------------------------------------------------------------


def _item(where: Where, raw: Any, keys: Sequence[str], label_key: str) -> tuple[str, list[str]]:
    """The text and labels of one corpus item: a text, or a mapping with ``text`` and labels."""
    if isinstance(raw, str):
        text, labels = raw, []
    elif isinstance(raw, dict):
        check_keys(where, raw, keys, "an example")
        text, labels = raw.get("text"), raw.get(label_key, [])
    else:
        where.fail(f"an example must be a text or a mapping with {', '.join(keys)}, got {raw!r}")
    if not isinstance(text, str) or not text.strip():
        where.fail(f"an example needs a non-empty text, got {text!r}")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        where.fail(f"{label_key!r} must be a list of move ids, got {labels!r}")
    return text.strip(), labels


def _check_labels(where: Where, labels: Iterable[str], move_ids: Sequence[str]) -> None:
    for label in labels:
        if label not in move_ids:
            where.fail(f"unknown move {label!r}; the moves are: {', '.join(move_ids)}")


def _read_move_file(path: Path, move_ids: Sequence[str]) -> list[LabelledText]:
    where, data = read_mapping_file(path, CorpusError, "corpus file", CORPUS_VERSION, _CORPUS_KEYS)
    move = data.get("move")
    if move not in move_ids:
        where.fail(f"'move' must be one of {', '.join(move_ids)}, got {move!r}")
    if path.stem != move:
        where.fail(f"the file of move {move!r} must be named {move}.yml")
    items: list[LabelledText] = []
    for key, positive in (("positives", True), ("near_misses", False)):
        raw_items = data.get(key)
        if not isinstance(raw_items, list) or not raw_items:
            where.fail(f"{key!r} must be a non-empty list")
        for index, raw in enumerate(raw_items):
            item_where = where.entry(key, index)
            text, also = _item(item_where, raw, _ITEM_KEYS, "also")
            _check_labels(item_where, also, move_ids)
            if move in also:
                item_where.fail(f"'also' must not name the file's own move {move!r}")
            moves = frozenset(also) | ({move} if positive else frozenset())
            items.append(LabelledText(text, moves, f"{path.name}:{key}[{index}]"))
    return items


def load_corpus(folder: Path, move_ids: Sequence[str]) -> tuple[LabelledText, ...]:
    """Read the training corpus: one ``<move>.yml`` per move in ``folder``, every move present.

    A text written in several files gets the union of its labels; it is refused when that
    union holds a move for whose file it is a near miss. Raises :class:`CorpusError`.
    """
    folder = Path(folder)
    missing = [move for move in move_ids if not (folder / f"{move}.yml").is_file()]
    if missing:
        Where(folder, CorpusError).fail(f"no corpus file for move(s) {', '.join(missing)}")
    labels: dict[str, set[str]] = {}
    near: dict[str, set[str]] = {}
    first: dict[str, LabelledText] = {}
    for move in move_ids:
        for item in _read_move_file(folder / f"{move}.yml", move_ids):
            key = item.text.casefold()
            labels.setdefault(key, set()).update(item.moves)
            first.setdefault(key, item)
            if move not in item.moves:
                near.setdefault(key, set()).add(move)
    for key, moves in labels.items():
        clash = moves & near.get(key, set())
        if clash:
            Where(folder, CorpusError).fail(
                f"{first[key].text!r} is a near miss of {', '.join(sorted(clash))} "
                f"but labelled with it elsewhere"
            )
    return tuple(
        LabelledText(first[key].text, frozenset(moves), first[key].source) for key, moves in labels.items()
    )


def load_heldout(path: Path, move_ids: Sequence[str]) -> tuple[LabelledText, ...]:
    """Read the held-out part: ``examples``, each a text (no move) or ``{text, moves}``."""
    where, data = read_mapping_file(Path(path), CorpusError, "held-out file", CORPUS_VERSION, _HELDOUT_KEYS)
    raw_items = data.get("examples")
    if not isinstance(raw_items, list) or not raw_items:
        where.fail("'examples' must be a non-empty list")
    items = []
    for index, raw in enumerate(raw_items):
        item_where = where.entry("examples", index)
        text, moves = _item(item_where, raw, _HELDOUT_ITEM_KEYS, "moves")
        _check_labels(item_where, moves, move_ids)
        items.append(LabelledText(text, frozenset(moves), f"{Path(path).name}:examples[{index}]"))
    return tuple(items)


# -- the model --------------------------------------------------------------------------


def prepare(text: str) -> str:
    """The text as the model sees it: lower case, digits as ``0``, rule markers appended."""
    markers = []
    if "?" in text:
        markers.append("_vraag_")
    if any(match.value > 0 for match in find_amounts(text)):
        markers.append("_bedrag_")
    if is_concrete_moment(text):
        markers.append("_moment_")
    return " ".join([_DIGIT.sub("0", text.lower()), *markers])


def _vectorizer() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    token_pattern=r"(?u)\b\w+\b",
                    sublinear_tf=True,
                    min_df=1,
                ),
            ),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)),
        ]
    )


@dataclass(frozen=True)
class MoveClassifier:
    """A trained classifier: the vectoriser and, per move, a weight column and an intercept."""

    moves: tuple[str, ...]
    vectorizer: FeatureUnion = field(repr=False, compare=False)
    weights: np.ndarray = field(repr=False, compare=False)
    intercepts: np.ndarray = field(repr=False, compare=False)
    threshold: float = THRESHOLD

    @classmethod
    def train(
        cls, examples: Sequence[LabelledText], moves: Sequence[str], *, threshold: float = THRESHOLD
    ) -> MoveClassifier:
        """Train on ``examples``; a move without positive (or negative) examples is never predicted."""
        vectorizer = _vectorizer()
        features = vectorizer.fit_transform([prepare(example.text) for example in examples])
        weights = np.zeros((features.shape[1], len(moves)))
        intercepts = np.full(len(moves), -50.0)
        for column, move in enumerate(moves):
            target = np.array([move in example.moves for example in examples], dtype=int)
            if target.min() == target.max():
                continue
            model = LogisticRegression(
                C=_C, class_weight="balanced", solver="liblinear", random_state=RANDOM_STATE
            )
            model.fit(features, target)
            weights[:, column] = model.coef_[0]
            intercepts[column] = model.intercept_[0]
        return cls(tuple(moves), vectorizer, weights, intercepts, threshold)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per text (rows) and move (columns, in :attr:`moves` order) the probability."""
        features = sparse.csr_matrix(self.vectorizer.transform([prepare(text) for text in texts]))
        scores = features @ self.weights + self.intercepts
        return 1.0 / (1.0 + np.exp(-scores))

    def scores(self, text: str) -> Mapping[str, float]:
        """The probability of every move for one text."""
        return dict(zip(self.moves, (float(value) for value in self.probabilities([text])[0]), strict=True))

    def predict(self, text: str) -> frozenset[str]:
        """The moves whose probability reaches the threshold."""
        row = self.probabilities([text])[0]
        return frozenset(move for move, value in zip(self.moves, row, strict=True) if value >= self.threshold)


@functools.lru_cache(maxsize=4)
def _trained(folder: str, moves: tuple[str, ...], stamp: tuple[float, ...]) -> MoveClassifier:
    del stamp  # part of the cache key only: a changed file is read again
    return MoveClassifier.train(load_corpus(Path(folder), moves), moves)


def packaged_classifier(moves: Sequence[str], folder: Path | None = None) -> MoveClassifier:
    """The classifier trained on the corpus in ``folder`` (by default the packaged one), cached."""
    folder = Path(folder) if folder is not None else DEFAULT_CORPUS_DIR
    stamp = tuple(sorted(path.stat().st_mtime for path in folder.glob("*.yml"))) if folder.is_dir() else ()
    return _trained(str(folder.resolve()), tuple(moves), stamp)
