"""The scale-out topology on one machine: N Rasa instances behind nginx, sharing PostgreSQL and Redis.

Everything listens on 127.0.0.1 on free ports: a PostgreSQL cluster (the tracker store; a throw-away
one unless a database URL is given), redis-server (the lock store, with a password), one action
server, N Rasa instances using ``deploy/endpoints.yml``, and nginx using
``deploy/nginx.conf.template`` (rendered by ``deploy/render_nginx.py``), with the REST channel open to
clients that send the topology's token (``ScaleOut.rest_headers``), the header that names the
instance that answered, and limits high enough for a load test from one address. The scale-out tests
(``tests/scaleout/``) and the benchmarks use it, and so can you:

    .venv/bin/python -m tests.scale_out                 # 2 instances; prints the URLs, Ctrl-C stops all
    .venv/bin/python -m tests.scale_out --instances 3 --database-url postgresql://USER@HOST/DB

Needs the trained model (``make train``) and the Debian packages of ``make system-deps``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
import sqlalchemy as sa

from tests.postgres import temporary_postgres
from tests.servers import (
    BIN,
    MODEL,
    ROOT,
    STARTUP_SECONDS,
    actions_command,
    free_port,
    rasa_command,
    running,
    stop,
)

__all__ = [
    "UPSTREAM_HEADER",
    "ScaleOut",
    "nginx",
    "render_nginx_conf",
    "start_scale_out",
    "temporary_redis",
]

ENDPOINTS = ROOT / "deploy" / "endpoints.yml"
NGINX_RENDERER = ROOT / "deploy" / "render_nginx.py"
# The response header in which nginx names the instance that answered (WAARDECOACH_UPSTREAM_HEADER=1).
UPSTREAM_HEADER = "X-Waardecoach-Upstream"
DEFAULT_ORIGINS = "http://127.0.0.1:8000,http://localhost:8000"
# nginx's settings here, besides the REST token: the upstream header on, and limits that a load test
# of 50 conversations at once from this one address stays under.
NGINX_SETTINGS = {
    "WAARDECOACH_UPSTREAM_HEADER": "1",
    "WAARDECOACH_REST_RATE": "1000r/s",
    "WAARDECOACH_REST_BURST": "1000",
    "WAARDECOACH_REST_CONNECTIONS": "1000",
    "WAARDECOACH_CHAT_RATE": "1000r/s",
    "WAARDECOACH_CHAT_BURST": "1000",
    "WAARDECOACH_CHAT_CONNECTIONS": "1000",
}


@dataclass(frozen=True)
class ScaleOut:
    """Where the running topology can be reached."""

    url: str  # nginx: REST at {url}/webhooks/rest/webhook, socket.io at {url}/socket.io/
    rasa_urls: tuple[str, ...]  # the instances themselves, as nginx names them (host:port)
    database_url: str
    redis_port: int
    redis_password: str
    allowed_origins: str
    logs: Path
    rest_token: str  # nginx's WAARDECOACH_REST_TOKEN

    @property
    def rest_headers(self) -> dict[str, str]:
        """The headers a REST client sends through nginx."""
        return {"Authorization": f"Bearer {self.rest_token}"}


def _executable(name: str) -> str:
    """The path of a Debian package's program (/usr/sbin is not on every user's PATH)."""
    found = shutil.which(name) or next(
        (str(path) for path in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if path.exists()), None
    )
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `make system-deps`")
    return found


@contextmanager
def temporary_redis(directory: Path, log: Path) -> Iterator[tuple[int, str]]:
    """redis-server on 127.0.0.1 without persistence, with a random password; yields (port, password)."""
    port, password = free_port(), secrets.token_hex(16)
    config = directory / "redis.conf"  # the password is not on the command line (ps shows that)
    config.write_text(f"requirepass {password}\n")
    config.chmod(0o600)
    command = [_executable("redis-server"), str(config), "--bind", "127.0.0.1", "--port", str(port)]
    command += ["--save", "", "--appendonly", "no", "--dir", str(directory)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, password=password, socket_timeout=2)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited early:\n{log.read_text()[-3000:]}")
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not come up:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield port, password
    finally:
        client.close()
        stop(process)


def render_nginx_conf(settings: Mapping[str, str]) -> str:
    """deploy/render_nginx.py's output for these settings (``WAARDECOACH_*`` variables), run as in
    production; nothing else of this environment reaches it."""
    rendered = subprocess.run(
        [str(BIN / "python"), str(NGINX_RENDERER)],
        env={"PATH": os.environ.get("PATH", ""), **settings},
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:
        raise RuntimeError(f"{NGINX_RENDERER.name} failed: {rendered.stderr}")
    return rendered.stdout


def _nginx_main_conf(access_log: Path) -> str:
    """The top-level nginx.conf around the rendered template: everything inside nginx's prefix."""
    return f"""# Written by tests/scale_out.py; paths are relative to nginx's prefix (-p).
pid nginx.pid;
worker_processes 1;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path temp/client_body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;
    include waardecoach.conf;
    access_log {access_log} waardecoach;
}}
"""


@contextmanager
def nginx(
    instances: list[str], settings: Mapping[str, str], logs: Path, name: str = "nginx"
) -> Iterator[str]:
    """nginx in the foreground (daemon off) in front of ``instances`` on a free loopback port, with
    ``settings`` for deploy/render_nginx.py, its config, pid and temp files in a temp directory;
    yields its URL. Its logs are ``{name}-access.log`` and ``{name}-error.log`` in ``logs``."""
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="waardecoach-nginx-"))
    try:
        prefix.chmod(0o755)  # as root the workers run as nobody and need to reach temp/
        (prefix / "temp").mkdir()
        servers = " ".join(f"server {address};" for address in instances)
        listen = {"WAARDECOACH_RASA_SERVERS": servers, "WAARDECOACH_LISTEN": f"127.0.0.1:{port}"}
        (prefix / "waardecoach.conf").write_text(render_nginx_conf({**listen, **settings}))
        (prefix / "nginx.conf").write_text(_nginx_main_conf(logs / f"{name}-access.log"))
        command = [_executable("nginx"), "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf")]
        command += ["-e", str(logs / f"{name}-error.log"), "-g", "daemon off;"]
        url = f"http://127.0.0.1:{port}"
        # up once it answers at all: nothing of Rasa is at /, so 404
        with running(command, dict(os.environ), logs / f"{name}.log", f"{url}/", lambda answer: True):
            yield url
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_for_events_table(database_url: str, first: Future[object]) -> None:
    """Waits until the first Rasa instance has created the ``events`` table (or has failed)."""
    engine = sa.create_engine(database_url)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if first.done():
                first.result()  # raises when the first instance failed to start
                return
            if sa.inspect(engine).has_table("events"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the first Rasa instance did not create its tables in {STARTUP_SECONDS} s")
    finally:
        engine.dispose()


def _start_rasa_instances(
    stack: ExitStack, count: int, env: dict[str, str], logs: Path, database_url: str, model: Path
) -> list[str]:
    """Starts ``count`` Rasa instances at the same time; the others only once the first has created
    the SQL tables, so that they never race to create them. Returns their host:port addresses."""
    addresses = [f"127.0.0.1:{free_port()}" for _ in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        started: list[Future[object]] = []
        for number, address in enumerate(addresses, start=1):
            port = address.rsplit(":", 1)[1]
            command = rasa_command(int(port), model, endpoints=str(ENDPOINTS))
            server = running(command, env, logs / f"rasa-{number}.log", f"http://{address}/")
            started.append(pool.submit(stack.enter_context, server))
            if number == 1:
                _wait_for_events_table(database_url, started[0])
        for future in started:
            future.result()
    return addresses


@contextmanager
def start_scale_out(
    logs: Path,
    instances: int = 2,
    database_url: str | None = None,
    allowed_origins: str | None = None,
    model: Path = MODEL,
    nginx_settings: Mapping[str, str] | None = None,
) -> Iterator[ScaleOut]:
    """Starts the whole topology on loopback; stops all of it when the block ends or fails."""
    if not model.exists():
        raise RuntimeError(f"no trained model at {model}: run `make train` first")
    logs.mkdir(parents=True, exist_ok=True)
    origins = allowed_origins or os.environ.get("WAARDECOACH_ALLOWED_ORIGINS") or DEFAULT_ORIGINS
    with ExitStack() as stack:
        if database_url is None:
            database_url = stack.enter_context(temporary_postgres())
        redis_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="waardecoach-redis-")))
        redis_port, redis_password = stack.enter_context(temporary_redis(redis_dir, logs / "redis.log"))
        actions_port = free_port()
        env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
            "WAARDECOACH_DATABASE_URL": database_url,
            "WAARDECOACH_ALLOWED_ORIGINS": origins,
            "WAARDECOACH_REDIS_HOST": "127.0.0.1",
            "WAARDECOACH_REDIS_PORT": str(redis_port),
            "WAARDECOACH_REDIS_DB": "1",
            "WAARDECOACH_REDIS_PASSWORD": redis_password,
            "SANIC_HOST": "127.0.0.1",  # the action server's address (rasa-sdk's default is 0.0.0.0)
        }
        actions = actions_command(actions_port)
        stack.enter_context(
            running(actions, env, logs / "actions.log", f"http://127.0.0.1:{actions_port}/health")
        )
        addresses = _start_rasa_instances(stack, instances, env, logs, database_url, model)
        rest_token = secrets.token_urlsafe(32)
        settings = {**NGINX_SETTINGS, "WAARDECOACH_REST_TOKEN": rest_token, **(nginx_settings or {})}
        url = stack.enter_context(nginx(addresses, settings, logs))
        yield ScaleOut(
            url, tuple(addresses), database_url, redis_port, redis_password, origins, logs, rest_token
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", type=int, default=2, help="number of Rasa instances (default 2)")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL of the tracker store (default: a throw-away cluster)"
    )
    parser.add_argument("--logs", type=Path, default=ROOT / "var" / "log" / "scale-out", help="log directory")
    args = parser.parse_args()
    # Stopped by a service manager (SIGTERM): stop everything as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Terminated."))
    print(f"Starting {args.instances} Rasa instances behind nginx (about a minute); logs in {args.logs}")
    started = time.monotonic()
    with start_scale_out(args.logs, args.instances, args.database_url) as topology:
        print(f"Up in {time.monotonic() - started:.0f} s.")
        print(f"  REST       {topology.url}/webhooks/rest/webhook  (header {topology.rest_headers})")
        print(f"  socket.io  {topology.url}/socket.io/  (origins: {topology.allowed_origins})")
        print(f"  instances  {', '.join(topology.rasa_urls)}")
        print(f"  tracker    {topology.database_url}")
        print(f"  locks      redis on 127.0.0.1:{topology.redis_port}")
        print("Press Ctrl-C to stop everything.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopping.")


if __name__ == "__main__":
    main()
