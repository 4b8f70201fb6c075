"""Throughput of two instances on long conversations (part of `make bench`, not a test).

Starts the scale-out topology of deploy/ on this machine (tests/scale_out.py: PostgreSQL, Redis, the
action server, two Rasa instances with the shipped model, nginx) and replays, without pauses, at 10
and 50 concurrent conversations: the short scripts of tests/conversations.py (as scripts/bench.py
does), and a mix in which every other conversation is a 40-turn rehearsal (the rehearsal of
scripts/bench_long.py). Reports messages per second, errors and latency for each. Writes
reports/bench_mix.json and reports/bench_mix.md.

    .venv/bin/python scripts/bench_mix.py [--levels 10,50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import first_answer, load, progress  # noqa: E402
from bench_long import REHEARSAL_START, REHEARSAL_TURNS  # noqa: E402

from tests.conversations import SCRIPTS  # noqa: E402
from tests.scale_out import start_scale_out  # noqa: E402
from tests.servers import MODEL  # noqa: E402

TARGET_MIX = 60.0  # messages per second on the long mix, two instances
REHEARSAL_TURNS_IN_MIX = 40


def long_mix() -> list[tuple[str, ...]]:
    """Every other conversation a 40-turn rehearsal, the others the short scripts."""
    rehearsal = (
        *REHEARSAL_START,
        *islice(cycle(REHEARSAL_TURNS), REHEARSAL_TURNS_IN_MIX - len(REHEARSAL_START)),
    )
    mixed: list[tuple[str, ...]] = []
    for name in sorted(SCRIPTS):
        mixed += [rehearsal, SCRIPTS[name]]
    return mixed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="10,50", help="concurrent conversations, comma-separated")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    results: dict[str, list[dict]] = {"short": [], "long_mix": []}
    with tempfile.TemporaryDirectory(prefix="waardecoach-bench-mix-") as work:
        progress("starting PostgreSQL, Redis, the action server, 2 Rasa instances and nginx")
        with start_scale_out(Path(work), instances=2, model=MODEL) as topology:
            first_answer(topology.url, topology.rest_headers)
            for name, scripts in (("short", None), ("long_mix", long_mix())):
                for conversations in levels:
                    outcome = asyncio.run(
                        load(topology.url, conversations, 0.0, scripts, topology.rest_headers)
                    )
                    results[name].append(asdict(outcome))
                    progress(
                        f"{name}: {conversations} conversations: {outcome.messages_per_second} msg/s, "
                        f"{outcome.errors} errors, p95 {outcome.p95_ms} ms"
                    )
    peak = max((r["messages_per_second"] for r in results["long_mix"] if r["errors"] == 0), default=0.0)
    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", "scripts/bench_mix.py", *sys.argv[1:]]),
        "target_long_mix_messages_per_second": TARGET_MIX,
        "peak_long_mix_messages_per_second": peak,
        "results": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_mix.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Two instances, short scripts and the long mix",
        "",
        f"Measured {report['measured_at']}; `{report['command']}`. No pauses; the long mix has a 40-turn"
        f" rehearsal as every other conversation. Target on the long mix: ≥ {TARGET_MIX} msg/s without errors;"
        f" measured peak {peak} ({'met' if peak >= TARGET_MIX else 'not met'}).",
        "",
        "| Load | Conversations | Messages | Errors | p50 ms | p95 ms | msg/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        for r in rows:
            lines.append(
                f"| {name} | {r['conversations']} | {r['messages']} | {r['errors']} | {r['p50_ms']} "
                f"| {r['p95_ms']} | {r['messages_per_second']} |"
            )
    (args.out / "bench_mix.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
