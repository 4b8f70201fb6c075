"""Security against the running servers: Rasa's HTTP API, CORS, socket.io sessions, trainer pages,
secrets and versions."""

from __future__ import annotations

import asyncio
import re
import secrets
import subprocess
import uuid
from importlib.metadata import version
from pathlib import Path

import psutil
import pytest
import requests
import socketio
import yaml

from tests.reliability.helpers import stored_user_texts
from tests.reliability.widget_client import WidgetClient
from tests.servers import ROOT, Servers, sqlite_url, start_servers

EVIL_ORIGIN = "https://evil.example"
API_PATHS = [
    ("GET", "/status"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("GET", "/domain"),
]


def call(rasa_url: str, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(method, f"{rasa_url}{path}", json={"text": "hallo"}, timeout=30, **kwargs)


@pytest.mark.parametrize(("method", "path"), API_PATHS)
def test_rasas_http_api_is_off_by_default(servers: Servers, method: str, path: str) -> None:
    assert call(servers.rasa_url, method, path).status_code == 404


def test_the_http_api_needs_the_token_when_a_script_enables_it(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(32)
    with start_servers(
        tmp_path, sqlite_url(tmp_path), web=False, extra_env={"WAARDECOACH_RASA_API_TOKEN": token}
    ) as api:
        for method, path in API_PATHS:
            assert call(api.rasa_url, method, path).status_code == 401, path
            assert call(api.rasa_url, method, path, params={"token": "raden"}).status_code == 401, path
        assert call(api.rasa_url, "GET", "/status", params={"token": token}).status_code == 200
        tracker = call(api.rasa_url, "GET", "/conversations/someone/tracker", params={"token": token})
        assert tracker.status_code == 200


def test_the_rest_channel_allows_no_other_origin(servers: Servers) -> None:
    url = f"{servers.rasa_url}/webhooks/rest/webhook"
    preflight = requests.options(
        url, headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"}, timeout=30
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = requests.post(
        url,
        json={"sender": f"cors-{uuid.uuid4().hex}", "message": "hallo"},
        headers={"Origin": EVIL_ORIGIN},
        timeout=30,
    )
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("origin", [EVIL_ORIGIN, None], ids=["another site", "no Origin header"])
async def test_socket_io_refuses_other_origins(servers: Servers, origin: str | None) -> None:
    client = WidgetClient(servers.rasa_url, origin)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect()
    allowed = WidgetClient(servers.rasa_url, servers.web_url)
    try:
        await allowed.start()
    finally:
        await allowed.close()


async def test_one_visitor_cannot_read_or_write_anothers_conversation(servers: Servers) -> None:
    alice, bob = (
        WidgetClient(servers.rasa_url, servers.web_url),
        WidgetClient(servers.rasa_url, servers.web_url),
    )
    try:
        alice_id = await alice.start()
        assert await alice.say("hallo")
        assert await alice.say("ik wil een waardegesprek voorbereiden")
        # Bob guesses: no id, Alice's socket id, ids next to hers, random ids.
        await bob.connect()
        guesses = [
            None,
            alice.sio.sid,
            alice_id[:-1] + ("0" if alice_id[-1] != "0" else "1"),
            uuid.uuid4().hex,
        ]
        for guess in guesses:
            bob_id = await bob.request_session({"session_id": guess})
            assert bob_id != alice_id
            assert await bob.say("hallo")
        # Bob names Alice's session in his message: it still goes to his own conversation.
        assert await bob.send({"message": "geheim van bob", "session_id": alice_id, "sender": alice_id})
        # Alice heard none of Bob's replies, and Bob's words are not in her conversation.
        assert await alice.collect(first_within=2) == []
        assert "geheim van bob" not in stored_user_texts(servers.database_url, alice_id)
        assert "geheim van bob" in stored_user_texts(servers.database_url, bob_id)
        # And Bob hears nothing of Alice's conversation.
        assert await alice.say("schoonmaak voor een ziekenhuis in Utrecht")
        assert await bob.collect(first_within=2) == []
    finally:
        await asyncio.gather(alice.close(), bob.close())


async def test_session_ids_are_random_uuids(servers: Servers) -> None:
    issued = []
    for _ in range(5):
        client = WidgetClient(servers.rasa_url, servers.web_url)
        try:
            issued.append(await client.start())
        finally:
            await client.close()
    assert len(set(issued)) == 5
    assert all(re.fullmatch(r"widget-[0-9a-f]{32}", session_id) for session_id in issued)
    # 122 random bits
    assert all(uuid.UUID(session_id.removeprefix("widget-")).version == 4 for session_id in issued)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/trainer/"),
        ("GET", "/trainer/gesprek/someone"),
        ("GET", "/trainer/voortgang"),
        ("GET", "/trainer/export?format=csv"),
        ("POST", "/trainer/gesprek/someone/notitie"),
        ("POST", "/trainer/gesprek/someone/verwijderen"),
    ],
)
def test_trainer_pages_and_exports_need_a_login(servers: Servers, method: str, path: str) -> None:
    response = requests.request(method, f"{servers.web_url}{path}", allow_redirects=False, timeout=30)
    assert response.status_code in (302, 303, 400, 401, 403), response.status_code
    assert "someone" not in response.text or response.status_code in (302, 303)
    if response.status_code in (302, 303):
        assert "/trainer/login" in response.headers["Location"]


@pytest.mark.parametrize("server", ["actions", "rasa", "web"])
def test_the_servers_listen_on_loopback_only(servers: Servers, server: str) -> None:
    process = psutil.Process(servers.pids[server])
    listening = [
        connection.laddr.ip
        for child in (process, *process.children(recursive=True))
        for connection in child.net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    ]
    assert listening and set(listening) == {"127.0.0.1"}, listening


def test_no_secret_is_committed() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    patterns = [
        re.compile(r"(scrypt|pbkdf2):[\w:$]+\$[0-9a-f]{16,}"),  # password hashes
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
        re.compile(r"postgres(?:ql)?://[^:@\s/]+:(?![A-Z_]+@|\$\{)[^@\s]+@"),  # a password in a URL
        re.compile(r"(SECRET_KEY|PASSWORD|TOKEN)\s*=\s*['\"][^'\"$]{8,}['\"]"),
    ]
    leaks = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".png", ".gz", ".ico"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        leaks += [
            f"{name}: {match.group(0)[:40]}" for pattern in patterns for match in pattern.finditer(text)
        ]
    assert not [name for name in files if Path(name).name in {".env", "secrets.yml"}]
    assert leaks == [], leaks


def test_rasa_versions_and_local_models_only() -> None:
    assert version("rasa") == "3.6.21"  # CVE-2024-49375 is fixed from 3.6.21 on
    assert version("rasa-sdk") == "3.6.2"
    for endpoints in ("endpoints.yml", "deploy/endpoints.yml"):
        config = yaml.safe_load((ROOT / endpoints).read_text())
        assert "models" not in config, f"{endpoints} must not fetch models from a server"
    scripts = [ROOT / "Makefile", *sorted((ROOT / "scripts").glob("*"))]
    for script in scripts:
        assert "--remote-storage" not in script.read_text(), script
