"""The web app's database engines: one per URL, SQLite in WAL mode, our tables created when missing."""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError

from web.tables import OURS, SUMMARY_TABLES, WATERMARK

__all__ = ["Database", "engine_for", "ready_engine"]

logger = logging.getLogger(__name__)

Database = Engine | str

_engines: dict[str, Engine] = {}
_ready: weakref.WeakSet[Engine] = weakref.WeakSet()
_lock = threading.Lock()
_creating = threading.Lock()


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in WAL mode: the trainer pages' reads never block Rasa's writes, nor the other way round.

    The mode is stored in the database file, so Rasa's own connections use it too. Switching needs
    a moment without other writers: when Rasa is writing just then, the next connection tries again.
    """
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        logger.warning("SQLite stays in its journal mode for now: %s", error)
    finally:
        cursor.close()


def engine_for(database: Database) -> Engine:
    """The engine itself, or one shared engine per URL (SQLite ones in WAL mode)."""
    if isinstance(database, Engine):
        return database
    with _lock:
        if database not in _engines:
            engine = sa.create_engine(database, future=True, pool_pre_ping=True)
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", _write_ahead_log)
            _engines[database] = engine
        return _engines[database]


def _drop_outdated_summaries(engine: Engine) -> None:
    """Drops the summary tables when their columns are not those of this version (they only hold
    what the events give, so they are created again and refilled) and resets the watermark."""
    inspector = sa.inspect(engine)
    outdated = [
        table
        for table in SUMMARY_TABLES
        if inspector.has_table(table.name)
        and {column["name"] for column in inspector.get_columns(table.name)} != set(table.c.keys())
    ]
    if outdated:
        logger.warning("The summary tables are outdated: they are made again from the events.")
        for table in SUMMARY_TABLES:
            table.drop(engine, checkfirst=True)
        if inspector.has_table(WATERMARK.name):
            with engine.begin() as connection:
                connection.execute(WATERMARK.update().values(last_event_id=0))


def ready_engine(database: Database) -> Engine:
    """The engine, with our tables (and the summaries' watermark row) created if they are missing,
    and the summary tables made again when their columns changed."""
    engine = engine_for(database)
    with _creating:
        if engine not in _ready:
            _drop_outdated_summaries(engine)
            try:
                OURS.create_all(engine, checkfirst=True)
            except DatabaseError:  # another process created a table between the check and the create
                OURS.create_all(engine, checkfirst=True)
            try:
                with engine.begin() as connection:
                    if connection.execute(sa.select(WATERMARK.c.id)).first() is None:
                        connection.execute(WATERMARK.insert().values(id=1, last_event_id=0))
            except IntegrityError:
                pass  # another process inserted it first
            _ready.add(engine)
    return engine
