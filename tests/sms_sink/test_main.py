"""`python -m sms_sink`: serves only when the worker is pointed at it, idles otherwise, stops cleanly.

Run as the process manager runs it: the API environment's python, settings in the environment only.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from stack.services import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "api" / "bin" / "python"
CREDENTIALS = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "local-token"}


def start(port: int, **env: str) -> subprocess.Popen[bytes]:
    """`python -m sms_sink --port PORT` with only `env` (and PATH/PYTHONPATH) set; output merged."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [str(PYTHON), "-m", "sms_sink", "--port", str(port)],
        cwd=ROOT,
        env={**base, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def read_until(process: subprocess.Popen[bytes], text: str, timeout: float = 30.0) -> str:
    """The process's output until it contains `text` (fails at the deadline or when the output ends)."""
    assert process.stdout is not None
    output = ""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while text not in output and (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(remaining):
                break
            chunk = os.read(process.stdout.fileno(), 65536)  # unbuffered: select sees every byte
            if not chunk:
                break
            output += chunk.decode(errors="replace")
    if text not in output:
        pytest.fail(f"no {text!r} in the output:\n{output}")
    return output


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=15)


@pytest.fixture
def port() -> Iterator[int]:
    if not PYTHON.exists():
        pytest.skip("the API environment (.venv/api) is not installed")
    yield free_port()


def test_pointed_at_it_the_sink_serves_until_terminated(port: int) -> None:
    process = start(port, TWILIO_API_BASE_URL=f"http://localhost:{port}", **CREDENTIALS)
    try:
        read_until(process, f"text the bot at http://localhost:{port}/")
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
    finally:
        code = stop(process)

    assert health.json() == {"status": "ok"}
    assert code == 0


@pytest.mark.parametrize("api_base_url", ["", "https://api.twilio.com"])
def test_with_a_real_twilio_account_the_sink_idles_without_listening(port: int, api_base_url: str) -> None:
    process = start(port, TWILIO_API_BASE_URL=api_base_url, **CREDENTIALS)
    try:
        read_until(process, "the sink stays idle")
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        assert process.poll() is None  # still running: honcho would stop everything if it exited
    finally:
        code = stop(process)

    assert code == 0


def test_pointed_at_it_without_credentials_it_stops_naming_them(port: int) -> None:
    process = start(port, TWILIO_API_BASE_URL=f"http://127.0.0.1:{port}")

    output = read_until(process, "missing")

    assert "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN" in output
    assert process.wait(timeout=15) == 2
