"""Starts the action server and Rasa on loopback for end-to-end tests, and stops them."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "waardecoach.tar.gz"
BIN = ROOT / ".venv" / "bin"
STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a Rasa server (with its action server) on loopback."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    logs = tmp_path_factory.mktemp("servers")
    actions_port, rasa_port = free_port(), free_port()
    env = {**os.environ, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook"}
    processes = []
    try:
        actions = start(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            env,
            logs / "actions.log",
        )
        processes.append(actions)
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions, logs / "actions.log")
        rasa = start(
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(MODEL),
                "--port",
                str(rasa_port),
                "--interface",
                "127.0.0.1",
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            env,
            logs / "rasa.log",
        )
        processes.append(rasa)
        wait_for(f"http://127.0.0.1:{rasa_port}/", rasa, logs / "rasa.log")
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def chat(rasa_url: str) -> Callable[[str], str]:
    """Sends one message as a new user; returns the bot's replies joined by newlines."""
    sender = f"e2e-{uuid.uuid4().hex}"

    def say(message: str) -> str:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=30,
        )
        response.raise_for_status()
        return "\n".join(reply.get("text", "") for reply in response.json())

    return say
