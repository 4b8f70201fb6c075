"""start_roleplay's held-out examples are never trained on: no copies, no near-copies.

(Other intents' held-out sets predate this check and share a few short examples with the
training data, e.g. 'tot kijk'; they are left as they are.)
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def examples(path: Path, intent: str | None = None) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for item in data.get("nlu", []):
        if "intent" in item and intent in (None, item["intent"]):
            found += [line[2:].strip().lower() for line in item["examples"].splitlines() if line.strip()]
    return found


def test_no_start_roleplay_held_out_example_is_trained_on() -> None:
    training = {text for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for text in examples(path)}
    held_out = examples(ROOT / "tests" / "nlu" / "heldout.yml", "start_roleplay")
    assert not [text for text in held_out if text in training]


def test_start_roleplay_held_out_examples_are_no_near_copies() -> None:
    training = examples(ROOT / "data" / "nlu" / "roleplay.yml", "start_roleplay")
    held_out = examples(ROOT / "tests" / "nlu" / "heldout.yml", "start_roleplay")
    assert len(held_out) >= 20
    for text in held_out:
        closest = max(training, key=lambda other: SequenceMatcher(None, text, other).ratio())
        assert SequenceMatcher(None, text, closest).ratio() < 0.75, (text, closest)
