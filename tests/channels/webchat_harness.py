"""The webchat channel served by Sanic on a free port, with a stub Rasa that answers every message,
plus the two clients the tests drive it with: python-socketio's AsyncClient and a socket.io-client 3
node probe (the client library inside the rasa-webchat widget), and stand-in compliance gates.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
import socketio
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Sanic

from channels.gate import Line
from stack.services import free_port
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("socketio_probe.js")
WIDGET = ROOT / "webchat" / "node_modules" / "rasa-webchat"
SECRET = "test-webchat-secret-0123456789abcdef"
SOCKET_PATH = "/socket.io"
DONE = "stub_done"


def token(session_id: str, *, secret: str = SECRET, ttl: int = 900, **claims: Any) -> str:
    """A session token like the accounts API issues (HS256, sub, exp)."""
    payload = {"sub": session_id, "exp": int(time.time()) + ttl, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


@dataclass
class Served:
    """A running channel: its URL and every message the stub Rasa received."""

    url: str
    channel: SocketIOInput
    received: list[UserMessage] = field(default_factory=list)


Replies = Callable[[UserMessage], list[dict[str, Any]]]
"""What the stub Rasa answers a message with: bot messages as Rasa hands them to `send_response`."""


def echo(message: UserMessage) -> list[dict[str, Any]]:
    """The stub's default answer: "echo: <text>"."""
    return [{"text": f"echo: {message.text}"}]


@dataclass
class FakeGate:
    """A compliance gate that remembers every line it was asked about and answers `allow`."""

    allow: bool = True
    lines: list[Line] = field(default_factory=list)

    async def allows(self, line: Line) -> bool:
        self.lines.append(line)
        return self.allow


@asynccontextmanager
async def serve(channel: SocketIOInput, replies: Replies = echo) -> AsyncIterator[Served]:
    """Serve `channel` like `rasa run` does; the stub answers with `replies` (through `send_response`, as
    Rasa does) to the sender's room, then broadcasts DONE so clients know every reply was sent (no sleeps)."""
    port = free_port()
    served = Served(f"http://127.0.0.1:{port}", channel)

    async def on_new_message(message: UserMessage) -> None:
        served.received.append(message)
        for reply in replies(message):
            await message.output_channel.send_response(message.sender_id, dict(reply))
        await channel.sio.emit(DONE, {})

    Sanic.test_mode = True  # keeps Sanic's method touch-ups repeatable for one app per test
    app = Sanic(f"webchat_test_{uuid.uuid4().hex}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.start_serving()
    try:
        yield served
    finally:
        server.close()
        await server.wait_closed()


class Client:
    """python-socketio's AsyncClient, recording events in order (polling transport: engine.io's
    websocket client needs a newer aiohttp than Rasa 3.6 allows)."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        for name in ("session_confirm", "bot_uttered", DONE, "disconnect"):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        async def record(data: Any = None) -> None:
            await self.events.put((name, data))

        return record

    async def connect(self, url: str, auth: dict[str, str] | None = None, **kwargs: Any) -> None:
        await self.sio.connect(url, auth=auth, socketio_path=SOCKET_PATH, transports=["polling"], **kwargs)

    async def until(self, name: str, timeout: float = 10) -> list[tuple[str, Any]]:
        """Every event up to and including the first `name`."""
        seen: list[tuple[str, Any]] = []
        while not seen or seen[-1][0] != name:
            seen.append(await asyncio.wait_for(self.events.get(), timeout))
        return seen

    async def close(self) -> None:
        await self.sio.disconnect()


def require_node_probe() -> str:
    """The node binary, once the widget's npm packages are installed; skip (fail under CI) otherwise."""
    node = shutil.which("node")
    reason = None
    if node is None:
        reason = "node is not installed"
    elif not WIDGET.is_dir():
        reason = "webchat/node_modules is missing: run `npm ci` in webchat/"
    if reason is None:
        return str(node)
    if IN_CI:
        pytest.fail(f"{reason}, and CI requires it")
    pytest.skip(reason)


async def probe(**config: Any) -> list[tuple[str, Any]]:
    """Run the socket.io-client 3 probe; its events in order."""
    node = require_node_probe()
    process = await asyncio.create_subprocess_exec(
        node, str(PROBE), json.dumps({"path": SOCKET_PATH, **config}), stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), 30)
    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]
    return [(line["event"], line["data"]) for line in lines]
