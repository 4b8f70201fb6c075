"""The chat widget in a real browser, against the real servers: Dutch chat, quick replies, a reload
that continues the conversation, text never read as HTML, origins, and a lost connection."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

import requests
from playwright.sync_api import Dialog, Locator, Page, WebSocketRoute, expect

from rasa_addons.event_codec import expand
from rasa_addons.socketio_channel import is_valid_session_id
from tests.browser.conftest import screenshot
from tests.servers import Servers

GREETING = "Hoi! Ik ben de Waardecoach."
START_MENU = [
    "Start het waardegesprek",
    "Versimpelingsbelofte maken",
    "Verwachtingscheck",
    "Oefenen met een klant",
    "Wat kun je?",
]
ASK_ENGAGEMENT = "Voor welke klant en welke opdracht bereid je dit gesprek voor?"
ASK_CLIENT_ANSWER = "Hoe reageerde de klant?"
ENGAGEMENT = "schoonmaak voor een ziekenhuis in Utrecht"
OFFLINE = "Geen verbinding met de Waardecoach, ik probeer het opnieuw…"
XSS = "<img src=x onerror=alert(1)>"


def bot_says(page: Page, text: str) -> Locator:
    return page.locator(".wc-from-bot .wc-bubble", has_text=text)


def user_says(page: Page, text: str) -> Locator:
    return page.locator(".wc-from-user .wc-bubble", has_text=text)


def reply_button(page: Page, title: str) -> Locator:
    return page.locator(".wc-reply", has_text=title)


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Je bericht aan de Waardecoach")


def type_message(page: Page, text: str) -> None:
    message_box(page).fill(text)
    message_box(page).press("Enter")


def open_chat(page: Page, servers: Servers) -> None:
    """Opens the chat page as a new or returning visitor and waits for the start menu or history."""
    page.goto(servers.web_url)
    expect(page.get_by_role("region", name="Chat met de Waardecoach")).to_be_visible()


def session_id(page: Page) -> str:
    return str(page.evaluate("localStorage.getItem('waardecoach.session')"))


def stored_user_texts(servers: Servers, sender_id: str) -> list[str]:
    """The user messages Rasa stored for ``sender_id`` (the tracker store of the test servers)."""
    path = servers.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender_id,)
        ).fetchall()
    # only the user rows: a compact row's carried model id may be missing (not read here)
    return [event["text"] for event in expand((json.loads(data) for (data,) in rows), strict=False)]


def test_a_new_visitor_is_greeted_with_the_start_menu(page: Page, servers: Servers) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    open_chat(page, servers)
    expect(bot_says(page, GREETING)).to_be_visible()
    assert not [line for line in console if "Content Security Policy" in line], console
    for title in START_MENU:
        expect(reply_button(page, title)).to_be_enabled()
    # The greeting is asked for with /greet, which is not shown as something the user said.
    expect(page.locator(".wc-from-user")).to_have_count(0)
    expect(page.get_by_role("log", name="Berichten")).to_have_attribute("aria-live", "polite")
    expect(message_box(page)).to_have_attribute("placeholder", "Typ je bericht…")
    screenshot(page, "widget-greeting")


def test_chat_in_dutch_by_typing(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    expect(bot_says(page, GREETING)).to_be_visible()
    type_message(page, "ik wil een waardegesprek voorbereiden")
    expect(user_says(page, "ik wil een waardegesprek voorbereiden")).to_be_visible()
    expect(bot_says(page, ASK_ENGAGEMENT)).to_be_visible()
    # Typing an answer closes the start menu's buttons: they answered an earlier question.
    for title in START_MENU:
        expect(reply_button(page, title)).to_be_disabled()
    # Empty and whitespace-only messages are not sent.
    count = page.locator(".wc-message").count()
    type_message(page, "   \n  ")
    page.get_by_role("button", name="Bericht versturen").click()
    page.wait_for_timeout(500)
    expect(page.locator(".wc-message")).to_have_count(count)
    screenshot(page, "widget-typed-dutch")


def test_quick_replies_send_their_payload_and_show_their_title(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    reply_button(page, "Start het waardegesprek").click()
    expect(user_says(page, "Start het waardegesprek")).to_be_visible()
    expect(bot_says(page, ASK_ENGAGEMENT)).to_be_visible()
    for title in START_MENU:
        expect(reply_button(page, title)).to_be_disabled()
    expect(page.locator(".wc-reply.wc-chosen", has_text="Start het waardegesprek")).to_have_count(1)
    expect(page.get_by_text("/start_value_conversation")).to_have_count(0)

    type_message(page, ENGAGEMENT)
    expect(bot_says(page, ASK_CLIENT_ANSWER)).to_be_visible()
    reply_button(page, "Twijfelt").click()
    expect(bot_says(page, "Twijfel is normaal")).to_be_visible()
    expect(reply_button(page, "Akkoord")).to_be_disabled()
    screenshot(page, "widget-quick-replies")


def test_a_reload_keeps_the_history_and_continues_the_conversation(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    reply_button(page, "Start het waardegesprek").click()
    expect(bot_says(page, ASK_ENGAGEMENT)).to_be_visible()
    type_message(page, ENGAGEMENT)
    expect(reply_button(page, "Akkoord")).to_be_enabled()
    first_session = session_id(page)
    assert is_valid_session_id(first_session)

    page.reload()
    # The history is drawn again, in order, with the open question's buttons still usable.
    expect(bot_says(page, GREETING)).to_have_count(1)
    expect(user_says(page, ENGAGEMENT)).to_be_visible()
    expect(bot_says(page, ASK_CLIENT_ANSWER)).to_be_visible()
    expect(reply_button(page, "Start het waardegesprek")).to_be_disabled()
    screenshot(page, "widget-after-reload")
    # The same Rasa conversation goes on: the answer fits the question asked before the reload.
    reply_button(page, "Akkoord").click()
    expect(bot_says(page, "Sterk begin.")).to_be_visible()
    expect(bot_says(page, "Wat levert je dienst de klant op?")).to_be_visible()

    page.reload()
    type_message(page, "ze besparen 12.000 euro per jaar op schoonmaakkosten")
    expect(bot_says(page, "Hoe zeker is de klant hiervan?")).to_be_visible()
    expect(reply_button(page, "Zeker (100%)")).to_be_enabled()
    assert session_id(page) == first_session
    # No second greeting after the reloads.
    expect(bot_says(page, GREETING)).to_have_count(1)
    # Rasa stored every message in one conversation, under the widget's session id.
    assert stored_user_texts(servers, first_session) == [
        "/greet",
        "/start_value_conversation",
        ENGAGEMENT,
        "/affirm",
        "ze besparen 12.000 euro per jaar op schoonmaakkosten",
    ]
    screenshot(page, "widget-continued-after-reload")


def test_markup_is_shown_as_plain_text(page: Page, servers: Servers) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    open_chat(page, servers)
    expect(bot_says(page, GREETING)).to_be_visible()
    type_message(page, XSS)
    expect(user_says(page, XSS)).to_have_text(XSS)
    expect(page.locator(".wc-from-bot")).to_have_count(2)  # the bot answered (it did not understand)

    # A bot text with markup, from the stored history, is text too.
    page.evaluate(
        """([key, markup]) => {
            const saved = JSON.parse(localStorage.getItem(key));
            saved.items.push({from: "bot", text: markup, replies: [{title: markup, payload: "/help"}]});
            localStorage.setItem(key, JSON.stringify(saved));
        }""",
        [f"waardecoach.history.{session_id(page)}", "<b>vet</b><script>alert(2)</script>"],
    )
    page.reload()
    expect(bot_says(page, "<b>vet</b><script>alert(2)</script>")).to_be_visible()
    expect(reply_button(page, "<b>vet</b><script>alert(2)</script>")).to_be_visible()
    expect(user_says(page, XSS)).to_have_text(XSS)
    widget = page.locator("#waardecoach-widget")
    expect(widget.locator("img")).to_have_count(0)
    expect(widget.locator("b")).to_have_count(0)
    expect(widget.locator("script")).to_have_count(0)
    assert dialogs == []
    screenshot(page, "widget-markup-as-text")


def test_another_origin_is_refused(page: Page, servers: Servers) -> None:
    handshake = f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": servers.web_url}, timeout=10).status_code == 200
    refused = requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10)
    assert refused.status_code == 400
    assert "not an accepted origin" in refused.text
    websocket = requests.get(
        handshake.replace("polling", "websocket"),
        headers={
            "Origin": "https://evil.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
        timeout=10,
    )
    assert websocket.status_code == 400

    # The same chat page served from http://localhost:PORT is another origin than the allowed
    # http://127.0.0.1:PORT, so the browser's connection is refused and the widget says so.
    page.goto(servers.web_url.replace("127.0.0.1", "localhost"))
    expect(page.get_by_role("status").filter(has_text=OFFLINE)).to_be_visible()
    expect(bot_says(page, GREETING)).to_have_count(0)
    screenshot(page, "widget-other-origin-refused")


class Outage:
    """Routes the widget's websocket to Rasa, or drops it while the 'server' is down."""

    def __init__(self) -> None:
        self.down = False
        self.open: list[WebSocketRoute] = []
        self.lock = threading.Lock()

    def route(self, ws: WebSocketRoute) -> None:
        with self.lock:
            if self.down:
                ws.close()
                return
            ws.connect_to_server()
            self.open.append(ws)

    def start(self) -> None:
        with self.lock:
            self.down = True
            routes, self.open = self.open, []
        for ws in routes:
            ws.close()

    def end(self) -> None:
        with self.lock:
            self.down = False


def test_a_lost_connection_is_shown_and_the_message_is_sent_later(page: Page, servers: Servers) -> None:
    outage = Outage()
    page.route_web_socket(lambda url: "/socket.io/" in url, outage.route)
    open_chat(page, servers)
    expect(bot_says(page, GREETING)).to_be_visible()

    outage.start()
    status = page.get_by_role("status").filter(has_text=OFFLINE)
    expect(status).to_be_visible()
    type_message(page, "ik wil een waardegesprek voorbereiden")
    expect(user_says(page, "ik wil een waardegesprek voorbereiden")).to_be_visible()
    expect(page.get_by_text("Wordt verstuurd zodra er weer verbinding is")).to_be_visible()
    screenshot(page, "widget-offline")

    outage.end()
    expect(status).to_have_count(0)
    expect(bot_says(page, ASK_ENGAGEMENT)).to_be_visible()
    expect(page.get_by_text("Wordt verstuurd zodra er weer verbinding is")).to_have_count(0)
    screenshot(page, "widget-reconnected")


def test_long_messages_are_capped_with_a_dutch_hint(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    box = message_box(page)
    expect(box).to_have_attribute("maxlength", "2000")
    box.fill("a" * 1900)
    expect(page.get_by_text("Nog 100 tekens")).to_be_visible()
    box.fill("a" * 2000)
    expect(page.get_by_text("Je bericht heeft het maximum van 2000 tekens bereikt.")).to_be_visible()
    box.press("b")
    assert len(box.input_value()) == 2000
    screenshot(page, "widget-max-length")


def test_the_launcher_opens_and_closes_the_panel_on_a_phone(browser: Any, servers: Servers) -> None:
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 780}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        open_chat(page, servers)
        expect(bot_says(page, GREETING)).to_be_visible()
        panel = page.get_by_role("region", name="Chat met de Waardecoach")
        box = panel.bounding_box()
        assert box is not None and box["width"] == 390
        screenshot(page, "widget-phone-open")
        page.get_by_role("button", name="Chat minimaliseren").click()
        expect(panel).to_be_hidden()
        launcher = page.get_by_role("button", name="Open de chat met de Waardecoach")
        expect(launcher).to_be_focused()
        expect(launcher).to_have_attribute("aria-expanded", "false")
        screenshot(page, "widget-phone-closed")
        launcher.click()
        expect(panel).to_be_visible()
        expect(message_box(page)).to_be_focused()
    finally:
        context.close()


def test_long_polling_fallback_works_from_the_page(page: Page, servers: Servers) -> None:
    """Behind a proxy without websocket upgrades the widget falls back to polling: it must pass CORS."""
    open_chat(page, servers)
    page.add_script_tag(url=f"{servers.web_url}/vendor/socket.io.min.js")
    confirmed = page.evaluate(
        """(url) => new Promise((resolve, reject) => {
            const socket = io(url, {path: "/socket.io", transports: ["polling"]});
            socket.on("session_confirm", (id) => { socket.close(); resolve(id); });
            socket.on("connect_error", (error) => reject(String(error)));
            socket.on("connect", () => socket.emit("session_request", {}));
        })""",
        servers.rasa_url,
    )
    assert is_valid_session_id(confirmed)
