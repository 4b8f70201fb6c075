"""nginx's limits and hiding, with real nginx in front of a real Rasa (tests/scale_out.py).

Clients on other loopback addresses (127.0.0.2, 127.0.0.3, ...) stand for other users: nginx counts
per client address. Each test starts its own nginx with the settings it tests (deploy/render_nginx.py)
in front of the same Rasa instance.
"""

from __future__ import annotations

import http.client
import json
import secrets
import socket
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.scale_out import UPSTREAM_HEADER, ScaleOut, nginx, render_nginx_conf, start_scale_out
from tests.servers import free_port

ORIGIN = "https://chat.example.nl"
TOO_MANY = "Te veel verzoeken"  # the start of nginx's Dutch 429 body (deploy/nginx.conf.template)
TOKEN = secrets.token_urlsafe(24)  # random for each run
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
REST = "/webhooks/rest/webhook"
PACE = 0.35  # seconds between the starts of two messages of the test's user (a fast human)
# The flood: 4 threads, each a request every 20 ms at most (about 200 a second, 20 times the chat's
# rate), for as long as the other user chats. Faster, the flooding client itself would take the CPU
# that Rasa needs on this machine: an attacker's CPU is elsewhere.
FLOOD_THREADS, FLOOD_PAUSE, FLOOD_REQUESTS = 4, 0.02, 3000


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def request(
    url: str,
    path: str,
    source: str = "127.0.0.1",
    method: str = "GET",
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request from the loopback address ``source`` (nginx sees it as the client's)."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(
        address.hostname or "", address.port, timeout=90, source_address=(source, 0)
    )
    try:
        sent = {"Origin": ORIGIN, **(headers or {})}
        data = None
        if body is not None:
            data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        began = time.monotonic()
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        seconds = time.monotonic() - began
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text, seconds)
    finally:
        connection.close()


def say(url: str, sender: str, text: str, source: str = "127.0.0.1", token: str = TOKEN) -> Answer:
    return request(
        url,
        REST,
        source,
        "POST",
        {"sender": sender, "message": text},
        {"Authorization": f"Bearer {token}"},
    )


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaleOut]:
    with start_scale_out(
        tmp_path_factory.mktemp("nginx-limits"), instances=1, allowed_origins=ORIGIN
    ) as running:
        yield running


@pytest.fixture(scope="module")
def production(topology: ScaleOut) -> Iterator[str]:
    """nginx with the template's defaults, and a REST token."""
    with nginx(
        list(topology.rasa_urls), {"WAARDECOACH_REST_TOKEN": TOKEN}, topology.logs, "nginx-defaults"
    ) as url:
        yield url


def p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[round(0.95 * (len(ordered) - 1))]


def conversation_latencies(url: str, messages: int) -> list[float]:
    """A user at 127.0.0.1 chatting over REST: every message must be answered."""
    sender, latencies = f"nginx-user-{uuid.uuid4().hex}", []
    for number in range(messages):
        began = time.monotonic()
        answer = say(url, sender, "hallo" if number % 2 == 0 else "help")
        assert answer.status == 200 and json.loads(answer.body), answer
        latencies.append(answer.seconds)
        time.sleep(max(0.0, began + PACE - time.monotonic()))
    return latencies


def test_a_flood_from_one_address_gets_429s_while_another_user_is_served(production: str) -> None:
    conversation_latencies(production, 4)  # warm up
    quiet = conversation_latencies(production, 30)
    stop = threading.Event()
    flood: Counter[int] = Counter()
    bodies: list[str] = []

    def flooder() -> None:
        for _ in range(FLOOD_REQUESTS):
            if stop.wait(FLOOD_PAUSE):
                return
            answer = request(production, HANDSHAKE, source="127.0.0.2")
            flood[answer.status] += 1
            if answer.status == 429:
                bodies.append(answer.body)

    with ThreadPoolExecutor(max_workers=FLOOD_THREADS) as pool:
        for _ in range(FLOOD_THREADS):
            pool.submit(flooder)
        try:
            time.sleep(0.5)
            during = conversation_latencies(production, 30)
        finally:
            stop.set()
    ratio = p95(during) / p95(quiet)
    print(
        f"\nnginx flood: {dict(flood)} from 127.0.0.2; the other user's p95 {p95(quiet):.3f} s quiet, "
        f"{p95(during):.3f} s during the flood (x{ratio:.2f}), median "
        f"{statistics.median(quiet):.3f} -> {statistics.median(during):.3f} s"
    )
    assert flood[429] > 10 * flood[200] > 0, flood
    assert all(body.startswith(TOO_MANY) for body in bodies), bodies[:1]
    assert set(flood) == {200, 429}, flood
    assert ratio < 2, ratio


def test_open_connections_per_address_are_limited(topology: ScaleOut) -> None:
    """Long-polling GETs hold their request until engine.io has something to send (up to its 25 s
    ping): beyond WAARDECOACH_CHAT_CONNECTIONS of them from one address, nginx answers 429 at once."""
    settings = {"WAARDECOACH_CHAT_CONNECTIONS": "3", "WAARDECOACH_CHAT_RATE": "100r/s"}
    with nginx(list(topology.rasa_urls), settings, topology.logs, "nginx-connections") as url:
        address = urlsplit(url)
        sids = []
        for _ in range(5):
            handshake = request(url, HANDSHAKE, source="127.0.0.3")
            assert handshake.status == 200, handshake
            sids.append(json.loads(handshake.body[handshake.body.index("{") :])["sid"])
        held: list[socket.socket] = []
        try:
            for sid in sids:  # five waiting polls of five sockets, from one address
                connection = socket.create_connection(
                    (address.hostname, address.port), timeout=3, source_address=("127.0.0.3", 0)
                )
                connection.sendall(
                    f"GET {HANDSHAKE}&sid={sid} HTTP/1.1\r\nHost: {address.netloc}\r\nOrigin: {ORIGIN}\r\n\r\n".encode()
                )
                held.append(connection)
                time.sleep(0.2)
            answered = []
            for connection in held:
                try:
                    answered.append(connection.recv(4096).decode("utf-8", "replace"))
                except TimeoutError:
                    answered.append("")  # still held by engine.io
            # another address is not affected
            assert request(url, HANDSHAKE, source="127.0.0.4").status == 200
        finally:
            for connection in held:
                connection.close()
    refused = [text for text in answered if text.startswith("HTTP/1.1 429")]
    print(f"\nnginx connections: 5 waiting polls from one address, limit 3: {len(refused)} refused at once")
    assert [text == "" for text in answered] == [True, True, True, False, False], answered
    assert len(refused) == 2 and all(TOO_MANY in text for text in refused), answered


def test_rest_is_not_public_without_a_token(topology: ScaleOut) -> None:
    with nginx(list(topology.rasa_urls), {}, topology.logs, "nginx-no-token") as url:
        assert say(url, "someone", "hallo").status == 404
        for path in (REST, "/webhooks/rest/"):
            assert request(url, path).status == 404
        assert request(url, HANDSHAKE).status == 200  # the widget's socket.io is


def test_rest_needs_the_token_when_one_is_set(production: str) -> None:
    assert request(production, REST, method="POST", body={"sender": "x", "message": "hallo"}).status == 401
    assert say(production, f"nginx-{uuid.uuid4().hex}", "hallo", token="raden-" + TOKEN).status == 401
    answer = say(production, f"nginx-{uuid.uuid4().hex}", "hallo")
    assert answer.status == 200 and json.loads(answer.body), answer


def test_the_upstream_header_only_when_asked_for(production: str, topology: ScaleOut) -> None:
    answer = request(production, HANDSHAKE)
    assert answer.status == 200 and UPSTREAM_HEADER.lower() not in answer.headers, answer.headers
    debug = request(topology.url, HANDSHAKE)  # the tooling's nginx sets WAARDECOACH_UPSTREAM_HEADER=1
    assert debug.headers[UPSTREAM_HEADER.lower()] in topology.rasa_urls, debug.headers


@pytest.fixture
def web_app() -> Iterator[str]:
    """A stand-in for the web app on loopback: 200 for every request."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_trainer_login_is_limited_per_address(topology: ScaleOut, web_app: str) -> None:
    settings = {"WAARDECOACH_WEB_SERVER": web_app}  # the default login rate: 10 a minute, burst 5
    with nginx(list(topology.rasa_urls), settings, topology.logs, "nginx-web") as url:
        guesses = [
            request(url, "/trainer/login", "127.0.0.5", "POST", {"wachtwoord": str(n)}) for n in range(20)
        ]
        statuses = Counter(answer.status for answer in guesses)
        print(f"\nnginx login: 20 guesses at once from one address: {dict(statuses)}")
        assert statuses[429] >= 12 and 0 < statuses[200] <= 8, statuses
        assert all(a.body.startswith(TOO_MANY) for a in guesses if a.status == 429)
        assert request(url, "/trainer/login", "127.0.0.6").status == 200  # another address
        assert request(url, "/trainer/", "127.0.0.5").status == 200  # the other pages are not limited
        assert request(url, "/").status == 200


def test_hsts_only_behind_https() -> None:
    servers = {"WAARDECOACH_RASA_SERVERS": "server 127.0.0.1:5005;"}
    https = render_nginx_conf({**servers, "WAARDECOACH_LISTEN": "443 ssl"})
    plain = render_nginx_conf({**servers, "WAARDECOACH_LISTEN": "127.0.0.1:8080"})
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in https
    assert "Strict-Transport-Security" not in plain


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WAARDECOACH_REST_TOKEN", 'abcdefghijklmnop"; return 200;'),
        ("WAARDECOACH_REST_TOKEN", "short"),
        ("WAARDECOACH_CHAT_RATE", "10r/s; allow all"),
        ("WAARDECOACH_CHAT_BURST", "0"),
        ("WAARDECOACH_WEB_SERVER", "127.0.0.1:8000; }"),
    ],
)
def test_the_renderer_refuses_a_value_that_is_not_one(name: str, value: str) -> None:
    settings = {"WAARDECOACH_RASA_SERVERS": "server 127.0.0.1:5005;", "WAARDECOACH_LISTEN": "127.0.0.1:8080"}
    with pytest.raises(RuntimeError, match=name):
        render_nginx_conf({**settings, name: value})
