"""The trainer review page in a real browser: a conversation held through the widget is found,
read with its verdict and coaching flag, annotated and exported; no access without login."""

from __future__ import annotations

import json
import sqlite3
import time

import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TRAINER_NAME, TRAINER_PASSWORD, screenshot
from tests.conversations import VALUE_CONVERSATION
from tests.servers import Servers

XSS = "<img src=x onerror=alert(1)>"
NOTE = "Mooi gekwantificeerd; oefen het noemen van een concreet moment."


def last_turn_done(servers: Servers, sender_id: str, user_messages: int) -> bool:
    """True when Rasa stored ``user_messages`` user turns and then went back to listening."""
    path = servers.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT type_name, action_name FROM events WHERE sender_id = ? ORDER BY id", (sender_id,)
        ).fetchall()
    users = sum(1 for type_name, _ in rows if type_name == "user")
    return users == user_messages and rows[-1] == ("action", "action_listen")


def say_in_widget(page: Page, servers: Servers, text: str, user_messages: int) -> None:
    """Types ``text`` in the widget and waits until the bot has answered it completely."""
    box = page.get_by_role("textbox", name="Je bericht aan de Waardecoach")
    box.fill(text)
    box.press("Enter")
    sender_id = str(page.evaluate("localStorage.getItem('waardecoach.session')"))
    deadline = time.monotonic() + 30
    while not last_turn_done(servers, sender_id, user_messages):
        assert time.monotonic() < deadline, f"no complete answer to {text!r}"
        time.sleep(0.2)


def log_in(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.web_url}/trainer/")
    page.locator("#naam").fill(TRAINER_NAME)
    page.locator("#wachtwoord").fill(TRAINER_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gesprekken")


def test_a_trainer_reviews_annotates_and_exports_a_widget_conversation(
    page: Page, servers: Servers, browser: Browser
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(servers.web_url)
    expect(page.locator(".wc-from-bot").first).to_be_visible()
    session = str(page.evaluate("localStorage.getItem('waardecoach.session')"))
    say_in_widget(page, servers, XSS, user_messages=2)  # after the widget's own /greet
    for number, message in enumerate(VALUE_CONVERSATION[1:], start=3):
        say_in_widget(page, servers, message, user_messages=number)
    expect(page.locator(".wc-from-bot .wc-bubble", has_text="Verhouding waarde/prijs: 1,3")).to_be_visible()
    screenshot(page, "review-0-widget-conversation")

    trainer = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    review = trainer.new_page()
    review.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        log_in(review, servers)
        row = review.locator("tr", has=review.locator(f"a[href$='/gesprek/{session}']"))
        expect(row).to_contain_text("promotor")
        expect(row).to_contain_text("1,3")
        expect(row).to_contain_text("website")  # the socket.io channel
        screenshot(review, "review-1-list", full_page=True)

        row.locator(f"a[href$='/gesprek/{session}']").first.click()
        expect(review.get_by_text("€ 49.580,00").first).to_be_visible()
        expect(review.get_by_text("€ 38.000,00").first).to_be_visible()
        expect(review.locator("svg").first).to_be_visible()  # the value-versus-price chart
        expect(review.get_by_text("zo snel mogelijk").first).to_be_visible()
        expect(review.get_by_text(XSS, exact=True).first).to_be_visible()
        expect(review.locator("main img")).to_have_count(0)

        review.locator("#tekst").fill(NOTE)
        review.get_by_role("button", name="Notitie opslaan").click()
        expect(review.get_by_text(NOTE)).to_be_visible()
        screenshot(review, "review-2-conversation", full_page=True)

        with review.expect_download() as download_info:
            review.get_by_role("link", name="JSON").first.click()
        exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
        conversation = exported[0] if isinstance(exported, list) else exported["conversations"][0]
        assert conversation["id"] == session
        assert NOTE in json.dumps(conversation, ensure_ascii=False)
        assert XSS in json.dumps(conversation, ensure_ascii=False)

        with review.expect_download() as download_info:
            review.get_by_role("link", name="Markdown").first.click()
        markdown = download_info.value.path().read_text(encoding="utf-8")
        assert "49.580,00" in markdown and "zo snel mogelijk" in markdown
    finally:
        trainer.close()
    assert dialogs == []


def test_the_review_page_refuses_access_without_login(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.web_url}/trainer/")
    expect(page.locator("#wachtwoord")).to_be_visible()
    expect(page.locator("table")).to_have_count(0)
    screenshot(page, "review-login-required")
    for path in ("/trainer/", "/trainer/export?format=json", "/trainer/gesprek/x"):
        response = requests.get(f"{servers.web_url}{path}", allow_redirects=False, timeout=10)
        assert response.status_code in (302, 401, 403), path
        assert "events" not in response.text and "Verhouding" not in response.text
    wrong = requests.Session()
    login = wrong.get(f"{servers.web_url}/trainer/login", timeout=10)
    token = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = wrong.post(
        f"{servers.web_url}/trainer/login",
        data={"csrf_token": token, "naam": TRAINER_NAME, "wachtwoord": "fout"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code != 302 and "Naam of wachtwoord klopt niet" in response.text
    assert wrong.get(f"{servers.web_url}/trainer/", allow_redirects=False, timeout=10).status_code == 302
