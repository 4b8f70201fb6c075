"""How the shipped NLU pipeline was chosen (`make tune-nlu`): writes reports/nlu_tuning.md and .json.

Pipeline settings are chosen on the training data only, so the held-out set stays a test:
- four stratified 80/20 splits of data/nlu (`rasa data split nlu --random-seed 1..4`); every
  variant of the shipped pipeline is trained on the 80% and scored (intent macro-F1) on the 20%,
  with the DIET seed equal to the split number;
- then the shipped pipeline alone is trained with five DIET seeds on all training data and
  tested on tests/nlu/heldout.yml: one run cannot tell 0,89 from 0,90, five can.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from evaluate_nlu import HELDOUT, REPORTS, ROOT, intent_report, progress, rasa

SPLITS = (1, 2, 3, 4)
HELDOUT_SEEDS = (42, 1, 2, 3, 4)
SHIPPED = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))

Change = Callable[[list[dict]], None]


def _component(pipeline: list[dict], match: Callable[[dict], bool]) -> dict:
    return next(component for component in pipeline if match(component))


def _word_vectors(pipeline: list[dict]) -> dict:
    return _component(pipeline, lambda c: c["name"] == "CountVectorsFeaturizer" and "analyzer" not in c)


def _diet(pipeline: list[dict]) -> dict:
    return _component(pipeline, lambda c: c["name"] == "DIETClassifier")


def single_words(pipeline: list[dict]) -> None:
    _word_vectors(pipeline)["max_ngram"] = 1


def no_hidden_layer(pipeline: list[dict]) -> None:
    _diet(pipeline).pop("hidden_layers_sizes")


def logistic_regression(pipeline: list[dict]) -> None:
    index = pipeline.index(_diet(pipeline))
    pipeline[index] = {"name": "LogisticRegressionClassifier", "max_iter": 1000}


VARIANTS: dict[str, list[Change]] = {
    "shipped": [],
    "single words": [single_words],
    "no hidden layer": [no_hidden_layer],
    "single words, no hidden layer (before tuning)": [single_words, no_hidden_layer],
    "logistic regression instead of DIET": [logistic_regression],
}


def write_config(changes: list[Change], seed: int, path: Path) -> Path:
    config = copy.deepcopy(SHIPPED)
    config.pop("policies")
    for change in changes:
        change(config["pipeline"])
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["random_seed"] = seed
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def train_and_test(config: Path, training: Path, test: Path, out: Path) -> float:
    rasa(
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(training),
        "--out",
        str(out),
        "--fixed-model-name",
        "nlu",
    )
    report = intent_report(out / "nlu.tar.gz", test, out)
    return round(report["macro avg"]["f1-score"], 4)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="waardecoach-tune-") as tmp:
        work = Path(tmp)
        dev: dict[str, dict[int, float]] = {name: {} for name in VARIANTS}
        for split in SPLITS:
            data = work / f"split{split}"
            rasa(
                "data",
                "split",
                "nlu",
                "-u",
                "data/nlu",
                "--training-fraction",
                "0.8",
                "--random-seed",
                str(split),
                "--out",
                str(data),
            )
            for name, changes in VARIANTS.items():
                progress(f"split {split}: {name}")
                config = write_config(changes, split, work / "config.yml")
                dev[name][split] = train_and_test(
                    config, data / "training_data.yml", data / "test_data.yml", work / "out"
                )
        heldout: dict[int, float] = {}
        for seed in HELDOUT_SEEDS:
            progress(f"held-out set: shipped pipeline, DIET seed {seed}")
            config = write_config([], seed, work / "config.yml")
            heldout[seed] = train_and_test(config, ROOT / "data" / "nlu", HELDOUT, work / "out")
    summary = {
        "dev_splits": {
            name: {**scores, "mean": round(statistics.mean(scores.values()), 4)}
            for name, scores in dev.items()
        },
        "heldout_shipped": {**heldout, "mean": round(statistics.mean(heldout.values()), 4)},
    }
    lines = ["# NLU tuning", "", "Written by `make tune-nlu` (scripts/tune_nlu.py).", ""]
    lines += ["## Variants on four 80/20 splits of the training data (intent macro-F1)", ""]
    lines += ["| variant | " + " | ".join(f"split {s}" for s in SPLITS) + " | mean |"]
    lines += ["|---|" + "---|" * (len(SPLITS) + 1)]
    lines += [
        f"| {name} | " + " | ".join(f"{scores[s]:.3f}" for s in SPLITS) + f" | {scores['mean']:.3f} |"
        for name, scores in summary["dev_splits"].items()
    ]
    lines += ["", "## Shipped pipeline on the held-out set, five DIET seeds", ""]
    lines += ["| " + " | ".join(f"seed {s}" for s in HELDOUT_SEEDS) + " | mean |"]
    lines += ["|" + "---|" * (len(HELDOUT_SEEDS) + 1)]
    lines += [
        "| "
        + " | ".join(f"{heldout[s]:.3f}" for s in HELDOUT_SEEDS)
        + f" | {summary['heldout_shipped']['mean']:.3f} |",
        "",
    ]
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "nlu_tuning.md").write_text("\n".join(lines), encoding="utf-8")
    (REPORTS / "nlu_tuning.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))
    progress("written reports/nlu_tuning.md and reports/nlu_tuning.json")


if __name__ == "__main__":
    sys.exit(main())
