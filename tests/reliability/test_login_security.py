"""The trainer login against a real web app process (``python -m web serve``, waitress): wrong
logins are refused at once without slowing the chat page, a lockout ends after its window, and a
copied cookie is dead after logout.

Only the web app is started (the chat page needs no Rasa): on loopback, with an SQLite database,
a production password hash (scrypt) and the login limits given in its environment.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import secrets
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.servers import BIN, free_port, running, sqlite_url

TRAINER, PASSWORD = "anna", secrets.token_urlsafe(12)
PASSWORD_HASH = generate_password_hash(PASSWORD)  # Werkzeug's default, as `python -m web hash-password`
ATTACKERS = 20
CHAT_SAMPLES = 600
CHAT_PACE = 0.02


@contextmanager
def web_app(directory: Path, **limits: str) -> Iterator[str]:
    """Runs the web app alone on a free loopback port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "WAARDECOACH_DATABASE_URL": sqlite_url(directory),
        "WAARDECOACH_TRAINERS": f"{TRAINER}:{PASSWORD_HASH}",
        "WAARDECOACH_SECRET_KEY": secrets.token_hex(32),
        **limits,
    }
    command = [str(BIN / "python"), "-m", "web", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, env, directory / "web.log", f"{url}/health"):
        yield url


def login_form(url: str) -> tuple[requests.Session, str]:
    """A browser session on the login page, and the page's CSRF token."""
    browser = requests.Session()
    page = browser.get(f"{url}/trainer/login", timeout=30)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return browser, match.group(1)


def log_in(url: str, password: str = PASSWORD) -> tuple[requests.Session, requests.Response]:
    browser, token = login_form(url)
    response = browser.post(
        f"{url}/trainer/login",
        data={"naam": TRAINER, "wachtwoord": password, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    return browser, response


def chat_page_seconds(url: str, count: int) -> list[tuple[float, float]]:
    """(scheduled moment, seconds) of ``count`` chat page loads scheduled every ``CHAT_PACE`` seconds,
    each timed from its scheduled moment: a stall delays every load scheduled during it, as it
    would delay every visitor arriving then (one slow answer is not one sample)."""
    loads = []
    with requests.Session() as browser:
        start = time.monotonic()
        for number in range(count):
            scheduled = start + number * CHAT_PACE
            time.sleep(max(0.0, scheduled - time.monotonic()))
            assert browser.get(f"{url}/", timeout=30).status_code == 200
            loads.append((scheduled, time.monotonic() - scheduled))
    return loads


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def attack(url: str, ready: Any, go: Any, answers: Any) -> None:
    """The attacker, in a process of its own (its threads do not slow the measuring client): 20
    browsers open the login page, then all post a wrong password at the same moment. Puts
    (status, sent, answered, page) per answer on ``answers``."""
    forms = [login_form(url) for _ in range(ATTACKERS)]
    together = threading.Barrier(ATTACKERS)

    def guess(browser: requests.Session, token: str) -> None:
        together.wait()
        sent = time.monotonic()
        response = browser.post(
            f"{url}/trainer/login",
            data={"naam": TRAINER, "wachtwoord": secrets.token_urlsafe(8), "csrf_token": token},
            timeout=60,
        )
        answers.put((response.status_code, sent, time.monotonic(), response.text))

    ready.set()
    go.wait()
    guessers = [threading.Thread(target=guess, args=form) for form in forms]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def test_concurrent_wrong_logins_do_not_slow_the_chat_page(tmp_path: Path, report: dict[str, str]) -> None:
    with web_app(tmp_path) as url:  # the default limits: 5 failures per account, 20 per address
        chat_page_seconds(url, 10)  # warm up
        before = [seconds for _, seconds in chat_page_seconds(url, CHAT_SAMPLES)]
        spawn = multiprocessing.get_context("spawn")
        ready, go, queue = spawn.Event(), spawn.Event(), spawn.Queue()
        attacker = spawn.Process(target=attack, args=(url, ready, go, queue))
        attacker.start()
        try:
            assert ready.wait(60), "the attacker did not start"
            go.set()
            loads = chat_page_seconds(url, CHAT_SAMPLES)
            answers = [queue.get(timeout=60) for _ in range(ATTACKERS)]
        finally:
            attacker.join(30)
            if attacker.is_alive():
                attacker.kill()
        after = [seconds for _, seconds in chat_page_seconds(url, CHAT_SAMPLES)]
    statuses = [status for status, _, _, _ in answers]
    # At most the 5 failures an account may have were checked; the rest was refused unchecked.
    assert 1 <= statuses.count(401) <= 5 and statuses.count(429) == ATTACKERS - statuses.count(401), statuses
    assert all(
        "Probeer het" in page or "Inloggen kan weer" in page
        for status, _, _, page in answers
        if status == 429
    )
    refused = [answered - sent for status, sent, answered, _ in answers if status == 429]
    checked = [answered - sent for status, sent, answered, _ in answers if status == 401]
    # Refused at once: without checking a password, so faster than any wrong password (scrypt).
    assert statistics.median(refused) < min(checked), (refused, checked)
    busy = [seconds for _, seconds in loads]
    last_answer = max(answered for _, _, answered, _ in answers)
    during_burst = [seconds for scheduled, seconds in loads if scheduled <= last_answer]
    # The machine is shared: idle is measured before and after, and the slower of the two counts.
    idle = (max(statistics.median(before), statistics.median(after)), max(p95(before), p95(after)))
    ratios = (statistics.median(busy) / idle[0], p95(busy) / idle[1])
    report["chat page"] = (
        f"idle before: median {ms(statistics.median(before))}, p95 {ms(p95(before))}; after: median "
        f"{ms(statistics.median(after))}, p95 {ms(p95(after))}; from the moment {ATTACKERS} "
        f"wrong logins were sent at once, over {len(busy)} loads ({CHAT_SAMPLES * CHAT_PACE:.0f} s): "
        f"median {ms(statistics.median(busy))}, p95 {ms(p95(busy))} (ratios {ratios[0]:.2f} and "
        f"{ratios[1]:.2f}); the {len(during_burst)} loads sent before the last login was answered: "
        f"slowest {ms(max(during_burst))}. Logins: {statuses.count(401)} checked (401, median "
        f"{ms(statistics.median(checked))}), {statuses.count(429)} refused (429, median "
        f"{ms(statistics.median(refused))}); the last answered after {ms(last_answer - min(s for _, s, _, _ in answers))}"
    )
    # The old 1 s sleep per wrong login gave ratios of 778 and 712 (the page stalled for seconds); the
    # p95 of a few hundred loads on a shared 2-core machine moves by itself, so it gets more room.
    assert ratios[0] < 2 and ratios[1] < 5, report["chat page"]


def test_the_lockout_is_answered_at_once_and_ends_after_the_window(tmp_path: Path) -> None:
    window = 3.0
    limits = {"WAARDECOACH_LOGIN_FAILURES_PER_ACCOUNT": "3", "WAARDECOACH_LOGIN_WINDOW_SECONDS": str(window)}
    with web_app(tmp_path, **limits) as url:
        assert [log_in(url, "fout")[1].status_code for _ in range(3)] == [401] * 3
        locked_at = time.monotonic()
        _, locked = log_in(url)  # the right password, but the account is locked
        assert locked.status_code == 429, locked.status_code
        assert "Er is te vaak een verkeerd wachtwoord gegeven" in locked.text
        assert 1 <= int(locked.headers["Retry-After"]) <= window
        time.sleep(max(0.0, window + 0.5 - (time.monotonic() - locked_at)))
        browser, response = log_in(url)
        assert response.status_code == 302, response.status_code
        assert browser.get(f"{url}/trainer/", allow_redirects=False, timeout=30).status_code == 200


def test_a_copied_cookie_is_dead_after_logout(tmp_path: Path) -> None:
    with web_app(tmp_path) as url:
        browser, response = log_in(url)
        assert response.status_code == 302
        thief = requests.Session()
        thief.cookies.set("session", browser.cookies["session"])
        assert thief.get(f"{url}/trainer/", allow_redirects=False, timeout=30).status_code == 200
        page = browser.get(f"{url}/trainer/", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        logout = browser.post(
            f"{url}/trainer/logout", data={"csrf_token": token.group(1)}, allow_redirects=False, timeout=30
        )
        assert logout.status_code == 302
        after = thief.get(f"{url}/trainer/", allow_redirects=False, timeout=30)
        assert after.status_code == 302 and "/trainer/login" in after.headers["Location"]


@pytest.fixture(scope="module")
def report() -> Iterator[dict[str, str]]:
    """Figures measured by the tests, printed at the end (for docs/reliability.md)."""
    figures: dict[str, str] = {}
    yield figures
    for name, text in figures.items():
        print(f"\n{name}: {text}")
