"""Off-path cases through the real bot (part of `make evaluate`): writes reports/offpath_rest.md
and reports/offpath_rest.json.

tests/offpath/runner.py drives the cases through bot.value_session alone. This replays the cases
that start at the first value question over REST, against the action server and Rasa with the
shipped model (NLU, rules, forms and actions in between), and compares, after every turn, what
the real bot stored (value lines, price parts, contract length: the slots, read from the
conversation's events) with what bot.value_session holds after the same turn. A difference is
the Rasa layer reading a message differently from the interpreter: an intent or rule that takes
the message away from the form, or a slot the actions write differently.

    .venv/bin/python scripts/evaluate_offpath_rest.py [--cases 6] [--files heldout30,heldout31]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_long import VALUE_START  # noqa: E402

from bot.slot_shapes.value_lines import line_from_slot  # noqa: E402
from bot.value_session import Draft, step  # noqa: E402
from tests.offpath.runner import DEV_FILES, HELDOUT_FILES, load, start_draft  # noqa: E402
from tests.servers import sqlite_url, start_servers  # noqa: E402
from web.store import load_events  # noqa: E402

REPORTS = ROOT / "reports"
State = tuple[tuple[tuple[Decimal, str], ...], Decimal | None, Decimal | None, int | None]


def _starts_at_the_first_line(case: dict[str, Any]) -> bool:
    start = case.get("start") or {}
    return start.get("at", "line") == "line" and not start.get("lines") and not start.get("price")


def _number(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def pure_state(draft: Draft) -> State:
    """What bot.value_session holds."""
    lines = tuple((line.amount, line.frequency.value) for line in draft.all_lines)
    return lines, draft.one_off, draft.per_year, draft.years


def stored_state(events: list[dict[str, Any]]) -> State:
    """What the real bot stored: the last value of each slot in the conversation's events."""
    slots: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            slots[event.get("name")] = event.get("value")
        elif event.get("event") in ("restart", "session_started"):
            slots.clear()
    lines = tuple(
        (line.amount, line.frequency.value)
        for line in map(
            line_from_slot, [*(slots.get("value_lines") or []), *(slots.get("pending_lines") or [])]
        )
    )
    years = slots.get("contract_years")
    return (
        lines,
        _number(slots.get("price_one_off")),
        _number(slots.get("price_recurring")),
        int(years) if years not in (None, "") and str(years).isdigit() else None,
    )


def _say(url: str, sender: str, text: str) -> list[str]:
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return [str(reply.get("text", "")) for reply in response.json()]


def replay(rasa_url: str, database: str, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Every turn of ``case`` through the real bot; one record per turn."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    sender = f"offpath-{uuid.uuid4().hex}"
    for text in VALUE_START:
        _say(url, sender, text)
    draft = start_draft(case.get("start") or {})
    records = []
    for index, turn in enumerate(case["turns"]):
        say = str(turn.get("say") or "")
        replies = _say(url, sender, say)
        draft = step(draft, say).draft
        pure, stored = pure_state(draft), stored_state(load_events(database, sender))
        records.append(
            {
                "case": case["id"],
                "turn": index,
                "say": say,
                "same": pure == stored,
                "pure": _shown(pure),
                "stored": _shown(stored),
                "replies": replies,
            }
        )
        if pure != stored:
            break  # the two have parted: later turns would compare different conversations
    return records


def _shown(state: State) -> dict[str, Any]:
    lines, one_off, per_year, years = state
    return {
        "lines": [f"{amount} {per}" for amount, per in lines],
        "one_off": None if one_off is None else str(one_off),
        "per_year": None if per_year is None else str(per_year),
        "years": years,
    }


def markdown(results: dict[str, list[dict[str, Any]]], seconds: float) -> str:
    turns = sum(len(records) for records in results.values())
    same = sum(record["same"] for records in results.values() for record in records)
    out = [
        "# Off-path cases through the real bot",
        "",
        "Written by `make evaluate` (scripts/evaluate_offpath_rest.py): the cases that start at the first",
        "value question, replayed over REST (Rasa, the shipped model, the action server); after each turn",
        "the stored slots are compared with bot.value_session's state after the same turn. A case stops",
        f"at its first difference. {turns} turns in {seconds:.0f} s.",
        "",
        "| file | turns | same state |",
        "|---|---|---|",
    ]
    for name, records in results.items():
        out.append(f"| {name} | {len(records)} | {sum(r['same'] for r in records)} |")
    out.append(
        f"| **all** | {turns} | {same} ({100 * same / turns:.1f}%) |" if turns else "| **all** | 0 | - |"
    )
    differences = [record for records in results.values() for record in records if not record["same"]]
    if differences:
        out += ["", "## Differences", ""]
        for record in differences:
            out.append(
                f"- `{record['case']}` turn {record['turn']}: \"{record['say']}\": "
                f"bot.value_session {record['pure']}, the real bot {record['stored']}; "
                f"replies: {' / '.join(record['replies'])[:300]}"
            )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases", type=int, default=6, help="cases per file (the first that start at a line)"
    )
    parser.add_argument("--files", default="", help="file stems, comma-separated (default: every file)")
    args = parser.parse_args()
    wanted = {name for name in args.files.split(",") if name}
    files = [path for path in (*DEV_FILES, *HELDOUT_FILES) if not wanted or path.stem in wanted]
    results: dict[str, list[dict[str, Any]]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="waardecoach-offpath-") as directory:
        logs = Path(directory)
        database = sqlite_url(logs)
        with start_servers(logs, database, web=False) as servers:
            for path in files:
                cases = [case for case in load(path) if _starts_at_the_first_line(case)][: args.cases]
                results[path.stem] = [
                    record for case in cases for record in replay(servers.rasa_url, database, case)
                ]
                same = sum(record["same"] for record in results[path.stem])
                print(f"{path.stem}: {same}/{len(results[path.stem])} turns the same", flush=True)
    seconds = time.perf_counter() - started
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "offpath_rest.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (REPORTS / "offpath_rest.md").write_text(markdown(results, seconds), encoding="utf-8")


if __name__ == "__main__":
    main()
