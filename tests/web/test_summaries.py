"""The summary tables of the trainer pages: always equal to a full replay of every conversation, kept up
to date in batches and by two workers at once, rebuilt by the command line, SQLite in WAL mode."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import web.__main__ as cli
from tests.web.conftest import (
    DISSATISFIED,
    PROMISE,
    PROMOTER,
    RESTARTED,
    insert_rows,
    rasa_row,
    recorded_events,
    shifted,
)
from tests.web.rehearsals import DAY, MONDAY, rehearsal_events, scorecard_value, store_rehearsals
from web import listing, store, summaries
from web.tables import REHEARSALS, SUMMARIES, WATERMARK, event_rows, overrides_by_sender
from web.transcript import build_conversation

PIET = "oefen-piet"
POOR = scorecard_value("hospital_poor", "Piet")  # three wording flags
GOOD = scorecard_value("hospital_good", "Piet")


def replayed(database: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the summary tables must hold: every conversation replayed from all its events."""
    engine = store.engine_for(database)
    with engine.connect() as connection:
        ids = sorted(connection.execute(sa.select(store.EVENTS.c.sender_id).distinct()).scalars())
        events: dict[str, list[dict[str, Any]]] = {sender_id: [] for sender_id in ids}
        last: dict[str, int] = {}
        for sender_id, event_id, event in event_rows(connection, ids):
            events[sender_id].append(event)
            last[sender_id] = event_id
        overrides = overrides_by_sender(connection, ids)
    rows, cards = [], []
    for sender_id in ids:
        row, rehearsals = summaries.summarise(
            build_conversation(sender_id, events[sender_id]), overrides.get(sender_id, ()), last[sender_id]
        )
        rows.append(row)
        cards.extend(rehearsals)
    return rows, cards


def stored(database: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with store.engine_for(database).connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(sa.select(SUMMARIES).order_by(SUMMARIES.c.sender_id))
        ]
        cards = [
            dict(row._mapping)
            for row in connection.execute(
                sa.select(REHEARSALS).order_by(REHEARSALS.c.sender_id, REHEARSALS.c.number)
            )
        ]
    return rows, cards


def assert_up_to_date(database: str) -> None:
    summaries.refresh(database)
    assert stored(database) == replayed(database)


def refresh_by_two_workers(database: str) -> list[BaseException]:
    """Two threads refresh the summaries at once; what either raised."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            summaries.refresh(database)
        except BaseException as error:  # returned to the test
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def store_events(database: str, sender_id: str, events: list[dict[str, Any]]) -> None:
    insert_rows(database, [rasa_row(sender_id, event) for event in events])


def test_the_tables_equal_a_full_replay_after_every_round(database_url: str) -> None:
    assert_up_to_date(database_url)  # the recorded conversations, summarised for the first time
    growing = rehearsal_events([POOR, GOOD], MONDAY + DAY)
    half = len(growing) // 2
    store_events(database_url, "groeit", growing[:half])
    store_rehearsals(database_url, PIET, [POOR])
    assert_up_to_date(database_url)
    # the conversation grows after it was summarised, between other conversations' events
    store_events(database_url, "ander", shifted(recorded_events()[DISSATISFIED], 3 * DAY))
    store_events(database_url, "groeit", growing[half:])
    assert_up_to_date(database_url)
    rows = {row["sender_id"]: row for row in stored(database_url)[0]}
    assert rows["groeit"]["scorecard_count"] == 2 and rows["groeit"]["score"] == 90
    # an override and a deletion change the rows at once, without new events
    conversation = store.load_conversation(database_url, PIET)
    assert conversation is not None
    card = conversation.scorecards[0]
    store.add_override(database_url, PIET, card, "value_question", 15, "Goede vraag", "anna")
    assert stored(database_url) == replayed(database_url)
    assert {row["sender_id"]: row["score"] for row in stored(database_url)[0]}[PIET] == 5  # 5 + 15 - 15
    store.delete_conversation(database_url, RESTARTED)
    assert stored(database_url) == replayed(database_url)
    assert RESTARTED not in {row["sender_id"] for row in stored(database_url)[0]}


def test_a_row_holds_what_the_list_shows(database_url: str) -> None:
    store_rehearsals(database_url, PIET, [POOR, GOOD])
    summaries.refresh(database_url)
    rows = {row["sender_id"]: row for row in stored(database_url)[0]}
    promoter = rows[PROMOTER]
    assert (promoter["client"], promoter["salesperson"], promoter["channel"]) == (
        "schoonmaak voor een ziekenhuis in Utrecht",
        "",
        "rest",
    )
    assert (promoter["outcome"], promoter["ratio"], promoter["flag_count"], promoter["length"]) == (
        "promoter",
        "1,3",
        1,
        19,
    )
    assert promoter["scenario"] == "value" and rows[PROMISE]["scenario"] == "promise"
    assert rows[DISSATISFIED]["warnings"] == "discount"
    assert rows[RESTARTED]["client"] == "ICT-beheer voor een gemeente"  # the last one worked on
    piet = rows[PIET]
    # the rehearsals' wording flags count: hospital_poor has three
    assert (piet["salesperson"], piet["client"], piet["scenario"], piet["flag_count"]) == (
        "Piet",
        "Ingrid Verbeek",
        "rehearsal",
        3,
    )
    assert (piet["scorecard_count"], piet["score"], piet["automatic_score"], piet["score_overridden"]) == (
        2,
        90,
        90,
        False,
    )


def test_batches_and_two_workers_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'samen.db'}"
    events = recorded_events()
    for number in range(12):
        original = list(events)[number % len(events)]
        store_events(url, f"gesprek-{number:02d}", shifted(events[original], number * DAY))
    monkeypatch.setattr(summaries, "BATCH", 37)  # conversations straddle batches
    assert refresh_by_two_workers(url) == []
    assert stored(url) == replayed(url)
    with store.engine_for(url).connect() as connection:
        watermark = connection.execute(sa.select(WATERMARK.c.last_event_id)).scalar_one()
        assert watermark == connection.execute(sa.select(sa.func.max(store.EVENTS.c.id))).scalar_one()


def test_the_tables_are_created_and_filled_when_missing(database_url: str, empty_url: str) -> None:
    assert listing.list_conversations(empty_url) == []
    assert {"conversation_summaries", "rehearsal_summaries", "summary_watermark"} <= set(
        sa.inspect(store.engine_for(empty_url)).get_table_names()
    )
    assert len(listing.list_conversations(database_url)) == 4


def test_rebuild_from_the_command_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summaries.refresh(database_url)
    with store.engine_for(database_url).begin() as connection:
        connection.execute(SUMMARIES.update().values(salesperson="fout", flag_count=99))
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", database_url)
    cli.main(["rebuild-summaries"])
    assert "summarised 4 conversation(s)" in capsys.readouterr().err
    assert stored(database_url) == replayed(database_url)


def test_sqlite_runs_in_wal_mode(database_url: str) -> None:
    with store.engine_for(database_url).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_summary_tables_of_an_older_version_are_made_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ouder.db'}"
    engine = sa.create_engine(url)
    older = sa.MetaData()
    sa.Table("conversation_summaries", older, sa.Column("sender_id", sa.String(255), primary_key=True))
    sa.Table(
        "summary_watermark",
        older,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_event_id", sa.Integer),
    )
    older.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO summary_watermark VALUES (1, 999999)"))
    engine.dispose()
    insert_rows(url, [rasa_row("oud", event) for event in recorded_events()[PROMOTER]])
    assert [summary.sender_id for summary in listing.list_conversations(url)] == ["oud"]
    assert stored(url) == replayed(url)
