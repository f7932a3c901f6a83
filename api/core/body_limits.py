"""A whole-body deadline and a size cap for every HTTP request, enforced before the app sees the request.

uvicorn has no deadline for a request body: its timeouts are for idle kept-alive connections, so a client
trickling a byte a second holds a connection, and the request's memory, for as long as it likes. This pure
ASGI middleware reads each HTTP request's body first, within HTTP_BODY_TIMEOUT_SECONDS of its first
`receive`: a body still incomplete then is answered 408 and the connection closed, one over
HTTP_MAX_BODY_BYTES (declared or counted) 413, and the app is never called with part of a body. A body that
arrives in time is handed on as it came. Websockets and lifespan pass untouched. nginx (deploy/) has its
own header and body timeouts in production; this guards the API wherever it is reached directly.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core.config import Settings


@dataclass(frozen=True)
class BodyLimits:
    """Seconds a request's whole body may take to arrive, and the bytes it may hold."""

    seconds: float
    max_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(settings.HTTP_BODY_TIMEOUT_SECONDS, settings.HTTP_MAX_BODY_BYTES)


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, if it declares a valid one."""
    for name, value in scope.get("headers", []):
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


async def read_body(receive: Receive, max_bytes: int) -> list[Message] | None:
    """Every message of the request up to its last body part (or a disconnect); None past `max_bytes`."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > max_bytes:
            return None
        if not message.get("more_body", False):
            return messages


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that gives the messages already read, then whatever the server sends next."""
    pending = deque(messages)

    async def replayed() -> Message:
        return pending.popleft() if pending else await receive()

    return replayed


async def refuse(send: Send, status: int, detail: str) -> None:
    """Answer `status` and close the connection: the rest of the body is never read."""
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyDeadline:
    """Read each HTTP request's body within its deadline and cap, then call the app with it."""

    def __init__(self, app: ASGIApp, limits: Callable[[], BodyLimits]) -> None:
        """`limits` is asked per request, so the settings a test injects into the app apply."""
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits()
        if (declared_length(scope) or 0) > limits.max_bytes:
            await refuse(send, 413, "request body too large")
            return
        try:
            messages = await asyncio.wait_for(read_body(receive, limits.max_bytes), limits.seconds)
        except TimeoutError:
            await refuse(send, 408, "request body not received in time")
            return
        if messages is None:
            await refuse(send, 413, "request body too large")
            return
        await self.app(scope, replay(messages, receive), send)
