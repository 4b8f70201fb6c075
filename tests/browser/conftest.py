"""Browser tests: the servers on loopback, Debian's Chromium driven by Playwright, and screenshots.

Fixtures for every browser test: ``servers`` (session: action server, Rasa and the web app with a
throw-away SQLite database), ``browser`` (session: headless Chromium) and ``page`` (a new browser
context per test: empty localStorage, so every test starts as a new visitor). ``screenshot(page,
name)`` saves a PNG under tests/artefacts/screenshots/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.security import generate_password_hash

from tests.servers import ROOT, Servers, sqlite_url, start_servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_WAIT_SECONDS = 600  # `make system-deps` may still be installing it
SOCKET_IO_CLIENT = ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SCREENSHOTS = ROOT / "tests" / "artefacts" / "screenshots"
TIMEOUT_MS = 30_000
TRAINER_NAME, TRAINER_PASSWORD = "trainer", "oefen-wachtwoord-2026"

expect.set_options(timeout=TIMEOUT_MS)


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Saves a PNG of ``page`` (the window, or the whole page) as tests/artefacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), animations="disabled", full_page=full_page)
    return path


def wait_for_chromium() -> Path:
    deadline = time.monotonic() + CHROMIUM_WAIT_SECONDS
    while not CHROMIUM.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (installs Debian's chromium)")
        time.sleep(5)
    return CHROMIUM


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Action server, Rasa (REST + socket.io) and the web app (one trainer account) on loopback."""
    if not SOCKET_IO_CLIENT.exists():
        pytest.fail(f"{SOCKET_IO_CLIENT} is missing: run `make web-assets`")
    directory = tmp_path_factory.mktemp("browser")
    trainers = f"{TRAINER_NAME}:{generate_password_hash(TRAINER_PASSWORD)}"
    with start_servers(directory, sqlite_url(directory), {"WAARDECOACH_TRAINERS": trainers}) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (Playwright never downloads a browser here)."""
    executable = wait_for_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (its own cookies and localStorage), Dutch, desktop size."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()
