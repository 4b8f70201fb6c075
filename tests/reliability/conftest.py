"""Reliability and security tests: real servers on loopback, a throw-away PostgreSQL, real faults.

``servers`` (session) runs the action server, Rasa and the web app as `make run` does (HTTP API
off), storing conversations in PostgreSQL, which is stricter than SQLite (it refuses NUL).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import temporary_postgres
from tests.servers import Servers, start_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    directory = tmp_path_factory.mktemp("reliability")
    with temporary_postgres() as database_url, start_servers(directory, database_url) as running:
        yield running
