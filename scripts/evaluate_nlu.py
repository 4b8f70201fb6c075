"""NLU evaluation (`make evaluate`): writes reports/nlu_evaluation.md and reports/nlu_evaluation.json.

In one run, on the same data:
- trains the NLU of each pipeline (shipped config.yml, Rasa's default config_default.yml, and
  config_spacy.yml when nl_core_news_sm is installed) and tests it on the held-out set
  tests/nlu/heldout.yml, which training never sees;
- tests the shipped model (models/waardecoach.tar.gz, the one `make test` checks) on that set;
- runs 5-fold cross-validation of the shipped pipeline on the training data;
- measures how often bot.amounts.parse_amount reads the held-out amount phrases exactly
  (amounts are not NLU entities: the actions parse them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.nlu.amount_accuracy import amount_accuracy  # noqa: E402

RASA = str(ROOT / ".venv" / "bin" / "rasa")
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
RESULTS = ROOT / "results" / "evaluate"
REPORTS = ROOT / "reports"
SHIPPED_MODEL = ROOT / "models" / "waardecoach.tar.gz"
PIPELINES = {"shipped": "config.yml", "rasa_default": "config_default.yml", "spacy": "config_spacy.yml"}
TOP_CONFUSIONS = 12


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def rasa(*args: str) -> None:
    """Runs a rasa command with an empty training cache: every training starts cold and is timed fairly."""
    with tempfile.TemporaryDirectory(prefix="waardecoach-cache-") as cache:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": cache}
        subprocess.run(
            [RASA, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def spacy_installed() -> bool:
    import spacy

    return bool(spacy.util.is_package("nl_core_news_sm"))


def evaluate_pipeline(name: str, config: str) -> dict:
    """Trains the NLU with ``config`` and tests it on the held-out set."""
    out = RESULTS / name
    progress(f"{name}: training the NLU with {config}")
    started = time.monotonic()
    rasa(
        "train",
        "nlu",
        "--config",
        config,
        "--nlu",
        "data/nlu",
        "--out",
        str(out),
        "--fixed-model-name",
        "nlu",
    )
    training = time.monotonic() - started
    progress(f"{name}: trained in {training:.0f} s; testing on the held-out set")
    return {
        "config": config,
        "training_seconds": round(training, 1),
        **heldout_scores(out / "nlu.tar.gz", out),
    }


def intent_report(model: Path, test: Path, out: Path) -> dict:
    """Runs `rasa test nlu` of ``model`` on ``test`` (reports go to ``out``); returns its intent report."""
    rasa("test", "nlu", "--model", str(model), "--nlu", str(test), "--out", str(out), "--no-plot")
    return json.loads((out / "intent_report.json").read_text(encoding="utf-8"))


def heldout_scores(model: Path, out: Path) -> dict:
    """Tests ``model`` on the held-out set; Rasa's reports go to ``out``."""
    report = intent_report(model, HELDOUT, out)
    return {
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 3),
        "accuracy": round(report["accuracy"], 3),
        "results": str(out.relative_to(ROOT)),
    }


def intent_section(title: str, results: Path) -> list[str]:
    """Per-intent figures and the most common confusions of one Rasa test run."""
    report = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    intents = sorted(
        (name, scores)
        for name, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and "avg" not in name
    )
    lines = [f"## {title}", "", f"Intent macro-F1: **{report['macro avg']['f1-score']:.3f}**", ""]
    lines += ["| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
    lines += [
        f"| {name} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1-score']:.2f} | {s['support']} |"
        for name, s in intents
    ]
    confusions = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    lines += ["", "Most common confusions (true → predicted):", ""]
    lines += [
        f"- {true} → {predicted}: {n}" for (true, predicted), n in confusions.most_common(TOP_CONFUSIONS)
    ]
    return [*lines, ""]


def main() -> None:
    names = [name for name in PIPELINES if name != "spacy" or spacy_installed()]
    if "spacy" not in names:
        progress(
            "spacy: skipped, nl_core_news_sm is not installed (python -m spacy download nl_core_news_sm)"
        )
    pipelines = {name: evaluate_pipeline(name, PIPELINES[name]) for name in names}
    progress("shipped model (make train, the one make test checks): testing on the held-out set")
    shipped_model = heldout_scores(SHIPPED_MODEL, RESULTS / "shipped_model")
    progress("shipped: 5-fold cross-validation on the training data")
    crossval = RESULTS / "crossval"
    rasa(
        "test",
        "nlu",
        "--nlu",
        "data/nlu",
        "--config",
        "config.yml",
        "--cross-validation",
        "--folds",
        "5",
        "--out",
        str(crossval),
        "--no-plot",
    )
    amounts = amount_accuracy()
    summary = {
        "pipelines": pipelines,
        "shipped_model": shipped_model,
        "spacy": "evaluated" if "spacy" in names else "skipped: nl_core_news_sm is not installed",
        "amounts": {
            "phrases": amounts.total,
            "correct": amounts.correct,
            "accuracy": round(amounts.accuracy, 3),
        },
    }
    lines = ["# NLU evaluation", "", "Written by `make evaluate` (scripts/evaluate_nlu.py).", ""]
    lines += ["## Pipelines on the held-out set", ""]
    lines += ["| pipeline | config | intent macro-F1 | weighted F1 | accuracy | NLU training s |"]
    lines += ["|---|---|---|---|---|---|"]
    lines += [
        f"| {name} | {p['config']} | {p['macro_f1']:.3f} | {p['weighted_f1']:.3f} | {p['accuracy']:.3f} "
        f"| {p['training_seconds']:.0f} |"
        for name, p in pipelines.items()
    ]
    lines += [
        "",
        f"The shipped model itself ({SHIPPED_MODEL.relative_to(ROOT)}, trained by a full `rasa train` with "
        f"the same seed, which does not give the same weights as the NLU-only run above): intent "
        f"macro-F1 **{shipped_model['macro_f1']:.3f}**, accuracy {shipped_model['accuracy']:.3f}.",
    ]
    lines += ["", f"spaCy option: {summary['spacy']}.", ""]
    lines += intent_section("Shipped pipeline, held-out set (tests/nlu/heldout.yml)", RESULTS / "shipped")
    lines += intent_section("Shipped pipeline, 5-fold cross-validation on the training data", crossval)
    lines += ["## Amounts (bot.amounts.parse_amount on tests/nlu/amounts_heldout.yml)", ""]
    lines += [f"Read exactly: **{amounts.correct} of {amounts.total}** ({amounts.accuracy:.1%}).", ""]
    lines += [f"- `{text}`: expected {expected}, read {parsed}" for text, expected, parsed in amounts.misses]
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "nlu_evaluation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / "nlu_evaluation.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines[:14]))
    progress("written reports/nlu_evaluation.md and reports/nlu_evaluation.json")


if __name__ == "__main__":
    main()
