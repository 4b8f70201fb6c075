"""The store on SQLite: Rasa's events table read (never created), our notes and tags tables."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

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
from web import listing, store
from web.listing import ConversationFilter

DAY = 24 * 3600


def ids(summaries: list[listing.ConversationSummary]) -> list[str]:
    return [summary.sender_id for summary in summaries]


def test_a_missing_events_table_means_no_conversations(empty_url: str) -> None:
    assert listing.list_conversations(empty_url) == []
    assert store.load_events(empty_url, PROMOTER) == []
    assert store.load_conversation(empty_url, PROMOTER) is None
    assert store.load_conversations(empty_url, [PROMOTER]) == []
    assert store.delete_conversation(empty_url, PROMOTER) == 0
    tables = sa.inspect(store.engine_for(empty_url)).get_table_names()
    assert "events" not in tables  # never created by us
    assert {"review_notes", "review_tags"} <= set(tables)


def test_lists_every_conversation_newest_first(database_url: str) -> None:
    summaries = listing.list_conversations(database_url)
    assert ids(summaries) == [RESTARTED, PROMISE, DISSATISFIED, PROMOTER]
    by_id = {s.sender_id: s for s in summaries}
    assert by_id[PROMOTER].outcome == "promoter"
    assert by_id[DISSATISFIED].outcome == "dissatisfied"
    assert by_id[PROMISE].outcome == "none"
    assert by_id[PROMOTER].length == 19


def test_filters_by_verdict_flags_and_tag(database_url: str) -> None:
    assert ids(listing.list_conversations(database_url, ConversationFilter(outcome="promoter"))) == [PROMOTER]
    assert ids(listing.list_conversations(database_url, ConversationFilter(outcome="none"))) == [
        RESTARTED,
        PROMISE,
    ]
    assert ids(listing.list_conversations(database_url, ConversationFilter(outcome="satisfied"))) == []
    assert ids(listing.list_conversations(database_url, ConversationFilter(flagged=True))) == [
        PROMISE,
        PROMOTER,
    ]
    assert ids(listing.list_conversations(database_url, ConversationFilter(flagged=False))) == [
        RESTARTED,
        DISSATISFIED,
    ]
    store.add_tag(database_url, DISSATISFIED, "oefenen")
    assert ids(listing.list_conversations(database_url, ConversationFilter(tag="oefenen"))) == [DISSATISFIED]


def test_filters_by_start_day_in_amsterdam_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'days.db'}"
    events = recorded_events()[PROMOTER]
    # 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam
    late = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc).timestamp() - events[0]["timestamp"]
    early = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc).timestamp() - events[0]["timestamp"]
    insert_rows(url, [rasa_row("laat", e) for e in shifted(events, late)])
    insert_rows(url, [rasa_row("vroeg", e) for e in shifted(events, early)])
    insert_rows(url, [rasa_row("later", e) for e in shifted(events, late + 5 * DAY)])
    everything = listing.list_conversations(url)
    assert ids(everything) == ["later", "laat", "vroeg"]
    on_first = ConversationFilter(start=date(2026, 3, 1), end=date(2026, 3, 1))
    assert ids(listing.list_conversations(url, on_first)) == ["vroeg"]
    assert ids(listing.list_conversations(url, ConversationFilter(start=date(2026, 3, 2)))) == [
        "later",
        "laat",
    ]
    assert ids(listing.list_conversations(url, ConversationFilter(end=date(2026, 3, 2)))) == ["laat", "vroeg"]
    assert ids(listing.list_conversations(url, ConversationFilter(start=date(2026, 3, 8)))) == []


def test_loads_one_conversation_in_stored_order(database_url: str) -> None:
    events = store.load_events(database_url, PROMOTER)
    assert events == recorded_events()[PROMOTER]
    conversation = store.load_conversation(database_url, PROMOTER)
    assert conversation is not None and conversation.verdict is not None
    assert store.load_conversation(database_url, "onbekend") is None
    found = store.load_conversations(database_url, [PROMOTER, "onbekend", DISSATISFIED, PROMOTER])
    assert [c.id for c in found] == [DISSATISFIED, PROMOTER]


def test_notes(database_url: str) -> None:
    first = store.add_note(database_url, PROMOTER, "anna", "Goede opening.")
    second = store.add_note(database_url, PROMOTER, "bram", "Let op het moment.\nTweede regel.")
    store.add_note(database_url, DISSATISFIED, "anna", "Korting vermeden.")
    notes = store.list_notes(database_url, PROMOTER)
    assert [(n.author, n.text) for n in notes] == [("anna", "Goede opening."), ("bram", second.text)]
    assert notes[0].id == first.id and notes[0].created_at.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - notes[0].created_at).total_seconds()) < 60
    by_conversation = store.notes_by_conversation(database_url, [PROMOTER, DISSATISFIED, PROMISE])
    assert {key: len(value) for key, value in by_conversation.items()} == {PROMOTER: 2, DISSATISFIED: 1}


def test_tags_are_unique_per_conversation(database_url: str) -> None:
    assert store.add_tag(database_url, PROMOTER, "goed voorbeeld")
    assert not store.add_tag(database_url, PROMOTER, "goed voorbeeld")
    assert store.add_tag(database_url, PROMOTER, "Bespreken")
    assert store.add_tag(database_url, DISSATISFIED, "goed voorbeeld")
    assert store.list_tags(database_url, PROMOTER) == ("Bespreken", "goed voorbeeld")
    assert store.remove_tag(database_url, PROMOTER, "Bespreken")
    assert not store.remove_tag(database_url, PROMOTER, "Bespreken")
    assert store.tags_by_conversation(database_url, [PROMOTER, DISSATISFIED, PROMISE]) == {
        PROMOTER: ("goed voorbeeld",),
        DISSATISFIED: ("goed voorbeeld",),
    }
    summaries = {s.sender_id: s.tags for s in listing.list_conversations(database_url)}
    assert summaries[PROMOTER] == ("goed voorbeeld",) and summaries[PROMISE] == ()


def test_delete_removes_events_notes_and_tags_of_one_conversation(database_url: str) -> None:
    store.add_note(database_url, RESTARTED, "anna", "Privacyverzoek.")
    store.add_tag(database_url, RESTARTED, "verwijderen")
    store.add_tag(database_url, PROMOTER, "verwijderen")
    deleted = store.delete_conversation(database_url, RESTARTED)
    assert deleted == len(recorded_events()[RESTARTED])
    assert store.load_conversation(database_url, RESTARTED) is None
    assert store.list_notes(database_url, RESTARTED) == []
    assert store.list_tags(database_url, RESTARTED) == ()
    assert ids(listing.list_conversations(database_url)) == [PROMISE, DISSATISFIED, PROMOTER]
    assert store.list_tags(database_url, PROMOTER) == ("verwijderen",)


def test_takes_an_engine_as_well_as_a_url(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    assert ids(listing.list_conversations(engine)) == ids(listing.list_conversations(database_url))
    store.add_note(engine, PROMOTER, "anna", "via engine")
    assert [n.text for n in store.list_notes(database_url, PROMOTER)] == ["via engine"]
    assert store.engine_for(engine) is engine
    assert store.engine_for(database_url) is store.engine_for(database_url)
    engine.dispose()


def test_unreadable_data_falls_back_to_the_row(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('kapot', 'restart', 5.0, 'x')"
            )
        )
    assert store.load_events(engine, "kapot") == [{"event": "restart", "timestamp": 5.0}]
    engine.dispose()


@pytest.mark.parametrize("outcome", ["promoter", "satisfied", "dissatisfied", "none"])
def test_every_outcome_filter_is_accepted(database_url: str, outcome: listing.Outcome) -> None:
    for summary in listing.list_conversations(database_url, ConversationFilter(outcome=outcome)):
        assert summary.outcome == outcome
