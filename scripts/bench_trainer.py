"""Benchmark of the trainer pages at scale (not a test): the list and the progress page at 10.000
and 100.000 stored conversations, on SQLite and on PostgreSQL.

Generates the conversations by copying recorded event streams (the four REST conversations of
``tests/web/fixtures/events.json`` and scripted rehearsals scored by the real roleplay core,
``tests/web/rehearsals.py``) under new sender ids, with their timestamps spread over a year and
50 salespeople's names, bulk-inserted into Rasa's ``events`` table: in a temporary SQLite file,
and in a throw-away PostgreSQL cluster (``tests/postgres.py``: Debian's package, fsync off;
skipped when PostgreSQL is not installed). Then builds the summary tables
(``web.summaries.rebuild``, what ``python -m web rebuild-summaries`` runs) and times each page
through Flask's test client, logged in as a trainer: the median of several requests after one
warm-up request. Also the first page right after one more conversation was stored (the
incremental refresh it does first; the storing itself is not timed).
Writes reports/bench_trainer.json and reports/bench_trainer.md.

    .venv/bin/python scripts/bench_trainer.py                                  # what `make bench` runs
    .venv/bin/python scripts/bench_trainer.py --sizes 1000 --databases sqlite  # a quick look
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from tests.postgres import postgres_bin, temporary_postgres  # noqa: E402
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
from web import store, summaries  # noqa: E402
from web.listing import PAGE_SIZE  # noqa: E402

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


def insert(url: str, rows: list[tuple[Any, ...]]) -> None:
    """Bulk-inserts events rows: executemany on SQLite, COPY on PostgreSQL."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.executemany(INSERT, rows)
        return
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    text.seek(0)
    raw = store.engine_for(url).raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", text)
        raw.commit()
    finally:
        raw.close()


def generate(url: str, count: int) -> int:
    """Creates Rasa's events table and stores ``count`` conversations; returns the rows stored."""
    events_table(store.engine_for(url))
    streams = templates()
    stored = 0
    batch: list[tuple[Any, ...]] = []
    for number in range(count):
        batch.extend(conversation_rows(streams, number, count))
        if len(batch) >= INSERT_BATCH or number == count - 1:
            insert(url, batch)
            stored += len(batch)
            batch = []
    return stored


def database_mb(url: str) -> int:
    if url.startswith("sqlite:///"):
        return round(Path(url.removeprefix("sqlite:///")).stat().st_size / 1e6)
    with store.engine_for(url).connect() as connection:
        return round(
            connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one() / 1e6
        )


@contextmanager
def empty_database(kind: str) -> Iterator[str]:
    """The URL of an empty database of this kind, removed afterwards."""
    if kind == "postgresql":
        with temporary_postgres() as url:
            yield url
            store.engine_for(url).dispose()
        return
    with tempfile.TemporaryDirectory(prefix="bench-trainer-") as folder:
        url = f"sqlite:///{Path(folder) / 'waardecoach.db'}"
        yield url
        store.engine_for(url).dispose()


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


def measure(kind: str, count: int, repeat: int) -> dict[str, Any]:
    with empty_database(kind) as url:
        began = time.perf_counter()
        rows = generate(url, count)
        generated = time.perf_counter() - began
        began = time.perf_counter()
        summarised = summaries.rebuild(url)
        rebuilt = time.perf_counter() - began
        client = logged_in(url)
        pages = {
            "list_first_page": "/trainer/",
            "list_filtered": "/trainer/?oordeel=ontevreden&coaching=ja&van=2026-03-01&tot=2026-09-30",
            "list_score_sort": "/trainer/?sorteer=score-hoog",
            "list_late_page": f"/trainer/?pagina={math.ceil(count / PAGE_SIZE)}",
            "progress_page": "/trainer/voortgang",
        }
        timings = {
            name: median_ms(lambda path=path: client.get(path), repeat) for name, path in pages.items()
        }
        streams = templates()
        added = iter(range(count, 2 * count))

        def store_one_more() -> None:
            """One more conversation, stored the way Rasa would while trainers read the list."""
            insert(url, conversation_rows(streams, next(added), count))

        timings["list_after_new_events"] = median_ms(lambda: client.get("/trainer/"), repeat, store_one_more)
        size = database_mb(url)
    return {
        "database": kind,
        "conversations": count,
        "events": rows,
        "database_mb": size,
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


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def markdown(report: dict[str, Any]) -> str:
    results = report["results"]
    lines = [
        "# Trainer pages at scale",
        "",
        f"{report['machine']}, {report['when']}. {report['note']}",
        f"Median of {report['repeat']} requests through Flask's test client, after one warm-up. "
        f"Target: every page within {TARGET_MS} ms.",
        "",
        "| page | " + " | ".join(f"{r['database']}, {_count(r['conversations'])}" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for key, label in PAGE_LABELS.items():
        lines.append(f"| {label} | " + " | ".join(f"{r['median_ms'][key]} ms" for r in results) + " |")
    lines += [
        "| events stored | " + " | ".join(_count(r["events"]) for r in results) + " |",
        "| database size | " + " | ".join(f"{_count(r['database_mb'])} MB" for r in results) + " |",
        "| rebuild-summaries | " + " | ".join(f"{r['rebuild_seconds']} s" for r in results) + " |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    kinds = [kind for kind in args.databases if kind == "sqlite" or postgres_bin() is not None]
    note = "SQLite in WAL mode; PostgreSQL 15 in a throw-away cluster with fsync off."
    if "postgresql" in args.databases and "postgresql" not in kinds:
        note = "SQLite in WAL mode; PostgreSQL is not installed, so not benchmarked."
    results = []
    for kind in kinds:
        for count in args.sizes:
            print(f"{kind}, {count} conversations ...", file=sys.stderr, flush=True)
            results.append(measure(kind, count, args.repeat))
            print(json.dumps(results[-1], indent=2), file=sys.stderr, flush=True)
    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "note": note,
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
