"""The summary tables on PostgreSQL: the same as a full replay, also when a Rasa instance commits events
with lower ids after the watermark passed them, and with two workers refreshing at once.

Runs against a throw-away PostgreSQL cluster (Debian's package, see ``tests/postgres.py``);
skipped when PostgreSQL is not installed (`make system-deps` installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.postgres import postgres_bin, temporary_postgres
from tests.web.conftest import (
    DISSATISFIED,
    PROMISE,
    PROMOTER,
    events_table,
    rasa_row,
    recorded_events,
    shifted,
)
from tests.web.test_summaries import refresh_by_two_workers, replayed, stored
from web import listing, store, summaries

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed")
DAY = 24 * 3600


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with temporary_postgres() as url:
        yield url
        store.engine_for(url).dispose()


def store_with_ids(url: str, sender_id: str, events: list[dict[str, Any]], first_id: int) -> None:
    """Stores the events with ids from ``first_id`` on, as a Rasa instance whose sequence values these are."""
    engine = store.engine_for(url)
    table = events_table(engine)
    rows = [{**rasa_row(sender_id, event), "id": first_id + n} for n, event in enumerate(events)]
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)


def test_events_committed_late_below_the_watermark_are_summarised(postgres_url: str) -> None:
    events = recorded_events()
    store_with_ids(postgres_url, "a", events[PROMISE], 1)
    # another instance took ids 1000.. and committed first; "a" still has ids 500.. to commit
    store_with_ids(postgres_url, "b", shifted(events[DISSATISFIED], DAY), 1000)
    assert [s.sender_id for s in listing.list_conversations(postgres_url)] == ["b", "a"]
    store_with_ids(postgres_url, "a", shifted(events[PROMOTER], 2 * DAY), 500)
    summaries.refresh(postgres_url)
    assert stored(postgres_url) == replayed(postgres_url)
    row = {row["sender_id"]: row for row in stored(postgres_url)[0]}["a"]
    assert row["last_event_id"] == 500 + len(events[PROMOTER]) - 1


def test_two_workers_at_once_on_postgresql(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    events = recorded_events()
    next_id = 1
    for number in range(10):
        original = list(events)[number % len(events)]
        store_with_ids(postgres_url, f"gesprek-{number}", shifted(events[original], number * DAY), next_id)
        next_id += len(events[original])
    monkeypatch.setattr(summaries, "BATCH", 41)
    assert refresh_by_two_workers(postgres_url) == []
    assert stored(postgres_url) == replayed(postgres_url)
