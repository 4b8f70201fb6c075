"""The project's servers with the production topology's Redis lock store (deploy/endpoints.yml), and
a Redis that can be made to fail and recover while they run (tests of the channels' failure replies)."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.scale_out import ENDPOINTS, temporary_redis
from tests.servers import Servers, start_servers


@dataclass
class FailingRedis:
    """The running redis-server: ``fail`` makes every new or existing connection of Rasa fail."""

    port: int
    password: str
    admin: redis.Redis = field(init=False)

    def __post_init__(self) -> None:
        # One connection, authenticated before the password changes: it stays usable throughout.
        self.admin = redis.Redis(
            host="127.0.0.1", port=self.port, password=self.password, single_connection_client=True
        )

    def fail(self) -> None:
        """Changes the password and closes every other connection: Rasa's next command fails."""
        self.admin.config_set("requirepass", secrets.token_hex(16))
        self.admin.client_kill_filter(_type="normal", skipme=True)

    def recover(self) -> None:
        self.admin.config_set("requirepass", self.password)


@contextmanager
def start_servers_with_redis(
    logs: Path, database_url: str, extra_env: dict[str, str] | None = None, web: bool = True
) -> Iterator[tuple[Servers, FailingRedis]]:
    """``tests.servers.start_servers`` with ``deploy/endpoints.yml`` and a throw-away redis-server."""
    with (
        tempfile.TemporaryDirectory(prefix="waardecoach-redis-") as directory,
        temporary_redis(Path(directory), logs / "redis.log") as (port, password),
    ):
        env = {
            "WAARDECOACH_REDIS_HOST": "127.0.0.1",
            "WAARDECOACH_REDIS_PORT": str(port),
            "WAARDECOACH_REDIS_DB": "1",
            "WAARDECOACH_REDIS_PASSWORD": password,
            **(extra_env or {}),
        }
        failing = FailingRedis(port, password)
        try:
            with start_servers(logs, database_url, env, web=web, endpoints=str(ENDPOINTS)) as servers:
                yield servers, failing
        finally:
            failing.admin.close()
