"""Benchmark of the trainer pages at scale (not a test): the list and the progress page at 10.000
and 100.000 stored conversations, on SQLite.

Generates the conversations by copying recorded event streams (the four REST conversations of
``tests/web/fixtures/events.json`` and scripted rehearsals scored by the real roleplay core,
``tests/web/rehearsals.py``) under new sender ids, with their timestamps spread over a year and
50 salespeople's names, bulk-inserted into Rasa's ``events`` table in a temporary SQLite file.
Then builds the summary table (``web.summaries.rebuild``, what ``python -m web rebuild-summaries``
runs) and times each page through Flask's test client, logged in as a trainer: the median of
several requests after one warm-up request. Also the first page right after new events were
stored (the incremental refresh it does first). PostgreSQL is not benchmarked here.
Writes reports/bench_trainer.json and reports/bench_trainer.md.

    .venv/bin/python scripts/bench_trainer.py                  # what `make bench` runs
    .venv/bin/python scripts/bench_trainer.py --sizes 1000     # a quick look
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from tests.web.conftest import (  # noqa: E402
    PASSWORD,
    TRAINER,
    csrf_from,
    events_table,
    make_app,
    rasa_row,
    recorded_events,
)
from tests.web.rehearsals import rehearsal_events, scorecard_value  # noqa: E402
from web import summaries  # noqa: E402

REPORTS = ROOT / "reports"
TARGET_MS = 300
YEAR = 365 * 24 * 3600.0
START = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
SALESPEOPLE = 50
# (name of the scripted rehearsal, how many rehearsals one conversation holds)
REHEARSALS = (("hospital_poor", 1), ("catering_mediocre", 1), ("municipality_good", 2), ("hospital_good", 1))
INSERT_BATCH = 20_000
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"


def templates() -> list[list[dict[str, Any]]]:
    """The event streams copied: every recorded conversation, then each salesperson's rehearsals
    (every script of :data:`REHEARSALS` for each of them).

    Each stream starts at time 0; a generated conversation shifts it to its own start.
    """
    streams: list[list[dict[str, Any]]] = list(recorded_events().values())
    for script, times in REHEARSALS:
        for person in range(SALESPEOPLE):
            streams.append(rehearsal_events([scorecard_value(script, f"Verkoper{person:02d}")] * times))
    return [
        [{**event, "timestamp": event["timestamp"] - stream[0]["timestamp"]} for event in stream]
        for stream in streams
    ]


def conversation_rows(streams: list[list[dict[str, Any]]], number: int, count: int) -> list[tuple[Any, ...]]:
    """The events rows of generated conversation ``number`` of ``count``: every even one a recorded
    value conversation, every odd one a rehearsal by one of the salespeople."""
    recorded = 4
    if number % 2 == 0:
        stream = streams[(number // 2) % recorded]
    else:
        stream = streams[recorded + (number // 2) % (SALESPEOPLE * len(REHEARSALS))]
    sender_id = f"bench-{number:06d}"
    start = START + YEAR * number / count
    rows = []
    for event in stream:
        row = rasa_row(sender_id, {**event, "timestamp": event["timestamp"] + start})
        rows.append(tuple(row[column] for column in COLUMNS))
    return rows


def generate(path: Path, count: int) -> int:
    """Creates Rasa's events table in the SQLite file and stores ``count`` conversations; returns the rows."""
    engine = sa.create_engine(f"sqlite:///{path}")
    events_table(engine)
    engine.dispose()
    streams = templates()
    stored = 0
    with sqlite3.connect(path) as connection:
        batch: list[tuple[Any, ...]] = []
        for number in range(count):
            batch.extend(conversation_rows(streams, number, count))
            if len(batch) >= INSERT_BATCH:
                connection.executemany(INSERT, batch)
                stored += len(batch)
                batch = []
        connection.executemany(INSERT, batch)
        stored += len(batch)
    return stored


def logged_in(url: str) -> FlaskClient:
    client = make_app(url).test_client()
    token = csrf_from(client.get("/trainer/login").text)
    response = client.post(
        "/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client


def median_ms(request: Callable[[], Any], repeat: int, prepare: Callable[[], None] = lambda: None) -> float:
    """The median time of ``request`` (``prepare`` runs untimed before each), after one warm-up."""
    prepare()
    request()
    times = []
    for _ in range(repeat):
        prepare()
        began = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return round(statistics.median(times), 1)


def measure(count: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-trainer-") as folder:
        path = Path(folder) / "waardecoach.db"
        began = time.perf_counter()
        rows = generate(path, count)
        generated = time.perf_counter() - began
        url = f"sqlite:///{path}"
        began = time.perf_counter()
        summarised = summaries.rebuild(url)
        rebuilt = time.perf_counter() - began
        client = logged_in(url)
        last_page = (count + 49) // 50
        pages = {
            "list_first_page": "/trainer/",
            "list_filtered": "/trainer/?oordeel=ontevreden&coaching=ja&van=2026-03-01&tot=2026-09-30",
            "list_score_sort": "/trainer/?sorteer=score-hoog",
            "list_late_page": f"/trainer/?pagina={last_page}",
            "progress_page": "/trainer/voortgang",
        }
        timings = {
            name: median_ms(lambda path=path: client.get(path), repeat) for name, path in pages.items()
        }

        streams = templates()
        added = iter(range(count, 2 * count))

        def store_one_more() -> None:
            """One more conversation, stored the way Rasa would while trainers read the list."""
            with sqlite3.connect(path) as connection:
                connection.executemany(INSERT, conversation_rows(streams, next(added), count))

        timings["list_after_new_events"] = median_ms(lambda: client.get("/trainer/"), repeat, store_one_more)
        size_mb = path.stat().st_size / 1e6
    return {
        "conversations": count,
        "events": rows,
        "database_mb": round(size_mb),
        "generate_seconds": round(generated, 1),
        "rebuild_seconds": round(rebuilt, 1),
        "summarised": summarised,
        "median_ms": timings,
        "within_target": all(ms <= TARGET_MS for ms in timings.values()),
    }


PAGE_LABELS = {
    "list_first_page": "list, first page",
    "list_filtered": "list, filtered (verdict, flags, dates)",
    "list_score_sort": "list, by score",
    "list_late_page": "list, last page",
    "progress_page": "progress page",
    "list_after_new_events": "list, first page after one new conversation",
}


def markdown(report: dict[str, Any]) -> str:
    sizes = report["results"]
    lines = [
        "# Trainer pages at scale",
        "",
        f"{report['machine']}, {report['when']}. SQLite (WAL); PostgreSQL is not benchmarked here.",
        f"Median of {report['repeat']} requests through Flask's test client, after one warm-up. "
        f"Target: every page within {TARGET_MS} ms.",
        "",
        "| page | "
        + " | ".join(f"{r['conversations']:,} conversations".replace(",", ".") for r in sizes)
        + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for key, label in PAGE_LABELS.items():
        lines.append(f"| {label} | " + " | ".join(f"{r['median_ms'][key]} ms" for r in sizes) + " |")
    lines += [
        "| events stored | " + " | ".join(f"{r['events']:,}".replace(",", ".") for r in sizes) + " |",
        "| database size | " + " | ".join(f"{r['database_mb']} MB" for r in sizes) + " |",
        "| rebuild-summaries | " + " | ".join(f"{r['rebuild_seconds']} s" for r in sizes) + " |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = []
    for count in args.sizes:
        print(f"{count} conversations ...", file=sys.stderr, flush=True)
        results.append(measure(count, args.repeat))
        print(json.dumps(results[-1], indent=2), file=sys.stderr, flush=True)
    report = {
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "repeat": args.repeat,
        "target_ms": TARGET_MS,
        "results": results,
    }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "bench_trainer.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (REPORTS / "bench_trainer.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
