"""`python -m web`: export, delete, hash-password and serve's --trainer, run in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import check_password_hash

import web.__main__ as cli
from tests.web.conftest import DISSATISFIED, PASSWORD_HASH, PROMISE, PROMOTER, RESTARTED, csv_rows
from web import store


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", database_url)
    monkeypatch.delenv("WAARDECOACH_TRAINERS", raising=False)


def test_export_csv_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["export", "--format", "csv", "--oordeel", "promotor"])
    rows = csv_rows(capsys.readouterr().out)
    assert {row["conversation_id"] for row in rows} == {PROMOTER}


def test_export_json_by_id_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "gesprekken.json"
    cli.main(["export", "--format", "json", "--id", PROMISE, "--id", DISSATISFIED, "--out", str(out)])
    assert [c["id"] for c in json.loads(out.read_text(encoding="utf-8"))["conversations"]] == [
        PROMISE,
        DISSATISFIED,
    ]


def test_export_markdown_by_filters(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["export", "--format", "md", "--van", "2000-01-01", "--tot", "2999-12-31", "--coaching", "ja"])
    text = capsys.readouterr().out
    assert "2 gesprekken." in text and f"## Gesprek {PROMISE}" in text and f"## Gesprek {PROMOTER}" in text
    cli.main(["export", "--format", "md", "--tot", "2000-01-01"])
    assert "0 gesprekken." in capsys.readouterr().out


def test_export_refuses_unknown_ids_and_bad_dates() -> None:
    with pytest.raises(SystemExit, match="no such conversation: onbekend"):
        cli.main(["export", "--format", "md", "--id", "onbekend"])
    with pytest.raises(SystemExit, match="--van"):
        cli.main(["export", "--format", "md", "--van", "1-2-2026"])
    with pytest.raises(SystemExit):
        cli.main(["export", "--format", "pdf"])


def test_delete_asks_for_confirmation(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    with pytest.raises(SystemExit, match="nothing deleted"):
        cli.main(["delete", RESTARTED])
    assert store.load_conversation(database_url, RESTARTED) is not None
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    cli.main(["delete", RESTARTED])
    assert store.load_conversation(database_url, RESTARTED) is None


def test_delete_with_yes(database_url: str) -> None:
    store.add_note(database_url, PROMISE, "anna", "weg ermee")
    cli.main(["delete", PROMISE, "--yes"])
    assert store.load_conversation(database_url, PROMISE) is None
    assert store.list_notes(database_url, PROMISE) == []
    with pytest.raises(SystemExit, match="no such conversation"):
        cli.main(["delete", PROMISE, "--yes"])


def test_hash_password(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["geheim wachtwoord", "geheim wachtwoord"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    cli.main(["hash-password"])
    output = capsys.readouterr()
    assert check_password_hash(output.out.strip(), "geheim wachtwoord")
    assert "geheim" not in output.out + output.err
    answers = iter(["een", "twee"])
    with pytest.raises(SystemExit, match="differ"):
        cli.main(["hash-password"])


def test_serve_adds_trainers_from_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(cli.waitress, "serve", lambda app, **options: served.update(app=app, **options))
    monkeypatch.setenv("WAARDECOACH_TRAINERS", f"anna:{PASSWORD_HASH}")
    cli.main(
        [
            "serve",
            "--port",
            "8123",
            "--trainer",
            f"bram:{PASSWORD_HASH}",
            "--trainer",
            f"carla:{PASSWORD_HASH}",
        ]
    )
    settings = served["app"].extensions["waardecoach_settings"]
    assert [t.name for t in settings.trainers] == ["anna", "bram", "carla"]
    assert served["port"] == 8123 and served["host"] == "127.0.0.1"
    with pytest.raises(SystemExit):
        cli.main(["serve", "--trainer", "zonder-hash"])
