"""A throw-away PostgreSQL server (Debian's package) on loopback, for tests; stopped afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

__all__ = ["PostgresServer", "postgres_bin", "temporary_postgres", "temporary_postgres_server"]


def postgres_bin() -> Path | None:
    """The directory with initdb and pg_ctl of the newest installed PostgreSQL, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass(frozen=True)
class PostgresServer:
    """A running throw-away cluster: its database URL, and stop/start for fault tests."""

    url: str
    control: Callable[[str], None]

    def stop(self) -> None:
        self.control("stop")

    def start(self) -> None:
        self.control("start")


@contextmanager
def temporary_postgres_server() -> Iterator[PostgresServer]:
    """Starts a new cluster in a temp directory with an empty database; removes it afterwards."""
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed: run `make system-deps`")
    directory = Path(tempfile.mkdtemp(prefix="waardecoach-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off"

    def run(*args: object) -> None:
        subprocess.run(_as_server_user([str(arg) for arg in args]), check=True, capture_output=True)

    def control(action: str) -> None:
        if action == "start":
            run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", directory / "server.log", "-w", "start")
        else:
            run(binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")

    try:
        run(
            binaries / "initdb",
            "-D",
            data,
            "-U",
            "waardecoach",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        control("start")
        try:
            run(binaries / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "waardecoach", "waardecoach")
            yield PostgresServer(f"postgresql://waardecoach@127.0.0.1:{port}/waardecoach", control)
        finally:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Starts a new cluster in a temp directory; yields an SQLAlchemy URL of an empty database."""
    with temporary_postgres_server() as server:
        yield server.url
