"""What the storage tests share: a database on SQLite and on PostgreSQL, and the SQL tracker store on it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.domain import Domain

from rasa_addons.tracker_store import SQLTrackerStore
from tests.postgres import temporary_postgres

DOMAIN = Domain.load("domain.yml")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    else:
        with temporary_postgres() as url:
            yield url


def store(url: str, cached: int = 100, kind: type[RasaSQLTrackerStore] = SQLTrackerStore) -> Any:
    """The tracker store on ``url``: ours keeping ``cached`` trackers, or Rasa's own (``kind``)."""
    parts = sa.engine.make_url(url)
    extra = {"cached_conversations": cached} if kind is SQLTrackerStore else {}
    return kind(
        DOMAIN,
        dialect=parts.drivername,
        host=parts.host,
        port=parts.port,
        db=parts.database,
        username=parts.username,
        password=parts.password,
        **extra,
    )


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)
