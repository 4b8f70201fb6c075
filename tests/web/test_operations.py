"""The trainer pages when the conversation database cannot be reached (a Dutch 503, no crash), and
their cookie over HTTPS."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.servers import free_port
from tests.web.conftest import PASSWORD, PASSWORD_HASH, TRAINER, csrf_from, make_app
from web.app import create_app
from web.settings import Settings


@pytest.mark.parametrize("path", ["/trainer/", "/trainer/voortgang", "/trainer/gesprek/iemand"])
def test_the_trainer_pages_say_the_database_is_unreachable(path: str, caplog: Any, database_url: str) -> None:
    app = make_app(database_url)
    client: FlaskClient = app.test_client()
    token = csrf_from(client.get("/trainer/login").text)
    assert (
        client.post(
            "/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    # the database goes away while the trainer is logged in (the login sessions are stored there too)
    app.extensions["waardecoach_database"] = f"postgresql://waardecoach@127.0.0.1:{free_port()}/waardecoach"
    response = client.get(path)
    assert response.status_code == 503
    assert "De opslag van de gesprekken is nu niet bereikbaar" in response.text
    assert "cannot be reached" in caplog.text


@pytest.mark.parametrize(("value", "secure"), [("1", True), ("true", True), ("", False), ("0", False)])
def test_secure_cookies_for_https(
    value: str, secure: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("WAARDECOACH_SECURE_COOKIES", value)
    monkeypatch.setenv("WAARDECOACH_TRAINERS", f"{TRAINER}:{PASSWORD_HASH}")
    response = create_app(Settings.from_env()).test_client().get("/trainer/login")
    [cookie] = [header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")]
    assert ("; Secure" in cookie) is secure
