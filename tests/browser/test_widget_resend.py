"""The widget's delivery state in a real browser: a message counts as delivered only when the server
acknowledges it. Redis (the lock store of the production topology) fails under a message: the bot
says so in Dutch, the widget marks the message as not delivered (also after a reload) and offers
"Opnieuw versturen", which sends it again once Redis is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from rasa_addons.replies import reply_text
from tests.browser.conftest import screenshot
from tests.browser.test_widget import (
    GREETING,
    bot_says,
    open_chat,
    session_id,
    stored_user_texts,
    type_message,
)
from tests.redis_servers import FailingRedis, start_servers_with_redis
from tests.servers import Servers, sqlite_url

RESEND = "Opnieuw versturen"


@pytest.fixture(scope="module")
def with_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servers, FailingRedis]]:
    directory = tmp_path_factory.mktemp("widget-resend")
    with start_servers_with_redis(directory, sqlite_url(directory)) as running:
        yield running


def test_a_message_redis_failed_under_is_offered_again(
    page: Page, with_redis: tuple[Servers, FailingRedis]
) -> None:
    servers, redis_server = with_redis
    open_chat(page, servers)
    expect(bot_says(page, GREETING)).to_have_count(1)
    delivered = page.locator(".wc-from-user:not(.wc-sending):not(.wc-failed)")
    failed = page.locator(".wc-from-user.wc-failed")

    type_message(page, "help")
    expect(delivered.filter(has_text="help")).to_have_count(1)
    expect(page.locator(".wc-failed")).to_have_count(0)

    redis_server.fail()
    try:
        type_message(page, "hallo")
        expect(bot_says(page, reply_text("utter_request_failed"))).to_be_visible()
        expect(failed.filter(has_text="hallo")).to_contain_text("Niet bezorgd")
        expect(failed.get_by_role("button", name=RESEND)).to_have_count(1)
        screenshot(page, "widget-not-delivered")
        # The state is kept: after a reload the message still waits to be sent again.
        page.reload()
        expect(failed.filter(has_text="hallo").get_by_role("button", name=RESEND)).to_be_visible()
    finally:
        redis_server.recover()

    failed.get_by_role("button", name=RESEND).click()
    expect(page.locator(".wc-failed")).to_have_count(0)
    expect(delivered.filter(has_text="hallo")).to_have_count(1)
    expect(bot_says(page, GREETING)).to_have_count(2)  # "hallo" answered, after the first greeting
    # Moved to the end, as a new message would be: after the failure reply.
    expect(page.locator(".wc-message").last.locator(".wc-bubble")).to_contain_text(GREETING)
    expect(page.locator(".wc-from-user").last).to_contain_text("hallo")
    stored = stored_user_texts(servers, session_id(page))
    assert stored.count("hallo") == 1 and stored.count("help") == 1, stored
