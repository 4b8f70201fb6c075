"""Intent quality of the shipped pipeline and of the optional spaCy pipeline.

Both are evaluated on ``tests/nlu/heldout.yml``, which training never sees.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
SHIPPED_MODEL = ROOT / "models" / "waardecoach.tar.gz"
# A regression floor under the measured 0,893 (27 intents, 611 held-out examples; five DIET
# seeds give 0,889 to 0,912). Issue 5's target of 0,90 is not reached: see docs/benchmarks.md;
# the floor goes to 0,90 once the figure is there with a margin.
MIN_MACRO_F1 = 0.88


def macro_f1(model: Path, out: Path) -> float:
    """Runs `rasa test nlu` on the held-out set and returns the intent macro-F1."""
    subprocess.run(
        [RASA, "test", "nlu", "--model", str(model), "--nlu", str(HELDOUT), "--out", str(out), "--no-plot"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    return float(report["macro avg"]["f1-score"])


def test_shipped_pipeline_on_heldout_data(tmp_path: Path) -> None:
    assert SHIPPED_MODEL.exists(), "run `make train` first"
    assert macro_f1(SHIPPED_MODEL, tmp_path) >= MIN_MACRO_F1


def _spacy_model_installed() -> bool:
    import spacy

    return bool(spacy.util.is_package("nl_core_news_sm"))


@pytest.mark.skipif(
    not _spacy_model_installed(),
    reason="spaCy's Dutch model nl_core_news_sm is not installed "
    "(optional: `.venv/bin/python -m spacy download nl_core_news_sm`)",
)
def test_spacy_pipeline_trains_and_evaluates(tmp_path: Path) -> None:
    subprocess.run(
        [
            RASA,
            "train",
            "nlu",
            "--config",
            "config_spacy.yml",
            "--nlu",
            "data/nlu",
            "--out",
            str(tmp_path),
            "--fixed-model-name",
            "spacy",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert macro_f1(tmp_path / "spacy.tar.gz", tmp_path / "results") >= MIN_MACRO_F1
