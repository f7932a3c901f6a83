"""channels.endpoints: Rasa's endpoints (the action server) on one kept-alive session each (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from channels import endpoints


@pytest.fixture
def keeping() -> Iterator[None]:
    endpoints.install()
    yield
    EndpointConfig.session = endpoints.STOCK_SESSION


async def serve(peers: list[object]) -> web.AppRunner:
    """An action-server stand-in on a free port, noting the client's socket of every request."""

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        return web.json_response(
            {"events": [], "responses": [], "auth": request.headers.get("Authorization")}
        )

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def port_of(runner: web.AppRunner) -> int:
    return int(runner.addresses[0][1])


@pytest.mark.usefixtures("keeping")
async def test_consecutive_calls_reuse_one_session_and_connection() -> None:
    peers: list[object] = []
    runner = await serve(peers)
    try:
        endpoint = EndpointConfig(
            f"http://127.0.0.1:{port_of(runner)}/webhook", headers={"Authorization": "x"}
        )
        answers = [await endpoint.request(json={"next_action": "a"}, method="post") for _ in range(3)]
        assert [answer["auth"] for answer in answers] == ["x", "x", "x"]
        assert len(set(peers)) == 1  # one kept-alive connection
        assert not endpoint._kept_session.session.closed
    finally:
        await endpoint._kept_session.session.close()
        await runner.cleanup()


@pytest.mark.usefixtures("keeping")
async def test_a_closed_session_is_replaced() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook", basic_auth={"username": "u", "password": "p"})
    async with endpoint.session() as first:
        assert first.auth is not None and first.auth.login == "u"
    await first.close()
    async with endpoint.session() as second:
        assert second is not first and not second.closed
    await second.close()


def test_install_switches_rasas_endpoints_to_the_kept_session() -> None:
    endpoints.install()
    try:
        assert endpoints.installed()
    finally:
        EndpointConfig.session = endpoints.STOCK_SESSION
    assert not endpoints.installed()
