"""Deployment hardening with real processes, started as `make run` starts them (scripts/run.sh):

* the HTTP API's token reaches Rasa through the environment, never its command line (``ps``);
* a hung action server (one that accepts a call and never answers) gets the Dutch apology after
  ``WAARDECOACH_ACTION_TIMEOUT`` seconds, not after Rasa's 300;
* a privacy delete during a turn in progress (a slow action) stays deleted.

Between Rasa and the real action server sits a small proxy on loopback that forwards each call, or
holds it: for ever (hung), or until the test lets it go (slow).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from rasa_addons.launch import TOKEN_VARIABLE, arguments
from rasa_addons.replies import reply_text
from tests.conversations import SCRIPTS
from tests.reliability.helpers import new_sender, say, stored_user_texts
from tests.servers import ROOT, free_port, sqlite_url, stop, wait_for
from web.store import delete_conversation

SCRIPT = SCRIPTS["value_conversation"]
ACTION_TIMEOUT = 4.0  # WAARDECOACH_ACTION_TIMEOUT for this Rasa
MARGIN = 6.0  # the apology must come before ACTION_TIMEOUT + MARGIN (Rasa's own wait: 300 s)
HOLD_LIMIT = 120  # no call is held longer, whatever happens to the test


class ActionProxy:
    """Forwards Rasa's action calls to the action server; ``hang()`` holds the next calls unanswered
    until the end, ``slow()`` holds them until ``release()``."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.mode = "forward"
        self.arrived = threading.Event()  # a held call came in
        self.released = threading.Event()
        self.finished = threading.Event()  # the test is over: let every held call go
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                mode = proxy.mode
                if mode != "forward":
                    proxy.arrived.set()
                    gate = proxy.finished if mode == "hang" else proxy.released
                    gate.wait(HOLD_LIMIT)
                    if mode == "hang":
                        return  # never answered
                answer = requests.post(
                    proxy.target, data=body, headers={"Content-Type": "application/json"}, timeout=60
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"

    def hold(self, mode: str) -> None:
        self.arrived.clear()
        self.released.clear()
        self.mode = mode

    def release(self) -> None:
        self.mode = "forward"
        self.released.set()


@dataclass(frozen=True)
class Running:
    rasa_url: str
    database_url: str
    token: str
    run_sh: subprocess.Popen[bytes]
    proxy: ActionProxy


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """scripts/run.sh (as `make run`) with an API token, a short action timeout and the proxy."""
    logs = tmp_path_factory.mktemp("ops-hardening")
    actions_port, rasa_port, web_port = free_port(), free_port(), free_port()
    proxy = ActionProxy(f"http://127.0.0.1:{actions_port}/webhook")
    threading.Thread(target=proxy.server.serve_forever, daemon=True).start()
    token = "-" + secrets.token_urlsafe(32)  # a leading `-` must not be taken for an option
    database_url = sqlite_url(logs)
    env = {
        **{name: value for name, value in os.environ.items() if name != "WAARDECOACH_TRAINERS"},
        "ACTIONS_PORT": str(actions_port),
        "RASA_PORT": str(rasa_port),
        "WEB_PORT": str(web_port),
        "ACTION_ENDPOINT_URL": proxy.url,
        "WAARDECOACH_DATABASE_URL": database_url,
        "WAARDECOACH_ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
        "WAARDECOACH_RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "WAARDECOACH_LOG_DIR": str(logs),
        "WAARDECOACH_RASA_API_TOKEN": token,
        "WAARDECOACH_ACTION_TIMEOUT": str(ACTION_TIMEOUT),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    output = logs / "run.sh.log"
    with output.open("wb") as out:
        run_sh = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(f"http://127.0.0.1:{rasa_port}/", run_sh, output)
        wait_for(f"http://127.0.0.1:{web_port}/health", run_sh, output)
        yield Running(f"http://127.0.0.1:{rasa_port}", database_url, token, run_sh, proxy)
    finally:
        proxy.finished.set()
        proxy.release()
        stop(run_sh)  # its trap stops the three servers
        proxy.server.shutdown()
        proxy.server.server_close()


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(child) for child in found.stdout.split()]


def command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def test_the_api_token_is_not_on_any_command_line(running: Running) -> None:
    processes = [running.run_sh.pid, *children(running.run_sh.pid)]
    rasa = [pid for pid in processes if b"rasa_addons.launch" in command_line(pid)]
    assert len(rasa) == 1, [command_line(pid) for pid in processes]
    for pid in processes:
        assert running.token.encode() not in command_line(pid), command_line(pid)
    # ...and yet Rasa's HTTP API is on, and needs it.
    status = f"{running.rasa_url}/status"
    assert requests.get(status, timeout=30).status_code == 401
    assert requests.get(status, params={"token": "raden"}, timeout=30).status_code == 401
    assert requests.get(status, params={"token": running.token}, timeout=30).status_code == 200


def test_the_launcher_refuses_the_token_on_the_command_line() -> None:
    python = ROOT / ".venv" / "bin" / "python"
    env = {name: value for name, value in os.environ.items() if name != "WAARDECOACH_RASA_API_TOKEN"}
    for options in (["--auth-token", "zichtbaar"], ["--enable-api"]):
        refused = subprocess.run(
            [str(python), "-m", "rasa_addons.launch", "run", *options],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert refused.returncode != 0 and "WAARDECOACH_RASA_API_TOKEN" in refused.stderr, refused


def test_a_token_that_looks_like_an_option_is_passed_whole() -> None:
    added = arguments(["launch", "run", "--port", "5005"], {TOKEN_VARIABLE: "-abc"})
    assert added == ["launch", "run", "--enable-api", "--auth-token=-abc", "--port", "5005"]
    assert arguments(["launch", "run"], {}) == ["launch", "run"]  # no token: no API


def test_a_hung_action_server_gets_the_apology_within_the_timeout(running: Running) -> None:
    sender = new_sender("hung-actions")
    for text in SCRIPT[:4]:
        assert say(running.rasa_url, sender, text)
    running.proxy.hold("hang")
    started = time.monotonic()
    replies = say(running.rasa_url, sender, SCRIPT[4])
    elapsed = time.monotonic() - started
    running.proxy.release()
    assert running.proxy.arrived.is_set(), "the action server was not called"
    print(f"\nhung action server: apology after {elapsed:.1f} s (timeout {ACTION_TIMEOUT:.0f} s)")
    assert replies == [reply_text("utter_action_server_down")]
    assert ACTION_TIMEOUT * 0.9 <= elapsed < ACTION_TIMEOUT + MARGIN, elapsed
    # The conversation carries on once the action server answers again.
    assert "Ik noteer als waarde 1: € 12.000,00 per jaar" in "\n".join(
        say(running.rasa_url, sender, SCRIPT[4])
    )


def stored_events(database_url: str, sender: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT count(*) FROM events WHERE sender_id = :sender")
            return int(connection.execute(query, {"sender": sender}).scalar() or 0)
    finally:
        engine.dispose()


def test_a_delete_during_a_turn_stays_deleted(running: Running) -> None:
    sender = new_sender("deleted-mid-turn")
    for text in SCRIPT[:4]:
        assert say(running.rasa_url, sender, text)
    running.proxy.hold("slow")
    with ThreadPoolExecutor(max_workers=1) as pool:
        turn = pool.submit(say, running.rasa_url, sender, SCRIPT[4])
        assert running.proxy.arrived.wait(60), "the action server was not called"
        deleted = delete_conversation(running.database_url, sender)  # as the trainer page does
        running.proxy.release()
        replies = turn.result(timeout=90)
    assert deleted > 0
    # The turn was answered as usual (the action ran), but nothing of it was written back.
    assert "Ik noteer als waarde 1: € 12.000,00 per jaar" in "\n".join(replies)
    assert stored_events(running.database_url, sender) == 0
    # A next message starts a new conversation: only that one is stored.
    assert say(running.rasa_url, sender, "hallo")
    assert stored_user_texts(running.database_url, sender) == ["hallo"]
