"""Starts the project's servers (action server, Rasa, web app) on loopback for tests, and stops them."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "waardecoach.tar.gz"
BIN = ROOT / ".venv" / "bin"
STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    url: str,
    process: subprocess.Popen[bytes],
    log: Path,
    healthy: Callable[[requests.Response], bool] = lambda response: response.ok,
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if healthy(requests.get(url, timeout=2)):
                return
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy loading
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminates ``process``; kills it when it has not stopped after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running(
    command: list[str],
    env: dict[str, str],
    log: Path,
    health_url: str,
    healthy: Callable[[requests.Response], bool] = lambda response: response.ok,
) -> Iterator[subprocess.Popen[bytes]]:
    """Runs ``command`` until the block ends; waits until ``health_url`` answers (``healthy``)."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(health_url, process, log, healthy)
        yield process
    finally:
        stop(process)


@dataclass(frozen=True)
class Servers:
    """Base URLs of the running servers and the database they store conversations in."""

    rasa_url: str
    web_url: str
    database_url: str
    logs: Path
    pids: dict[str, int]


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'waardecoach.db'}"


def server_env(
    actions_port: int, rasa_url: str, web_url: str, database_url: str, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment the three servers run with."""
    return {
        **os.environ,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "WAARDECOACH_DATABASE_URL": database_url,
        "WAARDECOACH_ALLOWED_ORIGINS": web_url,
        "WAARDECOACH_RASA_URL": rasa_url,
        "SANIC_HOST": "127.0.0.1",  # the action server's address (rasa-sdk's default is 0.0.0.0)
        **(extra_env or {}),
    }


def actions_command(port: int) -> list[str]:
    return [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]


def rasa_command(port: int, model: Path = MODEL, endpoints: str = "endpoints.yml") -> list[str]:
    """Rasa's server as `make run` starts it: through the launcher that takes the HTTP API's token from
    ``WAARDECOACH_RASA_API_TOKEN`` (see rasa_addons/launch.py)."""
    return [
        str(BIN / "python"),
        "-m",
        "rasa_addons.launch",
        "run",
        "--model",
        str(model),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--endpoints",
        endpoints,
        "--credentials",
        "credentials.yml",
    ]


@contextmanager
def start_servers(
    logs: Path,
    database_url: str,
    extra_env: dict[str, str] | None = None,
    model: Path = MODEL,
    web: bool = True,
    endpoints: str = "endpoints.yml",
) -> Iterator[Servers]:
    """Starts the action server, Rasa (REST + socket.io) and the web app on free loopback ports."""
    if not model.exists():
        raise RuntimeError(f"no trained model at {model}: run `make train` first")
    actions_port, rasa_port, web_port = free_port(), free_port(), free_port()
    web_url = f"http://127.0.0.1:{web_port}"
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    env = server_env(actions_port, rasa_url, web_url, database_url, extra_env)
    web_app = [str(BIN / "python"), "-m", "web", "serve", "--host", "127.0.0.1", "--port", str(web_port)]
    with ExitStack() as stack:
        pids = {
            "actions": stack.enter_context(
                running(
                    actions_command(actions_port),
                    env,
                    logs / "actions.log",
                    f"http://127.0.0.1:{actions_port}/health",
                )
            ).pid,
            "rasa": stack.enter_context(
                running(
                    rasa_command(rasa_port, model, endpoints),
                    env,
                    logs / "rasa.log",
                    f"{rasa_url}/",
                )
            ).pid,
        }
        if web:
            pids["web"] = stack.enter_context(
                running(web_app, env, logs / "web.log", f"{web_url}/health")
            ).pid
        yield Servers(rasa_url, web_url, database_url, logs, pids)
