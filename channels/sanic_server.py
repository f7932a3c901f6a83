"""Channels on a real Sanic server on loopback, mounted as Rasa mounts them (route /webhooks/).

For what exercises a channel without a whole Rasa server: the channel tests and the webhook benchmark
(scripts/bench_twilio_ack.py). The agent is the caller's (a stub that records what the channel hands it).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.channels.channel import InputChannel, register  # type: ignore[import-untyped]
from sanic import Sanic

from stack.services import free_port


@asynccontextmanager
async def serving(channels: Sequence[InputChannel], agent: Any) -> AsyncIterator[str]:
    """The channels served on a free port with `agent` as Rasa's; the server's base URL until closed."""
    app = Sanic(f"channels-{uuid.uuid4().hex[:8]}")
    app.ctx.agent = agent
    register(list(channels), app, route="/webhooks/")
    async with running(app) as port:
        yield f"http://127.0.0.1:{port}"


@asynccontextmanager
async def running(app: Sanic) -> AsyncIterator[int]:
    """`app` served on a free loopback port (in this event loop); the port until closed."""
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()  # type: ignore[no-untyped-call]
    await server.start_serving()  # type: ignore[no-untyped-call]
    try:
        yield port
    finally:
        server.close()  # type: ignore[no-untyped-call]
        await server.wait_closed()  # type: ignore[no-untyped-call]
