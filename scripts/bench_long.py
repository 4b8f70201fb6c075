"""Benchmark of long conversations (part of `make bench`, not a test).

Starts the action server and Rasa with the shipped model (models/waardecoach.tar.gz) on an
SQLite file, and talks over REST, one message at a time, through a 120-turn rehearsal and a
120-turn value conversation, each several times (a single run's medians of 10 replies move by
±30% on this shared 2-core machine). For each it reports the median reply time of turns 1-10 and
of turns 111-120 over all repeats (the cost of a message should not grow with the conversation),
and the bytes stored in the events table per turn. Writes reports/bench_long.json and
reports/bench_long.md.

    .venv/bin/python scripts/bench_long.py [--turns 120] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from itertools import cycle, islice
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import sqlite_url, start_servers  # noqa: E402

TARGET_RATIO = 1.3
TARGET_BYTES_PER_TURN = 2048
WINDOW = 10

REHEARSAL_START = ("hallo", "ik wil oefenen met een klant", "Sanne", "het ziekenhuis")
REHEARSAL_TURNS = (
    "Wat zou voor u over een jaar een succes zijn?",
    "Wat kost de schoonmaak u nu per jaar?",
    "Waar loopt u nu het meest tegenaan?",
    "Hoeveel kost dat u per jaar, denkt u?",
    "Waarom wilt u dit juist nu aanpakken?",
    "Wie beslist er nog meer mee?",
    "Wat gebeurt er als u niets verandert?",
    "Hoe meet u nu de kwaliteit?",
)
VALUE_START = (
    "hallo",
    "ik wil een waardegesprek voorbereiden",
    "schoonmaak voor een ziekenhuis in Utrecht",
    "ja, daar kan de klant zich in vinden",
)


def value_turns() -> list[str]:
    """A value line, its certainty and "yes, another one", over and over with other amounts."""
    turns = []
    for number in range(1, 1000):
        turns += [f"ze besparen {number * 100 + 900} per maand op post {number}", "80%", "ja"]
    return turns


SCRIPTS = {
    "rehearsal": (REHEARSAL_START, list(islice(cycle(REHEARSAL_TURNS), 1000))),
    "value_conversation": (VALUE_START, value_turns()),
}


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def converse(rasa_url: str, start: tuple[str, ...], turns: list[str], count: int) -> tuple[str, list[float]]:
    """Sends the start and then ``count`` turns; returns the sender id and each turn's reply time (ms)."""
    sender = f"long-{uuid.uuid4().hex}"
    url = f"{rasa_url}/webhooks/rest/webhook"
    latencies = []
    for index, message in enumerate([*start, *turns[: count - len(start)]]):
        started = time.perf_counter()
        response = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)
        if not response.ok or not response.json():
            raise RuntimeError(f"turn {index + 1} ({message!r}) got no reply: {response.status_code}")
    return sender, latencies


def stored_bytes(database_url: str, sender: str) -> int:
    """The UTF-8 bytes of the conversation's ``data`` column (compact rows keep non-ASCII characters
    as they are, so SQLite's length() of the text, in characters, would count fewer)."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        query = sa.text(
            "SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM events WHERE sender_id = :sender"
        )
        return int(connection.execute(query, {"sender": sender}).scalar_one())


def measure(turns: int, repeats: int) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="waardecoach-bench-long-") as work:
        logs = Path(work)
        database = sqlite_url(logs)
        with start_servers(logs, database, web=False) as servers:
            converse(servers.rasa_url, ("hallo",), [], 1)  # warm up
            for name, (start, script) in SCRIPTS.items():
                progress(f"{name}: {turns} turns, {repeats} times")
                firsts: list[float] = []
                lasts: list[float] = []
                for _ in range(repeats):
                    sender, latencies = converse(servers.rasa_url, start, script, turns)
                    firsts += latencies[:WINDOW]
                    lasts += latencies[-WINDOW:]
                first, last = statistics.median(firsts), statistics.median(lasts)
                stored = stored_bytes(database, sender)
                results[name] = {
                    "turns": turns,
                    "repeats": repeats,
                    "median_ms_first_10": round(first, 1),
                    "median_ms_last_10": round(last, 1),
                    "ratio_last_to_first": round(last / first, 2),
                    "stored_bytes": stored,
                    "stored_bytes_per_turn": round(stored / turns),
                }
                progress(f"{name}: {results[name]}")
    return results


def markdown(report: dict) -> str:
    lines = [
        "# Long conversations",
        "",
        f"Measured {report['measured_at']}; `{report['command']}`. One conversation at a time over REST"
        " (each kind repeated, the medians over all repeats),"
        " one Rasa instance, SQLite. Targets: the median reply of the last 10 turns at most"
        f" {TARGET_RATIO} × that of the first 10; at most {TARGET_BYTES_PER_TURN} bytes stored per turn.",
        "",
        "| Conversation | Turns | Median ms, turns 1-10 | Median ms, last 10 | Ratio | Met | Bytes stored per turn | Met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in report["results"].items():
        ratio_met = "yes" if row["ratio_last_to_first"] <= TARGET_RATIO else "**no**"
        bytes_met = "yes" if row["stored_bytes_per_turn"] <= TARGET_BYTES_PER_TURN else "**no**"
        lines.append(
            f"| {name} | {row['turns']} | {row['median_ms_first_10']} | {row['median_ms_last_10']} "
            f"| {row['ratio_last_to_first']} | {ratio_met} | {row['stored_bytes_per_turn']} | {bytes_met} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument(
        "--repeats", type=int, default=5, help="conversations of each kind; medians pool them"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", "scripts/bench_long.py", *sys.argv[1:]]),
        "results": measure(args.turns, args.repeats),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_long.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / "bench_long.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
