"""channels.slow_clients: a client trickling its request a byte at a time is cut off (408) while another
client is answered meanwhile; a request that arrives whole is untouched; our limits are defaults only."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sanic.server.protocols.http_protocol import HttpProtocol

from channels import slow_clients
from channels.sanic_server import running

BODY_BYTES = 200
TRICKLE_SECONDS = 0.2
"""A byte every TRICKLE_SECONDS: the whole body would take 40 s, the deadline below is 1 s."""


async def echo(request: Request) -> HTTPResponse:
    return json({"received": len(request.body)})


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[int]:
    """A Sanic server with the deadline installed and a 1 s request timeout; its port."""
    monkeypatch.setattr(HttpProtocol, "data_received", HttpProtocol.data_received)  # restored after
    monkeypatch.setattr(Sanic, "test_mode", True)  # Sanic's method touch-ups, repeatable per test
    slow_clients.install({})
    app = Sanic(f"slow-{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_TIMEOUT = 1
    app.add_route(echo, "/echo", methods=["POST"])
    async with running(app) as port:
        yield port


async def _answer_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What the server has sent within `seconds` (b"" if nothing yet); EOF reads as an answer too."""
    try:
        return await asyncio.wait_for(reader.read(1000), seconds) or b"EOF"
    except asyncio.TimeoutError:
        return b""


async def trickle(port: int) -> tuple[int, bytes]:
    """Headers at once, then the body a byte at a time; (body bytes sent, what the server answered)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {BODY_BYTES}\r\n\r\n"
    writer.write(head.encode())
    sent, answer = 0, b""
    try:
        while sent < BODY_BYTES and not answer:
            writer.write(b"x")
            await writer.drain()
            sent += 1
            answer = await _answer_within(reader, TRICKLE_SECONDS)
    except ConnectionError:
        pass
    writer.close()
    return sent, answer


async def test_a_byte_trickling_client_is_cut_off_while_another_is_answered(server: int) -> None:
    slow = asyncio.create_task(trickle(server))
    async with httpx.AsyncClient() as http:
        await asyncio.sleep(3 * TRICKLE_SECONDS)  # the slow request is under way
        reply = await http.post(f"http://127.0.0.1:{server}/echo", content=b"hello")
        assert not slow.done()
    sent, answer = await slow
    assert reply.json() == {"received": 5}
    assert sent < BODY_BYTES
    assert answer.startswith(b"HTTP/1.1 408")


async def test_a_whole_request_on_a_kept_alive_connection_is_answered(server: int) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(3):
            reply = await http.post(f"http://127.0.0.1:{server}/echo", content=b"x" * BODY_BYTES)
            assert reply.json() == {"received": BODY_BYTES}


def test_our_limits_are_defaults_an_operator_overrides() -> None:
    env = {"SANIC_REQUEST_TIMEOUT": "30"}
    slow_clients.set_defaults(env)
    assert env["SANIC_REQUEST_TIMEOUT"] == "30"
    assert env["SANIC_REQUEST_MAX_SIZE"] == str(1024 * 1024)
    assert env["SANIC_RESPONSE_TIMEOUT"] == "60"
