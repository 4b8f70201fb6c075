"""Writes reports/nlu_evaluation.md from the results of `make evaluate`.

Reads Rasa's intent reports of the held-out evaluation and of the cross-validation and
lists the macro-F1, the per-intent F1 and the most common confusions.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

TOP_CONFUSIONS = 10


def section(title: str, results: Path) -> list[str]:
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
        f"- {true} → {predicted}: {count}"
        for (true, predicted), count in confusions.most_common(TOP_CONFUSIONS)
    ]
    return [*lines, ""]


def main(heldout: Path, crossval: Path, out: Path) -> None:
    lines = ["# NLU evaluation", ""]
    lines += section("Held-out set (tests/nlu/heldout.yml)", heldout)
    lines += section("Cross-validation on the training data", crossval)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
