"""actions.serve: the action server runs rasa_sdk's own entry point with our arguments, after the
whole-request deadline is installed; a client trickling its body is answered 408 (not rasa_sdk's 500)
while /health answers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rasa_sdk import endpoint
from sanic import Sanic
from sanic.exceptions import RequestTimeout
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sanic.server.protocols.http_protocol import HttpProtocol

from actions import serve
from channels import slow_clients
from stack.services import free_port
from tests.slow_client import trickle

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 1
"""SANIC_REQUEST_TIMEOUT in the server test: a request must arrive whole within a second."""


@pytest.fixture
def restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """What install() patches, put back after the test."""
    monkeypatch.setattr(HttpProtocol, "data_received", HttpProtocol.data_received)
    monkeypatch.setattr(endpoint, "create_app", endpoint.create_app)


@pytest.mark.usefixtures("restored")
def test_install_puts_the_deadline_on_sanic_and_a_tracker_sized_cap() -> None:
    env: dict[str, str] = {}
    serve.install(env)
    assert slow_clients.installed()
    assert endpoint.create_app is serve.create_app
    assert env["SANIC_REQUEST_TIMEOUT"] == "10"
    assert env["SANIC_REQUEST_MAX_SIZE"] == serve.MAX_REQUEST_BYTES


@pytest.mark.usefixtures("restored")
def test_an_operators_limits_win() -> None:
    env = {"SANIC_REQUEST_MAX_SIZE": "1000", "SANIC_REQUEST_TIMEOUT": "3"}
    serve.install(env)
    assert env["SANIC_REQUEST_MAX_SIZE"] == "1000"
    assert env["SANIC_REQUEST_TIMEOUT"] == "3"


@pytest.mark.usefixtures("restored")
def test_main_installs_first_then_hands_the_arguments_to_rasa_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(sys, "argv", ["serve.py"])
    monkeypatch.setattr(serve, "sdk_main", lambda: seen.append((list(sys.argv), slow_clients.installed())))

    assert serve.main(["--port", "5999", "--actions", "actions"], env={}) == 0
    assert seen == [(["rasa_sdk", "--port", "5999", "--actions", "actions"], True)]


async def fails(request: Request) -> HTTPResponse:
    raise RequestTimeout("Request Timeout")


def test_a_limit_is_answered_with_its_status_despite_a_catch_all_handler() -> None:
    """The handler for the exact class wins over rasa_sdk's for any Exception. Looked up, not served: a
    Sanic server started in this process rewrites Sanic's HTTP classes for every later test (TouchUp); the
    launcher's 408 over a real socket is `test_a_trickling_client_gets_408_in_time_while_health_answers`."""
    app = Sanic(f"sdk-like-{uuid.uuid4().hex[:8]}")
    app.error_handler.add(Exception, lambda request, error: json({"error": str(error)}, status=500))
    serve.answers_limits(app)

    assert app.error_handler.lookup(RequestTimeout("Request Timeout"), None) == app.error_handler.default


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`python -m actions.serve` as the Procfile starts it, on a free port, a 1 s deadline; its port."""
    port, log = free_port(), tmp_path_factory.mktemp("actions") / "actions.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SANIC_REQUEST_TIMEOUT": str(DEADLINE)}
    command = [sys.executable, "-m", "actions.serve", "--port", str(port), "--actions", "actions"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(port, process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the action server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the action server did not become healthy:\n{log.read_text()[-3000:]}")


async def test_a_trickling_client_gets_408_in_time_while_health_answers(
    action_server: int,
) -> None:
    slow = asyncio.create_task(trickle(action_server, "/webhook", length=200, every=0.2))
    async with httpx.AsyncClient() as http:
        await asyncio.sleep(0.5)  # the slow request is under way
        health = await http.get(f"http://127.0.0.1:{action_server}/health")
        assert not slow.done()
    trickled = await slow
    assert health.json() == {"status": "ok"}
    assert trickled.status == 408
    assert trickled.sent < 200
    assert trickled.seconds < DEADLINE + 2
