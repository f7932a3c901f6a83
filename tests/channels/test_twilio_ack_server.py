"""The Twilio webhook served off Rasa's event loop (credential `ack_port`, channels/ack_server.py).

Rasa's loop is the test's loop (the stub agent runs on it); the webhook is served by a thread of its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from rasa.core.channels.channel import UserMessage

from channels.twilio import EMPTY_TWIML, TwilioInput
from stack.services import free_port
from tests.channels.conftest import WEBHOOK_PATH, ApiServer, Sms, StubAgent, make_channel, running
from tests.factories import phone_number


class BlockingAgent(StubAgent):
    """Holds Rasa's loop (synchronously, as a turn's graph does) for its first message until released."""

    def __init__(self) -> None:
        super().__init__()
        self.blocking = threading.Event()
        self.release = threading.Event()

    async def handle_message(self, message: UserMessage) -> None:
        if not self.messages:
            self.blocking.set()
            self.release.wait(30)
            self.blocking.clear()
        self.messages.append(message)


async def off_loop(api: ApiServer, agent: StubAgent) -> AsyncIterator[Sms]:
    """The channel mounted on a Sanic server as Rasa mounts it, its webhook on its own thread and port."""
    channel = make_channel(api, ack_port=free_port(), ack_host="127.0.0.1")

    async def handler(message: UserMessage) -> None:  # as Rasa's: the agent looked up at each message
        await agent.handle_message(message)

    async with running(channel, agent) as rasa_url:
        channel.start_ack_server(asyncio.get_running_loop(), handler)
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                harness = Sms(f"http://127.0.0.1:{channel.config.ack_port}", http, channel, agent, api)
                harness.rasa_url = rasa_url  # type: ignore[attr-defined]
                yield harness
        finally:
            channel.stop_ack_server()
            await channel.drain()
            await channel.api.aclose()


@pytest.fixture
async def sms(api_server: ApiServer) -> AsyncIterator[Sms]:
    async for harness in off_loop(api_server, StubAgent()):
        yield harness


def test_the_ack_port_comes_from_the_credentials() -> None:
    credentials = {
        "account_sid": "AC123",
        "auth_token": "token",
        "public_base_url": "https://sms.example.org",
        "api_url": "http://127.0.0.1:8000",
        "api_token": "api-token",
    }

    assert TwilioInput.from_credentials(credentials).config.ack_port is None
    channel = TwilioInput.from_credentials({**credentials, "ack_port": "5006", "ack_host": "127.0.0.1"})
    assert (channel.config.ack_port, channel.config.ack_host) == (5006, "127.0.0.1")


async def test_a_signed_message_is_acknowledged_and_handed_to_rasa(sms: Sms) -> None:
    response = await sms.text(phone_number(), "hello")

    assert response.status_code == 200 and response.text == EMPTY_TWIML
    assert [m.text for m in sms.agent.messages] == ["hello"]


async def test_the_turn_runs_on_rasas_loop_not_the_webhooks(sms: Sms) -> None:
    loops: list[asyncio.AbstractEventLoop] = []
    handle = sms.agent.handle_message

    async def recording(message: UserMessage) -> None:
        loops.append(asyncio.get_running_loop())
        await handle(message)

    sms.agent.handle_message = recording  # type: ignore[method-assign]
    await sms.text(phone_number(), "hello")

    assert sms.channel.ack_server is not None
    assert loops == [asyncio.get_running_loop()] != [sms.channel.ack_server.loop]


async def test_a_bad_signature_is_refused_and_nothing_runs(sms: Sms) -> None:
    response = await sms.post(sms.params(phone_number()), signature="bad")
    await sms.channel.drain()

    assert response.status_code == 403
    assert sms.agent.messages == []


async def test_a_repeated_message_sid_is_acknowledged_and_processed_once(sms: Sms) -> None:
    params = sms.params(phone_number(), "hello")
    first, again = await sms.post(params), await sms.post(params)
    await sms.channel.drain()

    assert first.status_code == again.status_code == 200
    assert len(sms.agent.messages) == 1


async def test_one_debtors_messages_reach_rasa_in_the_order_they_arrived(sms: Sms) -> None:
    phone = phone_number()
    for n in range(5):
        await sms.post(sms.params(phone, f"message {n}"))
    await sms.channel.drain()

    assert [m.text for m in sms.agent.messages] == [f"message {n}" for n in range(5)]


async def test_rasas_port_no_longer_takes_the_webhook(sms: Sms) -> None:
    rasa_url = sms.rasa_url  # type: ignore[attr-defined]
    health = await sms.http.get(f"{rasa_url}/webhooks/twilio/")
    posted = await sms.http.post(f"{rasa_url}{WEBHOOK_PATH}", content=b"x")

    assert health.status_code == 200
    assert posted.status_code in (404, 405)


def post_while_blocked(sms: Sms, agent: BlockingAgent, params: dict[str, str]) -> tuple[int, bool]:
    """(From another thread) once the agent holds Rasa's loop, post `params`; the status and whether the
    loop was still held when the answer came, then let the agent go."""
    agent.blocking.wait(30)
    with httpx.Client(timeout=10) as client:
        headers = {"X-Twilio-Signature": sms.sign(params)}
        response = client.post(f"{sms.url}{WEBHOOK_PATH}", data=params, headers=headers)
    answered = (response.status_code, agent.blocking.is_set())
    agent.release.set()
    return answered


async def test_the_ack_does_not_wait_for_a_turn_holding_rasas_loop(api_server: ApiServer) -> None:
    agent = BlockingAgent()
    async for sms in off_loop(api_server, agent):
        phone = phone_number()
        first, second = sms.params(phone, "first"), sms.params(phone, "second")
        # The poster's thread starts now, before the first turn blocks this one.
        poster = asyncio.get_running_loop().run_in_executor(None, post_while_blocked, sms, agent, second)
        await sms.post(first)
        answered = await poster
        await sms.channel.drain()

        assert answered == (200, True)  # acknowledged while the first turn still held Rasa's loop
        assert [m.text for m in agent.messages] == ["first", "second"]
