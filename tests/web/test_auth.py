"""Trainer accounts, login (with its throttling), server-side sessions, logout, CSRF, the cookie and HSTS, and
the pages' refusal without accounts or login."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from tests.servers import free_port
from tests.web.conftest import PASSWORD, PASSWORD_HASH, PROMOTER, TRAINER, csrf_from, make_app, token
from web import trainer_sessions
from web.app import create_app
from web.auth import Trainer, hash_password, parse_trainers, safe_next, verify_login
from web.login_throttle import Attempt, LoginLimits, LoginThrottle, Refusal
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


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttled_app(database_url: str, limits: LoginLimits, clock: Clock) -> Flask:
    app = make_app(database_url)
    app.extensions["waardecoach_login_throttle"] = LoginThrottle(limits, clock)
    return app


def post_login(client: FlaskClient, name: str = TRAINER, password: str = PASSWORD, **kwargs: Any) -> Any:
    csrf = csrf_from(client.get("/trainer/login", **kwargs).text)
    return client.post(
        "/trainer/login", data={"naam": name, "wachtwoord": password, "csrf_token": csrf}, **kwargs
    )


def test_an_account_is_locked_at_once_after_too_many_failures_until_the_window_ends(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    app = throttled_app(database_url, LoginLimits(per_account=3, per_address=100, window_seconds=600), clock)
    client = app.test_client()
    assert [post_login(client, password=f"fout {n}").status_code for n in range(3)] == [401, 401, 401]
    checked: list[str] = []
    monkeypatch.setattr("web.review.verify_login", lambda *args: checked.append("x"))
    clock.now += 60
    locked = post_login(client)  # even the right password: the account is locked
    assert locked.status_code == 429
    assert "Er is te vaak een verkeerd wachtwoord gegeven" in locked.text
    assert "Inloggen kan weer over 9 minuten." in locked.text
    assert locked.headers["Retry-After"] == "540"
    assert checked == []  # refused without checking a password
    other_client = app.test_client()
    other_client.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    assert post_login(other_client).status_code == 429  # per account, from any address
    monkeypatch.undo()
    clock.now += 540
    assert post_login(client).status_code == 302
    assert client.get("/trainer/").status_code == 200


def test_an_address_is_locked_after_too_many_failures_whatever_the_names(database_url: str) -> None:
    clock = Clock()
    app = throttled_app(database_url, LoginLimits(per_account=100, per_address=3, window_seconds=60), clock)
    client = app.test_client()
    assert [post_login(client, name=f"naam{n}").status_code for n in range(3)] == [401, 401, 401]
    assert post_login(client, name="nog-een").status_code == 429
    assert "over 1 minuut" in post_login(client).text
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    assert post_login(elsewhere).status_code == 302


def test_successful_logins_do_not_count_as_failures(database_url: str) -> None:
    app = throttled_app(database_url, LoginLimits(per_account=2, per_address=2, window_seconds=60), Clock())
    assert [post_login(app.test_client()).status_code for _ in range(4)] == [302] * 4
    assert post_login(app.test_client(), password="fout").status_code == 401
    assert post_login(app.test_client()).status_code == 302
    assert post_login(app.test_client(), password="fout").status_code == 401
    assert post_login(app.test_client()).status_code == 429


def test_concurrent_attempts_get_at_most_the_allowed_places() -> None:
    throttle = LoginThrottle(
        LoginLimits(per_account=5, per_address=100, window_seconds=60, checks_at_once=20)
    )
    start = threading.Barrier(20)
    results: list[Attempt | Refusal] = []

    def guess() -> None:
        start.wait()
        results.append(throttle.attempt(TRAINER, "10.0.0.1"))

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(result, Attempt) for result in results) == 5
    refusals = [result for result in results if isinstance(result, Refusal)]
    assert all(refusal.reason == "locked" and 0 < refusal.seconds <= 60 for refusal in refusals)


def test_one_password_check_at_a_time_the_others_are_refused_at_once(database_url: str) -> None:
    app = make_app(database_url)
    throttle = app.extensions["waardecoach_login_throttle"]
    checking = throttle.attempt("iemand", "10.0.0.9")
    assert isinstance(checking, Attempt)
    assert throttle.attempt(TRAINER, "10.0.0.1") == Refusal("busy", 1.0)
    busy = post_login(app.test_client())
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
    assert "Er wordt net een andere inlogpoging gecontroleerd" in busy.text
    throttle.finished(checking, succeeded=False)
    assert post_login(app.test_client()).status_code == 302


def test_a_copied_cookie_is_dead_after_logout(client: FlaskClient, trainer: FlaskClient) -> None:
    copy = client.application.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/trainer/").status_code == 200
    assert client.post("/trainer/logout", data={"csrf_token": token(client)}).status_code == 302
    response = copy.get("/trainer/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/trainer/login")


def test_a_changed_password_ends_the_session(database_url: str) -> None:
    app = make_app(database_url)
    client, other = app.test_client(), app.test_client()
    assert post_login(client).status_code == 302 and post_login(other).status_code == 302
    settings = app.extensions["waardecoach_settings"]
    new_hash = generate_password_hash("nieuw wachtwoord", method="pbkdf2:sha256:1000")
    app.extensions["waardecoach_settings"] = replace(settings, trainers=(Trainer(TRAINER, new_hash),))
    assert client.get("/trainer/").status_code == 302 and other.get("/trainer/").status_code == 302
    assert post_login(client, password="nieuw wachtwoord").status_code == 302
    assert client.get("/trainer/").status_code == 200


def test_a_session_ends_after_its_lifetime_even_when_used(
    client: FlaskClient, trainer: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = trainer_sessions._now()
    monkeypatch.setattr(trainer_sessions, "_now", lambda: started + timedelta(hours=11, minutes=59))
    assert client.get("/trainer/").status_code == 200
    monkeypatch.setattr(trainer_sessions, "_now", lambda: started + timedelta(hours=12, seconds=1))
    assert client.get("/trainer/").status_code == 302


@pytest.mark.parametrize("sent", ["tökén", "\u2603" * 43, "nep\x00"])
def test_a_non_ascii_csrf_token_is_refused_cleanly(
    client: FlaskClient, trainer: FlaskClient, sent: str
) -> None:
    response = client.post(f"/trainer/gesprek/{PROMOTER}/notitie", data={"tekst": "x", "csrf_token": sent})
    assert response.status_code == 400 and "Formulier verlopen" in response.text
    login = client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": sent})
    assert login.status_code == 400


def cookie_of(app: Flask) -> str:
    response = post_login(app.test_client())
    [cookie] = [header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")]
    return cookie


@pytest.mark.parametrize(
    ("host", "setting", "secure"),
    [
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("10.0.0.5", None, True),
        ("trainers.example.nl", None, True),
        ("0.0.0.0", False, False),
        ("127.0.0.1", True, True),
    ],
)
def test_the_cookie_is_secure_unless_on_loopback(
    database_url: str, host: str, setting: bool | None, secure: bool
) -> None:
    settings = Settings(database_url, "x", "test-secret", (Trainer(TRAINER, PASSWORD_HASH),), setting)
    cookie = cookie_of(create_app(settings.listening_on(host)))
    assert ("; Secure" in cookie) is secure


def test_the_login_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", "sqlite://")
    assert Settings.from_env().login_limits == LoginLimits(5, 20, 900, 1)
    assert Settings.from_env().listening_on("0.0.0.0").cookies_secure
    monkeypatch.setenv("WAARDECOACH_SECURE_COOKIES", "0")
    monkeypatch.setenv("WAARDECOACH_LOGIN_FAILURES_PER_ACCOUNT", "3")
    monkeypatch.setenv("WAARDECOACH_LOGIN_FAILURES_PER_ADDRESS", "7")
    monkeypatch.setenv("WAARDECOACH_LOGIN_WINDOW_SECONDS", "2.5")
    monkeypatch.setenv("WAARDECOACH_LOGIN_CHECKS_AT_ONCE", "2")
    monkeypatch.setenv("WAARDECOACH_TRUSTED_PROXIES", "1")
    settings = Settings.from_env()
    assert settings.login_limits == LoginLimits(3, 7, 2.5, 2) and settings.trusted_proxies == 1
    assert not settings.listening_on("0.0.0.0").cookies_secure
    for name, value in [
        ("WAARDECOACH_LOGIN_FAILURES_PER_ACCOUNT", "0"),
        ("WAARDECOACH_LOGIN_WINDOW_SECONDS", "kwartier"),
        ("WAARDECOACH_SECURE_COOKIES", "misschien"),
    ]:
        monkeypatch.setenv(name, value)
        with pytest.raises(SystemExit):
            Settings.from_env()
        monkeypatch.delenv(name)


def test_hsts_on_https_only(app: Flask) -> None:
    assert app.test_client().get("/").headers.get("Strict-Transport-Security") is None
    secure = app.test_client().get("/trainer/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    # A forwarded scheme counts only from a trusted proxy.
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in app.test_client().get("/", headers=forwarded).headers


def test_behind_a_trusted_proxy_its_forwarded_address_and_scheme_count(database_url: str) -> None:
    settings = Settings(
        database_url,
        "x",
        "test-secret",
        (Trainer(TRAINER, PASSWORD_HASH),),
        trusted_proxies=1,
        login_limits=LoginLimits(per_account=100, per_address=1, window_seconds=60),
    )
    client = create_app(settings).test_client()
    first = {"headers": {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}}
    response = post_login(client, password="fout", **first)
    assert response.status_code == 401 and "Strict-Transport-Security" in response.headers
    assert post_login(client, password="fout", **first).status_code == 429
    second = {"headers": {"X-Forwarded-For": "198.51.100.2"}}
    assert post_login(client, password="fout", **second).status_code == 401


def test_a_login_while_the_database_is_unreachable_gets_the_dutch_503() -> None:
    app = make_app(f"postgresql://waardecoach@127.0.0.1:{free_port()}/waardecoach")
    response = post_login(app.test_client())
    assert response.status_code == 503
    assert "De opslag van de gesprekken is nu niet bereikbaar" in response.text
