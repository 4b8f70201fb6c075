"""Off-path understanding (`make evaluate`): writes reports/offpath.md and reports/offpath.json.

Runs every scripted turn of tests/offpath/ through bot.value_session and reports, per file:
the share of turns understood (every expectation of the turn holds) and the number of
silent misreads (a wrong amount, frequency or role taken without a question). The dev
files are what the interpreter was developed against; the heldout files were each written
without looking at its code and are only measured here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.offpath.runner import DEV_FILES, HELDOUT_FILES, Score, run  # noqa: E402

REPORTS = ROOT / "reports"
FILES = {path.stem: path for path in (*DEV_FILES, *HELDOUT_FILES)}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary(score: Score) -> dict:
    """The figures of one file."""
    return {
        "turns": score.turns,
        "understood": score.understood,
        "understood_share": round(score.understood / score.turns, 4) if score.turns else None,
        "silent_misreads": score.silent,
        "by_category": {
            name: {"understood": good, "turns": total} for name, (good, total) in score.by_category().items()
        },
        "not_understood": [
            {"case": r.case, "turn": r.index, "say": r.say, "silent": r.silent, "failures": list(r.failures)}
            for r in score.results
            if not r.understood
        ],
    }


def markdown(results: dict[str, dict]) -> str:
    lines = [
        "# Off-path understanding",
        "",
        "Written by `make evaluate` (scripts/evaluate_offpath.py). Target for the held-out file:"
        " at least 97% of turns understood and 0 silent misreads.",
        "",
        "| file | turns | understood | silent misreads |",
        "|---|---|---|---|",
    ]
    for name, figures in results.items():
        lines.append(
            f"| {name} | {figures['turns']} | {figures['understood']} "
            f"({_percent(figures['understood'], figures['turns'])}) | {figures['silent_misreads']} |"
        )
    for name, figures in results.items():
        lines += ["", f"## {name}: by category", "", "| category | understood |", "|---|---|"]
        for category, counts in figures["by_category"].items():
            lines.append(f"| {category} | {counts['understood']}/{counts['turns']} |")
        if figures["not_understood"]:
            lines += ["", f"Not understood in {name}:", ""]
            for item in figures["not_understood"]:
                mark = "silent " if item["silent"] else ""
                lines.append(
                    f"- {mark}`{item['case']}` turn {item['turn']}: \"{item['say']}\": {'; '.join(item['failures'])}"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    results = {name: summary(run(path)) for name, path in FILES.items() if path.exists()}
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "offpath.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    (REPORTS / "offpath.md").write_text(markdown(results), encoding="utf-8")
    for name, figures in results.items():
        share = _percent(figures["understood"], figures["turns"])
        print(
            f"{name}: {figures['understood']}/{figures['turns']} understood ({share}), {figures['silent_misreads']} silent"
        )


if __name__ == "__main__":
    main()
