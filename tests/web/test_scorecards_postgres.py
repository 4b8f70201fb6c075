"""Score overrides, the score filter and order, and progress on PostgreSQL: the same as on SQLite.

Runs against a throw-away PostgreSQL cluster (Debian's package, see ``tests/postgres.py``);
skipped when PostgreSQL is not installed (`make system-deps` installs it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.postgres import postgres_bin, temporary_postgres
from tests.web.rehearsals import DAY, MONDAY, scorecard_value, store_rehearsals
from web import listing, store

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with temporary_postgres() as url:
        store_rehearsals(
            url, "piet", [scorecard_value("hospital_poor", "Piet"), scorecard_value("hospital_good", "Piet")]
        )
        store_rehearsals(url, "sara", [scorecard_value("catering_mediocre", "Sara")], MONDAY + DAY)
        yield url
        store.engine_for(url).dispose()


def test_overrides_filters_and_progress_on_postgresql(postgres_url: str) -> None:
    conversation = store.load_conversation(postgres_url, "sara")
    # The rehearsal scores of tests/web/test_scorecards.py: catering_mediocre 47, hospital_good 90.
    assert conversation is not None and [card.score for card in conversation.scorecards] == [47]
    saved = store.add_override(
        postgres_url, "sara", conversation.scorecards[0], "promise", 12, "Ruim", "anna"
    )
    assert saved.points == 10 and saved.created_at.tzinfo is not None
    assert [(o.criterion, o.points, o.note) for o in store.list_overrides(postgres_url, "sara")] == [
        ("promise", 10, "Ruim")
    ]
    # The promise override (0 -> 10) lifts Sara from 47 to 57.
    summaries = listing.list_conversations(
        postgres_url, listing.ConversationFilter(min_score=55), "score_asc"
    )
    assert [(s.sender_id, s.score) for s in summaries] == [("sara", 57), ("piet", 90)]
    rows = listing.progress(postgres_url)
    assert [(row.salesperson, row.first.effective, row.best.effective) for row in rows] == [
        ("Piet", 0, 90),
        ("Sara", 57, 57),
    ]
    store.delete_conversation(postgres_url, "sara")
    assert store.list_overrides(postgres_url, "sara") == []
    columns = {c["name"] for c in sa.inspect(store.engine_for(postgres_url)).get_columns("review_overrides")}
    assert columns == {"id", "sender_id", "scorecard", "criterion", "points", "note", "author", "created_at"}
