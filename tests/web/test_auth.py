"""Trainer accounts, login, logout, CSRF and the pages' refusal without accounts or login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, PASSWORD_HASH, PROMOTER, TRAINER, make_app, token
from web.auth import Trainer, hash_password, parse_trainers, safe_next, verify_login
from web.settings import Settings

PAGES = ["/trainer/", f"/trainer/gesprek/{PROMOTER}", "/trainer/export?format=csv"]


def test_parse_trainers_from_commas_and_newlines() -> None:
    first, second = hash_password("een"), "pbkdf2:sha256:1000$salt$abc"
    trainers = parse_trainers(f"anna:{first}, bram:{second}\n\n  carla:{second}\n")
    assert [t.name for t in trainers] == ["anna", "bram", "carla"]
    assert trainers[0].password_hash == first  # the hash's own colons stay in the hash
    assert parse_trainers("") == () and parse_trainers([" ", ""]) == ()
    assert "password_hash" not in repr(trainers[0]) and first not in repr(trainers[0])


@pytest.mark.parametrize(
    "text", ["anna", "anna:", ":hash$x", "an na:x$y", "anna:nohash", "anna:a$b,anna:c$d"]
)
def test_malformed_trainer_entries_are_refused_without_showing_the_hash(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_trainers(text)
    assert "$" not in str(error.value)


def test_settings_read_trainers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("WAARDECOACH_TRAINERS", f"anna:{PASSWORD_HASH}")
    settings = Settings.from_env()
    assert settings.trainers == (Trainer("anna", PASSWORD_HASH),)
    more = settings.with_trainers([Trainer("bram", PASSWORD_HASH), Trainer("anna", "x$y")])
    assert [(t.name, t.password_hash) for t in more.trainers] == [("anna", "x$y"), ("bram", PASSWORD_HASH)]
    monkeypatch.setenv("WAARDECOACH_TRAINERS", "kapot")
    with pytest.raises(SystemExit):
        Settings.from_env()


def test_verify_login() -> None:
    trainers = (Trainer(TRAINER, PASSWORD_HASH), Trainer("bram", hash_password("ander")))
    assert verify_login(trainers, TRAINER, PASSWORD) == trainers[0]
    assert verify_login(trainers, TRAINER, "fout") is None
    assert verify_login(trainers, "bram", PASSWORD) is None
    assert verify_login(trainers, "onbekend", PASSWORD) is None
    assert verify_login((), TRAINER, PASSWORD) is None


def test_without_trainer_accounts_the_pages_are_closed(database_url: str) -> None:
    client = make_app(database_url, trainers=()).test_client()
    for path in ["/trainer/login", *PAGES]:
        response = client.get(path)
        assert response.status_code == 403
        assert "Geen trainersaccounts ingesteld" in response.text
    assert client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD}).status_code in (
        400,
        403,
    )


@pytest.mark.parametrize("path", PAGES)
def test_visitors_are_sent_to_the_login_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/trainer/login?next=")


def test_login_then_back_to_the_page_asked_for(client: FlaskClient) -> None:
    page = client.get(f"/trainer/gesprek/{PROMOTER}")
    login_page = client.get(page.headers["Location"])
    assert "Inloggen" in login_page.text
    response = client.post(
        "/trainer/login",
        data={
            "naam": TRAINER,
            "wachtwoord": PASSWORD,
            "csrf_token": token(client, "/trainer/login"),
            "next": f"/trainer/gesprek/{PROMOTER}",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/trainer/gesprek/{PROMOTER}"
    assert client.get(f"/trainer/gesprek/{PROMOTER}").status_code == 200


def test_wrong_password_is_refused(client: FlaskClient, login: Callable[..., Any], caplog: Any) -> None:
    response = login(password="fout wachtwoord")
    assert response.status_code == 401
    assert "Naam of wachtwoord klopt niet" in response.text
    assert "fout wachtwoord" not in response.text and "fout wachtwoord" not in caplog.text
    assert client.get("/trainer/").status_code == 302
    assert login(name="onbekend").status_code == 401


def test_the_failed_login_pause(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("web.auth.time.sleep", pauses.append)
    app = make_app(database_url)
    app.config["LOGIN_FAILURE_DELAY"] = 0.75
    client = app.test_client()
    client.post(
        "/trainer/login",
        data={"naam": TRAINER, "wachtwoord": "x", "csrf_token": token(client, "/trainer/login")},
    )
    assert pauses == [0.75]


def test_a_post_without_csrf_token_is_refused(client: FlaskClient, trainer: FlaskClient) -> None:
    response = client.post(f"/trainer/gesprek/{PROMOTER}/notitie", data={"tekst": "zonder token"})
    assert response.status_code == 400
    assert "Formulier verlopen" in response.text
    wrong = client.post(f"/trainer/gesprek/{PROMOTER}/notitie", data={"tekst": "x", "csrf_token": "nep"})
    assert wrong.status_code == 400
    assert client.post("/trainer/logout").status_code == 400


def test_head_of_the_login_page_is_no_login_attempt(client: FlaskClient, caplog: Any) -> None:
    assert client.head("/trainer/login").status_code == 200
    assert "failed trainer login" not in caplog.text


def test_login_needs_the_csrf_token_too(client: FlaskClient) -> None:
    client.get("/trainer/login")
    assert client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD}).status_code == 400


def test_logout(client: FlaskClient, trainer: FlaskClient) -> None:
    response = client.post("/trainer/logout", data={"csrf_token": token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/login"
    assert "Je bent uitgelogd." in client.get("/trainer/login").text
    assert client.get("/trainer/").status_code == 302


def test_a_removed_account_is_logged_out(database_url: str) -> None:
    app = make_app(database_url)
    client = app.test_client()
    client.post(
        "/trainer/login",
        data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token(client, "/trainer/login")},
    )
    assert client.get("/trainer/").status_code == 200
    other = Trainer("bram", PASSWORD_HASH)
    app.extensions["waardecoach_settings"] = Settings(database_url, "x", "test-secret", (other,))
    assert client.get("/trainer/").status_code == 302


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/trainer/gesprek/x", True),
        ("/trainer/?oordeel=promotor", True),
        ("https://evil.example/trainer/", False),
        ("//evil.example/trainer/", False),
        ("/elders", False),
        ("/trainer\\..\\x", False),
        ("", False),
        (None, False),
    ],
)
def test_only_review_paths_are_followed_after_login(target: str | None, safe: bool) -> None:
    assert safe_next(target) == (target if safe else None)
