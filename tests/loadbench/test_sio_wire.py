"""The bench's socket.io client: its frames, and a whole exchange with our real webchat channel (Sanic,
python-socketio server) over the websocket transport, in the bot environment's aiohttp 3.9.5."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from channels.webchat import WebchatInput
from scripts.loadbench.sio_wire import (
    SocketIOClient,
    SocketIOError,
    connect_frame,
    decode,
    event_frame,
    websocket_url,
)
from tests.channels.webchat_harness import DONE, SECRET, FakeGate, serve, token


def test_the_url_is_the_engine_io_websocket_endpoint() -> None:
    assert (
        websocket_url("http://127.0.0.1:5005") == "ws://127.0.0.1:5005/socket.io/?EIO=4&transport=websocket"
    )
    assert (
        websocket_url("https://chat.example/", "/ws/") == "wss://chat.example/ws/?EIO=4&transport=websocket"
    )


def test_frames_are_socket_io_protocol_5() -> None:
    assert connect_frame({"token": "t"}) == '40{"token": "t"}'
    assert event_frame("user_uttered", {"message": "hi"}) == '42["user_uttered", {"message": "hi"}]'
    assert decode('42["bot_uttered",{"text":"hello"}]').data == {"text": "hello"}
    assert decode('42["session_confirm","abc"]').event == "session_confirm"
    assert decode('40{"sid":"x"}').kind == "0"
    assert decode('44{"message":"no"}').data == {"message": "no"}
    assert decode("2").engine == "2"
    assert decode('0{"sid":"e","pingInterval":25000}').engine == "0"


@pytest.fixture
def channel() -> WebchatInput:
    return WebchatInput(gate=FakeGate(), jwt_key=SECRET)


class Recorder:
    """Events by name, in arrival order."""

    def __init__(self, client: SocketIOClient, *names: str) -> None:
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        for name in names:
            client.on(name, self._record(name))

    def _record(self, name: str) -> Any:
        async def record(data: Any) -> None:
            await self.events.put((name, data))

        return record

    async def until(self, name: str) -> list[tuple[str, Any]]:
        seen: list[tuple[str, Any]] = []
        while not seen or seen[-1][0] != name:
            seen.append(await asyncio.wait_for(self.events.get(), 30))
        return seen


async def test_a_session_gets_its_replies_over_the_websocket(channel: WebchatInput) -> None:
    client = SocketIOClient()
    recorder = Recorder(client, "session_confirm", "bot_uttered", DONE)
    async with serve(channel) as served:
        try:
            await client.connect(served.url, {"token": token("A")})
            await client.emit("session_request", {"session_id": "A"})
            assert (await recorder.until("session_confirm"))[-1] == ("session_confirm", "A")
            await client.emit("user_uttered", {"session_id": "A", "message": "hi"})
            events = await recorder.until(DONE)
        finally:
            await client.close()
    assert ("bot_uttered", {"text": "echo: hi"}) in events
    assert [message.sender_id for message in served.received] == ["A"]


async def test_a_connection_without_a_valid_token_is_refused(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        client = SocketIOClient()
        with pytest.raises(SocketIOError, match="refused"):
            await client.connect(served.url, {"token": token("A", ttl=-1)})
        await client.close()
