"""A privacy delete (web.store.delete_conversation) while Rasa handles a turn of that conversation:
the tracker store does not write the conversation back (rasa_addons/tracker_store.py), also when the
delete and the save meet in the database at the same moment (PostgreSQL's row locks)."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from tests.storage.conftest import run, store
from tests.storage.test_tracker_cache import new_conversation, turn
from web.store import delete_conversation


def stored(database_url: str, sender: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT count(*) FROM events WHERE sender_id = :sender")
            return int(connection.execute(query, {"sender": sender}).scalar_one())
    finally:
        engine.dispose()


def test_a_turn_that_ends_after_the_delete_is_not_written_back(database_url: str) -> None:
    first = store(database_url)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))  # the turn begins
    turn(tracker, "twee")
    assert delete_conversation(database_url, sender) > 0  # the trainer deletes meanwhile
    run(first.save(tracker))  # the turn ends
    assert stored(database_url, sender) == 0
    turn(tracker, "drie")  # the same tracker saved again: still nothing
    run(first.save(tracker))
    assert stored(database_url, sender) == 0
    assert run(first.retrieve(sender)) is None  # the next message begins a new conversation


def test_a_turn_that_ends_before_the_delete_is_deleted_with_it(database_url: str) -> None:
    first = store(database_url)
    sender = new_conversation(first)
    tracker = run(first.retrieve(sender))
    turn(tracker, "twee")
    run(first.save(tracker))
    assert delete_conversation(database_url, sender) > 0
    assert stored(database_url, sender) == 0
    assert run(first.retrieve(sender)) is None


def test_a_delete_that_waited_for_a_save_removes_the_saved_rows(database_url: str) -> None:
    """The save's check locks the conversation's last row (FOR SHARE) until it commits; a delete that
    starts meanwhile waits for it on PostgreSQL, and must then remove the rows that save added."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no row locks: one writer at a time")
    first = store(database_url)
    sender = new_conversation(first)
    engine = sa.create_engine(database_url)
    deleted: list[int] = []
    try:
        with engine.begin() as saving:  # what the tracker store's save does, step by step
            last = saving.execute(
                sa.text("SELECT max(id) FROM events WHERE sender_id = :sender"), {"sender": sender}
            ).scalar_one()
            locked = saving.execute(sa.text("SELECT id FROM events WHERE id = :id FOR SHARE"), {"id": last})
            assert locked.first() is not None
            deleting = threading.Thread(
                target=lambda: deleted.append(delete_conversation(database_url, sender))
            )
            deleting.start()
            time.sleep(1.0)
            assert deleting.is_alive(), "the delete did not wait for the save's lock"
            saving.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:sender, 'user', 0, '{}')"
                ),
                {"sender": sender},
            )
        deleting.join(timeout=30)
    finally:
        engine.dispose()
    assert deleted and deleted[0] > 0
    assert stored(database_url, sender) == 0
