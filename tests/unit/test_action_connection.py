"""rasa_addons.action_connection: the action endpoint's calls reuse one connection; others do not."""

from __future__ import annotations

import asyncio

from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import rasa_addons.action_connection  # noqa: F401  (the patch)


async def _client_ports(endpoint: EndpointConfig, calls: int) -> list[int]:
    ports: list[int] = []

    async def handle(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    runner = web.AppRunner(web.Application())
    runner.app.router.add_post("/webhook", handle)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    endpoint.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"
    try:
        for _ in range(calls):
            await endpoint.request(json={"next_action": "action_x"}, method="post")
    finally:
        await runner.cleanup()
    return ports


def test_the_action_endpoint_keeps_its_connection():
    endpoint = EndpointConfig("http://unused")
    RemoteAction("action_summarize", endpoint)  # Rasa creates one per custom action it runs
    ports = asyncio.run(_client_ports(endpoint, 3))
    assert len(ports) == 3 and len(set(ports)) == 1


def test_other_endpoints_open_a_connection_per_call():
    ports = asyncio.run(_client_ports(EndpointConfig("http://unused"), 2))
    assert len(set(ports)) == 2
