"""Faults with real processes on loopback: the action server killed, Rasa killed with SIGKILL and
restarted, the database stopped. The user always hears it in Dutch, and nothing is lost."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from rasa_addons.replies import reply_text
from tests.conversations import SCRIPTS
from tests.postgres import temporary_postgres_server
from tests.reliability.helpers import log_text, new_sender, say, stored_user_texts
from tests.reliability.widget_client import WidgetClient
from tests.servers import actions_command, free_port, rasa_command, running, server_env, sqlite_url

SCRIPT = SCRIPTS["value_conversation"]
VERDICT_FIGURES = ("waarde € 49.580,00 tegen prijs € 38.000,00", "verhouding 1,3")  # the closing summary
APOLOGY_SECONDS = 2.0


@dataclass
class Processes:
    """An action server and Rasa on fixed loopback ports, each of which can be killed and restarted."""

    logs: Path
    database_url: str
    stack: ExitStack

    def __post_init__(self) -> None:
        self.actions_port, self.rasa_port = free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.env = server_env(self.actions_port, self.rasa_url, "http://127.0.0.1:1", self.database_url)
        self.starts = 0

    def start(self, name: str) -> int:
        """Starts ``actions`` or ``rasa``; returns its pid once it answers."""
        self.starts += 1
        if name == "actions":
            command, health = (
                actions_command(self.actions_port),
                f"http://127.0.0.1:{self.actions_port}/health",
            )
        else:
            command, health = rasa_command(self.rasa_port), f"{self.rasa_url}/"
        log = self.logs / f"{name}-{self.starts}.log"
        return self.stack.enter_context(running(command, self.env, log, health)).pid

    def rasa_log(self) -> str:
        return "".join(log_text(path) for path in sorted(self.logs.glob("rasa-*.log")))


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    with ExitStack() as stack:
        yield Processes(tmp_path, sqlite_url(tmp_path), stack)


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def finish(rasa_url: str, sender: str, texts: tuple[str, ...]) -> str:
    """Sends ``texts``; returns the replies to the last one."""
    replies: list[str] = []
    for text in texts:
        replies = say(rasa_url, sender, text)
        assert replies, text
    return "\n".join(replies)


def test_the_action_server_killed_mid_conversation(processes: Processes) -> None:
    actions = processes.start("actions")
    processes.start("rasa")
    sender, url = new_sender("actions-killed"), processes.rasa_url
    finish(url, sender, SCRIPT[:4])

    kill(actions)
    started = time.monotonic()
    replies = say(url, sender, SCRIPT[4])
    elapsed = time.monotonic() - started
    assert replies == [reply_text("utter_action_server_down")]
    assert elapsed < APOLOGY_SECONDS, elapsed
    assert say(url, sender, SCRIPT[4]) == [reply_text("utter_action_server_down")]  # still down: again

    processes.start("actions")
    # The same message, sent again, is answered as if nothing happened; the conversation goes on.
    assert "Ik noteer als waarde 1: € 12.000,00 per jaar" in "\n".join(say(url, sender, SCRIPT[4]))
    verdict = finish(url, sender, SCRIPT[5:])
    assert all(figure in verdict for figure in VERDICT_FIGURES), verdict
    # Nothing lost: every message is stored, the two that met the apology as well.
    assert stored_user_texts(processes.database_url, sender) == [
        *SCRIPT[:5],
        SCRIPT[4],
        SCRIPT[4],
        *SCRIPT[5:],
    ]


def test_rasa_killed_mid_conversation_resumes_from_the_tracker_store(processes: Processes) -> None:
    processes.start("actions")
    rasa = processes.start("rasa")
    sender, url = new_sender("rasa-killed"), processes.rasa_url
    finish(url, sender, SCRIPT[:9])

    kill(rasa)
    processes.start("rasa")
    # The value lines entered before the kill are in the verdict: the conversation resumed.
    verdict = finish(url, sender, SCRIPT[9:])
    assert all(figure in verdict for figure in VERDICT_FIGURES), verdict
    assert stored_user_texts(processes.database_url, sender) == list(SCRIPT)


async def test_the_database_down(tmp_path: Path) -> None:
    with temporary_postgres_server() as database, ExitStack() as stack:
        processes = Processes(tmp_path, database.url, stack)
        processes.start("actions")
        processes.start("rasa")
        sender, url = new_sender("database-down"), processes.rasa_url
        finish(url, sender, SCRIPT[:3])

        database.stop()
        refused = reply_text("utter_storage_unavailable")
        assert say(url, sender, SCRIPT[3]) == [refused]
        client = WidgetClient(url, "http://127.0.0.1:1")
        try:
            await client.start()
            assert await client.say("hallo") == [refused]
        finally:
            await client.close()
        assert "The conversation database failed; the message is refused" in processes.rasa_log()

        database.start()
        # The refused message, sent again, is processed; nothing before it was lost.
        assert "Sterk begin" in "\n".join(say(url, sender, SCRIPT[3]))
        verdict = finish(url, sender, SCRIPT[4:])
        assert all(figure in verdict for figure in VERDICT_FIGURES), verdict
        assert stored_user_texts(database.url, sender) == list(SCRIPT)


def test_rasa_refuses_to_start_without_its_database(tmp_path: Path) -> None:
    closed = f"postgresql://waardecoach@127.0.0.1:{free_port()}/waardecoach"
    env = server_env(free_port(), "http://127.0.0.1:1", "http://127.0.0.1:1", closed)
    log = tmp_path / "rasa.log"
    with (
        pytest.raises(RuntimeError, match="exited early"),
        running(rasa_command(free_port()), env, log, "http://127.0.0.1:1/"),
    ):
        pass
    assert "cannot be reached, so Rasa does not start" in log_text(log)
