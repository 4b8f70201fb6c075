"""Tests for the move corpus: the training part in ``bot/move_corpus/`` and the held-out part."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.move_classifier import (
    DEFAULT_CORPUS_DIR,
    HELDOUT_PATH,
    CorpusError,
    MoveClassifier,
    load_corpus,
    load_heldout,
    prepare,
)
from bot.roleplay_moves import MOVE_IDS

MINIMUM = 40


def _raw(move: str) -> dict:
    return yaml.safe_load((DEFAULT_CORPUS_DIR / f"{move}.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("move", MOVE_IDS)
def test_every_move_has_enough_positives_and_near_misses(move: str) -> None:
    raw = _raw(move)
    assert raw["move"] == move
    assert len(raw["positives"]) >= MINIMUM
    assert len(raw["near_misses"]) >= MINIMUM


def test_the_corpus_loads_with_valid_labels() -> None:
    corpus = load_corpus(DEFAULT_CORPUS_DIR, MOVE_IDS)
    assert all(item.moves <= set(MOVE_IDS) for item in corpus)
    assert {move for item in corpus for move in item.moves} == set(MOVE_IDS)
    assert any(len(item.moves) > 1 for item in corpus)  # multi-label


def test_the_heldout_part_is_separate_and_about_a_quarter() -> None:
    corpus = load_corpus(DEFAULT_CORPUS_DIR, MOVE_IDS)
    heldout = load_heldout(HELDOUT_PATH, MOVE_IDS)
    assert not {item.text.casefold() for item in heldout} & {item.text.casefold() for item in corpus}
    assert 0.18 <= len(heldout) / (len(heldout) + len(corpus)) <= 0.35
    assert {move for item in heldout for move in item.moves} == set(MOVE_IDS)


def _copy_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for source in DEFAULT_CORPUS_DIR.glob("*.yml"):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _rewrite(folder: Path, move: str, change: dict) -> None:
    raw = _raw(move)
    raw.update(change)
    (folder / f"{move}.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("move", "change", "message"),
    [
        (
            "finish",
            {"near_misses": [{"text": "Klaar.", "also": ["finish"]}]},
            "must not name the file's own move",
        ),
        ("finish", {"near_misses": [{"text": "Zo.", "also": ["ask_weather"]}]}, "unknown move 'ask_weather'"),
        ("finish", {"near_misses": [{"txt": "Zo."}]}, "unknown key 'txt'"),
        ("finish", {"near_misses": []}, "'near_misses' must be a non-empty list"),
        ("finish", {"move": "time_out"}, "must be named time_out.yml"),
        ("finish", {"version": 2}, "'version' must be 1"),
        ("finish", {"near_misses": ["Klaar."]}, "is a near miss of finish but labelled with it elsewhere"),
    ],
)
def test_a_broken_corpus_is_refused(tmp_path: Path, move: str, change: dict, message: str) -> None:
    folder = _copy_corpus(tmp_path)
    _rewrite(folder, move, change)
    with pytest.raises(CorpusError, match=message):
        load_corpus(folder, MOVE_IDS)


def test_a_missing_move_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_corpus(tmp_path)
    (folder / "options.yml").unlink()
    with pytest.raises(CorpusError, match="no corpus file for move"):
        load_corpus(folder, MOVE_IDS)


def test_prepare_marks_questions_amounts_and_moments() -> None:
    prepared = prepare("Kost het € 435.000 per jaar, dinsdag om 9 uur?")
    assert "000" in prepared and "435" not in prepared
    assert prepared.split()[-3:] == ["_vraag_", "_bedrag_", "_moment_"]


def test_training_is_deterministic() -> None:
    corpus = load_corpus(DEFAULT_CORPUS_DIR, MOVE_IDS)
    first = MoveClassifier.train(corpus, MOVE_IDS)
    second = MoveClassifier.train(corpus, MOVE_IDS)
    text = "Wat heeft de gemeente hiervoor begroot?"
    assert first.scores(text) == second.scores(text)
    assert "ask_budget" in first.predict(text)
