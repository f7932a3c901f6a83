"""api.core.body_limits: a body trickled past its deadline is answered 408 and the app never sees part of it;
a body over the cap 413; a body in time reaches the app as it came; websockets and lifespan pass untouched.
The last test runs the real API under uvicorn and trickles a body over a raw socket."""

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from api.core.body_limits import BodyDeadline, BodyLimits
from stack.services import free_port
from tests.api.settings_helpers import api_settings
from tests.slow_client import trickle

ROOT = Path(__file__).resolve().parents[3]
LIMITS = BodyLimits(seconds=0.2, max_bytes=100)


class RecordingApp:
    """An ASGI app that reads its whole request and records every message it received."""

    def __init__(self) -> None:
        self.calls: list[tuple[Scope, list[Message]]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        messages = [await receive()]
        while messages[-1].get("more_body", False):
            messages.append(await receive())
        self.calls.append((scope, messages))
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})


def http_scope(length: int | None = None) -> Scope:
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    return {"type": "http", "method": "POST", "path": "/x", "headers": headers}


def body_parts(*parts: bytes, then_wait: bool = False) -> Receive:
    """A server's `receive`: the parts as http.request messages; with `then_wait`, nothing more ever."""
    queue = [{"type": "http.request", "body": p, "more_body": True} for p in parts]
    if not then_wait:
        queue[-1]["more_body"] = False

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        await asyncio.Event().wait()  # the client sends nothing more
        raise AssertionError("unreachable")

    return receive


async def drive(scope: Scope, receive: Receive) -> tuple[RecordingApp, list[Message]]:
    """The middleware over a RecordingApp, called once; the app and what was sent to the client."""
    app, sent = RecordingApp(), []

    async def send(message: Message) -> None:
        sent.append(message)

    await BodyDeadline(app, lambda: LIMITS)(scope, receive, send)
    return app, sent


async def test_a_body_not_all_there_by_the_deadline_is_408_and_never_reaches_the_app() -> None:
    app, sent = await drive(http_scope(50), body_parts(b"x" * 10, then_wait=True))

    assert app.calls == []
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]


async def test_a_body_in_time_reaches_the_app_as_it_came() -> None:
    app, sent = await drive(http_scope(6), body_parts(b"abc", b"def"))

    [(_, messages)] = app.calls
    assert [m["body"] for m in messages] == [b"abc", b"def"]
    assert sent[0]["status"] == 200


async def test_a_declared_oversize_body_is_413_unread() -> None:
    async def never_read() -> Message:
        raise AssertionError("the body was read")

    app, sent = await drive(http_scope(LIMITS.max_bytes + 1), never_read)

    assert (app.calls, sent[0]["status"]) == ([], 413)


async def test_an_oversize_body_without_a_length_is_413_once_counted() -> None:
    app, sent = await drive(http_scope(), body_parts(b"x" * 60, b"x" * 60))

    assert (app.calls, sent[0]["status"]) == ([], 413)


@pytest.mark.parametrize("kind", ["websocket", "lifespan"])
async def test_websockets_and_lifespan_pass_untouched(kind: str) -> None:
    seen: list[Receive] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(receive)

    async def receive() -> Message:
        await asyncio.Event().wait()  # never answers: the middleware must not wait on it
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        raise AssertionError("the middleware answered")

    await BodyDeadline(app, lambda: LIMITS)({"type": kind}, receive, send)
    assert seen == [receive]


def test_the_limits_come_from_the_settings() -> None:
    settings = api_settings(HTTP_BODY_TIMEOUT_SECONDS=2.5, HTTP_MAX_BODY_BYTES=2048)
    assert BodyLimits.from_settings(settings) == BodyLimits(2.5, 2048)
    assert BodyLimits.from_settings(api_settings()) == BodyLimits(10.0, 1024 * 1024)


DEADLINE = 1
"""HTTP_BODY_TIMEOUT_SECONDS for the served API."""


@pytest.fixture(scope="module")
def served_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The real API under uvicorn (as the Procfile starts it) on a free port, SQLite, a 1 s deadline."""
    tmp, port = tmp_path_factory.mktemp("body-limits"), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "API_TOKEN": secrets.token_urlsafe(24),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp}/accounts.db",
        "HTTP_BODY_TIMEOUT_SECONDS": str(DEADLINE),
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(port), "--no-access-log"]
    log = tmp / "api.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_healthy(port: int, process: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the API exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the API did not become healthy:\n{log.read_text()[-3000:]}")


async def test_a_trickling_client_gets_408_in_time_while_health_answers(served_api: int) -> None:
    slow = asyncio.create_task(trickle(served_api, "/webhooks/email/bounce", length=200, every=0.2))
    async with httpx.AsyncClient() as http:
        await asyncio.sleep(0.5)  # the slow request is under way
        health = await http.get(f"http://127.0.0.1:{served_api}/health")
        assert not slow.done()
    trickled = await slow
    assert health.json() == {"status": "ok", "database": "ok"}
    assert trickled.status == 408
    assert trickled.sent < 200
    assert trickled.seconds < DEADLINE + 2
