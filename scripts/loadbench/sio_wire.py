"""A minimal socket.io client (protocol 5 over an engine.io 4 websocket), for the webchat load.

python-engineio's asyncio client needs aiohttp >= 3.10 for its websocket transport and the bot
environment has Rasa's aiohttp 3.9.5; its polling transport works but is not what the widget holds once
it has upgraded. This speaks the websocket transport directly through `websockets` (Rasa's own pin): the
open packet, CONNECT with the session token as auth, events, and pings answered with pongs. One
namespace ("/"), text frames only (the webchat sends no binary).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from websockets.exceptions import ConnectionClosed
from websockets.legacy.client import WebSocketClientProtocol, connect

OPEN, CLOSE, PING, PONG, MESSAGE = "0", "1", "2", "3", "4"
"""engine.io packet types."""
CONNECT, DISCONNECT, EVENT, CONNECT_ERROR = "0", "1", "2", "4"
"""socket.io packet types (inside an engine.io MESSAGE)."""

Handler = Callable[[Any], Awaitable[None]]


class SocketIOError(RuntimeError):
    """The server refused the connection or closed the socket."""


@dataclass(frozen=True)
class Packet:
    """One decoded frame: the engine.io type, and for a socket.io packet its type, event and data."""

    engine: str
    kind: str = ""
    event: str = ""
    data: Any = None


def websocket_url(http_url: str, path: str = "/socket.io") -> str:
    """ws(s)://host/socket.io/?EIO=4&transport=websocket for a server's http(s) URL."""
    parts = urlsplit(http_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, f"{path.rstrip('/')}/", "EIO=4&transport=websocket", ""))


def connect_frame(auth: dict[str, str]) -> str:
    """socket.io CONNECT to the default namespace with an auth payload."""
    return MESSAGE + CONNECT + json.dumps(auth)


def event_frame(event: str, data: Any) -> str:
    """socket.io EVENT: `42["name", data]`."""
    return MESSAGE + EVENT + json.dumps([event, data])


def decode(frame: str) -> Packet:
    """One text frame; a socket.io EVENT's payload is split into its name and first argument."""
    engine, rest = frame[:1], frame[1:]
    if engine != MESSAGE or not rest:
        return Packet(engine, data=rest)
    kind, body = rest[:1], rest[1:]
    payload = json.loads(body) if body else None
    if kind == EVENT and isinstance(payload, list) and payload:
        return Packet(engine, kind, str(payload[0]), payload[1] if len(payload) > 1 else None)
    return Packet(engine, kind, data=payload)


@dataclass
class SocketIOClient:
    """Connect, emit, receive events by name; the reader task answers pings until closed."""

    handlers: dict[str, Handler] = field(default_factory=dict)
    connection: WebSocketClientProtocol | None = None
    reader: asyncio.Task[None] | None = None
    connected: asyncio.Future[None] | None = None

    def on(self, event: str, handler: Handler) -> None:
        """Call `handler(data)` for each `event` the server emits."""
        self.handlers[event] = handler

    async def connect(self, http_url: str, auth: dict[str, str]) -> None:
        """Open the websocket, send CONNECT with `auth`; SocketIOError if the server refuses it."""
        self.connection = await connect(websocket_url(http_url), ping_interval=None)
        self.connected = asyncio.get_running_loop().create_future()
        self.reader = asyncio.create_task(self._read())
        await self.connection.send(connect_frame(auth))
        await self.connected

    def socket(self) -> WebSocketClientProtocol:
        """The open websocket; SocketIOError before connect."""
        if self.connection is None:
            raise SocketIOError("not connected")
        return self.connection

    async def emit(self, event: str, data: Any) -> None:
        """Send one event."""
        await self.socket().send(event_frame(event, data))

    async def close(self) -> None:
        """socket.io DISCONNECT, then close the websocket and stop reading."""
        if self.connection is not None:
            try:
                await self.connection.send(MESSAGE + DISCONNECT)
            finally:
                await self.connection.close()
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        try:
            async for frame in self.socket():
                await self._handle(decode(str(frame)))
        except ConnectionClosed:
            pass
        self._settle(SocketIOError("the server closed the socket"))

    async def _handle(self, packet: Packet) -> None:
        if packet.engine == PING:
            await self.socket().send(PONG)
        elif packet.kind == CONNECT:
            self._settle(None)
        elif packet.kind == CONNECT_ERROR:
            self._settle(SocketIOError(f"connection refused: {packet.data}"))
        elif packet.kind == EVENT and packet.event in self.handlers:
            await self.handlers[packet.event](packet.data)

    def _settle(self, error: SocketIOError | None) -> None:
        """Resolve the pending connect (once): connected, or refused / closed."""
        if self.connected is None or self.connected.done():
            return
        if error is None:
            self.connected.set_result(None)
        else:
            self.connected.set_exception(error)
