"""The channels' limits and failure replies with real processes: a flood gets 429s while other users
are served as fast as before, the new-conversation quota, the turn cap, REST's Content-Type and
sender namespace, socket.io without an Origin, and Redis failing under a message.

The servers run with low limits, the lock store in Redis (deploy/endpoints.yml) and
``SANIC_PROXIES_COUNT=1``, as behind nginx: each test sends from its own client address in
``X-Forwarded-For``, so the per-address quota of one test does not touch another.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from rasa_addons.replies import reply_text
from tests.conversations import SCRIPTS
from tests.redis_servers import FailingRedis, start_servers_with_redis
from tests.reliability.helpers import log_text, stored_user_texts
from tests.reliability.widget_client import WidgetClient
from tests.servers import Servers, sqlite_url

MESSAGES_PER_MINUTE = 20
NEW_CONVERSATIONS_PER_MINUTE = 5
MAX_TURNS = 15
LIMITS_ENV = {
    "WAARDECOACH_MESSAGES_PER_MINUTE": str(MESSAGES_PER_MINUTE),
    "WAARDECOACH_NEW_CONVERSATIONS_PER_MINUTE": str(NEW_CONVERSATIONS_PER_MINUTE),
    "WAARDECOACH_MAX_TURNS": str(MAX_TURNS),
    "WAARDECOACH_LIMITS_EXEMPT": "",  # loopback is held to the limits too
    "SANIC_PROXIES_COUNT": "1",  # the client's address from X-Forwarded-For, as behind nginx
}
USER_SCRIPT = SCRIPTS["value_conversation"][:5]
FLOOD_WORKERS = 2
ROUNDS = 4  # without and with the flood in turn, each with USERS_PER_ROUND conversations of 5 messages
USERS_PER_ROUND = 3
MAX_P95_RATIO = 2.0


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servers, FailingRedis]]:
    directory = tmp_path_factory.mktemp("channel-limits")
    with start_servers_with_redis(directory, sqlite_url(directory), LIMITS_ENV, web=False) as running:
        yield running


@pytest.fixture
def servers(limited: tuple[Servers, FailingRedis]) -> Servers:
    return limited[0]


def address() -> str:
    """A client address of its own (in X-Forwarded-For)."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62_500 % 250 + 1}"


def post(
    rasa_url: str,
    sender: str,
    text: str,
    client: str,
    content_type: str = "application/json",
    session: requests.Session | None = None,
) -> requests.Response:
    body = json.dumps({"sender": sender, "message": text})
    return (session or requests).post(
        f"{rasa_url}/webhooks/rest/webhook",
        data=body.encode(),
        headers={"Content-Type": content_type, "X-Forwarded-For": client},
        timeout=60,
    )


def assert_refused(response: requests.Response, status: int, code: str, **values: object) -> None:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body == {"error": code, "message": reply_text(f"utter_request_{code}", **values)}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def user_latencies(rasa_url: str, users: int) -> list[float]:
    """``users`` new conversations one after the other, each from its own address: the reply times."""
    latencies = []
    for _ in range(users):
        sender, client = f"normal-{uuid.uuid4().hex}", address()
        with requests.Session() as session:
            for text in USER_SCRIPT:
                started = time.perf_counter()
                response = post(rasa_url, sender, text, client, session=session)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200 and response.json(), response.text[:300]
    return latencies


def flood(url: str, sender: str, client: str, events: dict[str, Any], results: Any) -> None:
    """Posts as fast as ``FLOOD_WORKERS`` clients can while ``events["active"]`` is set, until
    ``events["stop"]``; puts what came back in ``results``. Runs in a process of its own, so that
    the measured users do not share the test's GIL with it."""
    answers: Counter[str] = Counter()
    retry_after: set[str] = set()

    def worker() -> None:
        with requests.Session() as session:
            while not events["stop"].is_set():
                if not events["active"].wait(0.1):
                    continue
                response = post(url, sender, "hallo", client, session=session)
                if response.status_code == 429:
                    events["refusing"].set()
                    code = response.json()["error"]
                    answers[code] += 1
                    if code == "too_many_messages":
                        retry_after.add(response.headers.get("Retry-After", ""))
                else:
                    answers[str(response.status_code)] += 1

    with ThreadPoolExecutor(max_workers=FLOOD_WORKERS) as pool:
        for future in [pool.submit(worker) for _ in range(FLOOD_WORKERS)]:
            future.result()
    results.put((dict(answers), retry_after))


def test_a_flood_gets_429s_while_other_users_are_served_as_before(servers: Servers) -> None:
    url = servers.rasa_url
    user_latencies(url, 1)  # warm up
    context = multiprocessing.get_context("spawn")
    events = {name: context.Event() for name in ("active", "stop", "refusing")}
    results = context.Queue()
    flooder = context.Process(
        target=flood, args=(url, f"flood-{uuid.uuid4().hex}", address(), events, results)
    )
    flooder.start()
    normal: list[float] = []
    under_flood: list[float] = []
    try:
        # Rounds without and with the flood, so that the machine's other load weighs on both alike.
        for _ in range(ROUNDS):
            normal += user_latencies(url, USERS_PER_ROUND)
            events["active"].set()
            # The flood's first messages are its burst, handled like any user's; then it is refused.
            assert events["refusing"].wait(60)
            under_flood += user_latencies(url, USERS_PER_ROUND)
            events["active"].clear()
    finally:
        events["stop"].set()
    answers, retry_after = results.get(timeout=60)
    flooder.join(30)

    ratio = p95(under_flood) / p95(normal)
    print(
        f"\nflood: {answers}; {len(normal)} replies each; p95 normal {p95(normal):.3f} s, under the "
        f"flood {p95(under_flood):.3f} s (ratio {ratio:.2f}); medians {statistics.median(normal):.3f} "
        f"and {statistics.median(under_flood):.3f} s"
    )
    # At most the turn cap got through (within the burst); everything else was refused at once.
    assert answers.get("200", 0) <= MAX_TURNS, answers
    assert answers.get("too_many_messages", 0) >= 100, answers
    assert set(answers) <= {"200", "too_many_messages", "too_many_turns"}, answers
    assert retry_after and all(value.isdigit() and int(value) >= 1 for value in retry_after), retry_after
    assert ratio < MAX_P95_RATIO, (normal, under_flood)


def test_the_429_of_too_many_messages_is_dutch(servers: Servers) -> None:
    sender, client = f"rate-{uuid.uuid4().hex}", address()
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(
                lambda n: post(servers.rasa_url, sender, f"hallo {n}", client), range(MESSAGES_PER_MINUTE + 5)
            )
        )
    refused = [r for r in responses if r.status_code == 429 and r.json()["error"] == "too_many_messages"]
    assert refused, [(response.status_code, response.text[:100]) for response in responses]
    seconds = int(refused[0].headers["Retry-After"])
    assert_refused(refused[0], 429, "too_many_messages", per_minute=MESSAGES_PER_MINUTE, seconds=seconds)


def test_new_conversations_per_minute_per_address(servers: Servers) -> None:
    client, url = address(), servers.rasa_url
    senders = [f"quota-{uuid.uuid4().hex}" for _ in range(NEW_CONVERSATIONS_PER_MINUTE + 1)]
    for sender in senders[:-1]:
        assert post(url, sender, "hallo", client).status_code == 200
    refused = post(url, senders[-1], "hallo", client)
    assert refused.status_code == 429, refused.text[:300]
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60 // NEW_CONVERSATIONS_PER_MINUTE
    assert_refused(
        refused, 429, "too_many_conversations", per_minute=NEW_CONVERSATIONS_PER_MINUTE, seconds=seconds
    )
    assert stored_user_texts(servers.database_url, senders[-1]) == []
    # The conversations already begun go on, and another address may begin one.
    assert post(url, senders[0], "help", client).status_code == 200
    assert post(url, senders[-1], "hallo", address()).status_code == 200


def test_the_turn_cap(servers: Servers) -> None:
    sender, client, url = f"turns-{uuid.uuid4().hex}", address(), servers.rasa_url
    for n in range(MAX_TURNS):
        assert post(url, sender, "help" if n % 2 else "hallo", client).status_code == 200, n
    assert_refused(post(url, sender, "hallo", client), 429, "too_many_turns", max_turns=MAX_TURNS)
    assert len(stored_user_texts(servers.database_url, sender)) == MAX_TURNS


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_rest_needs_json(servers: Servers, content_type: str) -> None:
    sender = f"plain-{uuid.uuid4().hex}"
    refused = post(servers.rasa_url, sender, "hallo", address(), content_type)
    assert_refused(refused, 415, "unsupported_media_type")
    assert stored_user_texts(servers.database_url, sender) == []


def test_rest_takes_json_with_a_charset(servers: Servers) -> None:
    sender = f"charset-{uuid.uuid4().hex}"
    response = post(servers.rasa_url, sender, "hallo", address(), "application/json; charset=utf-8")
    assert response.status_code == 200 and response.json()


async def test_rest_cannot_write_into_a_widget_conversation(servers: Servers) -> None:
    client = WidgetClient(servers.rasa_url, servers.web_url, {"X-Forwarded-For": address()})
    try:
        session_id = await client.start()
        assert await client.say("hallo")
    finally:
        await client.close()
    for sender in (session_id, session_id.upper(), "widget-" + uuid.uuid4().hex):
        assert_refused(
            post(servers.rasa_url, sender, "ik schrijf mee", address()), 403, "widget_conversation"
        )
    assert stored_user_texts(servers.database_url, session_id) == ["hallo"]


async def test_redis_failing_under_a_message_gets_a_dutch_reply(
    limited: tuple[Servers, FailingRedis],
) -> None:
    servers, redis_server = limited
    failed = reply_text("utter_request_failed")
    sender, client = f"redis-{uuid.uuid4().hex}", address()
    widget = WidgetClient(servers.rasa_url, servers.web_url, {"X-Forwarded-For": client})
    try:
        await widget.start()
        assert post(servers.rasa_url, sender, "hallo", client).status_code == 200
        assert (await widget.say_acknowledged("hallo"))[0] == {"delivered": True}

        redis_server.fail()
        try:
            response = post(servers.rasa_url, sender, "help", client)
            assert response.status_code == 200 and [r["text"] for r in response.json()] == [failed]
            ack, replies = await widget.say_acknowledged("help")
            assert (ack, replies) == ({"delivered": False, "error": "failed"}, [failed])
        finally:
            redis_server.recover()

        # Sent again once Redis is back: handled as if nothing happened.
        assert post(servers.rasa_url, sender, "help", client).json()[0]["text"] != failed
        ack, replies = await widget.say_acknowledged("help")
        assert ack == {"delivered": True} and replies and failed not in replies
    finally:
        await widget.close()
    assert stored_user_texts(servers.database_url, sender) == ["hallo", "help"]
    assert "A message of" in log_text(servers.logs / "rasa.log")
