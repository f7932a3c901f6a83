"""`python -m channels.serve` runs Rasa with the HTTP API's token from the environment, never on its
command line: /proc/PID/cmdline (what `ps` shows) does not hold it, and Rasa still requires it."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from channels.serve import LaunchError, rasa_argv
from stack.services import ROOT

READY = "Rasa server is up and running."
STARTUP_LIMIT_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_ready(process: subprocess.Popen[str]) -> None:
    """Read Rasa's output up to its ready line, then keep draining it so the pipe never fills."""
    assert process.stdout is not None
    if not any(READY in line for line in iter(process.stdout.readline, "")):
        pytest.fail("Rasa exited (or hung) before it was up")
    threading.Thread(target=process.stdout.read, daemon=True).start()


@pytest.fixture
def token() -> str:
    return f"tok-{secrets.token_hex(16)}"


@pytest.fixture
def rasa(tmp_path: Path, token: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The launcher serving Rasa's HTTP API (no model: nothing to load) on a free port, once it is up."""
    (tmp_path / "credentials.yml").write_text("rest:\n")
    (tmp_path / "endpoints.yml").write_text("# in-memory stores\n")
    (tmp_path / "models").mkdir()
    port = _free_port()
    args = ["--enable-api", "-i", "127.0.0.1", "--port", str(port), "--model", str(tmp_path / "models")]
    args += ["--credentials", str(tmp_path / "credentials.yml")]
    args += ["--endpoints", str(tmp_path / "endpoints.yml")]
    env = {**os.environ, "RASA_TOKEN": token, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "channels.serve", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(STARTUP_LIMIT_SECONDS, process.kill)  # a hung start ends the read below
    watchdog.start()
    try:
        _wait_for_ready(process)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


def test_the_token_is_not_on_the_command_line_yet_rasa_requires_it(
    rasa: tuple[subprocess.Popen[str], str], token: str
) -> None:
    process, url = rasa
    cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()

    assert b"channels.serve" in cmdline
    assert token.encode() not in cmdline
    assert httpx.get(f"{url}/status").status_code == 401
    assert httpx.get(f"{url}/status", params={"token": "wrong"}).status_code == 401
    assert httpx.get(f"{url}/status", params={"token": token}).status_code == 409  # authorised; no model


def test_the_token_from_the_environment_reaches_rasas_parser_last() -> None:
    argv = rasa_argv(["--enable-api", "--port", "5005"], {"RASA_TOKEN": "abc"})

    assert argv == ["rasa", "run", "--enable-api", "--port", "5005", "--auth-token=abc"]


def test_a_token_that_starts_with_a_dash_is_still_the_tokens_value() -> None:
    argv = rasa_argv(["--enable-api"], {"RASA_TOKEN": "-starts-with-a-dash"})

    assert argv[-1] == "--auth-token=-starts-with-a-dash"


@pytest.mark.parametrize("option", ["--auth-token", "--auth-token=abc", "--auth", "-t", "-tabc"])
def test_a_token_on_the_command_line_is_refused(option: str) -> None:
    with pytest.raises(LaunchError, match="never on the command line"):
        rasa_argv(["--enable-api", option, "abc"], {"RASA_TOKEN": "abc"})


@pytest.mark.parametrize("env", [{}, {"RASA_TOKEN": ""}, {"RASA_TOKEN": "  "}])
def test_without_a_token_rasa_does_not_start(env: dict[str, str]) -> None:
    with pytest.raises(LaunchError, match="RASA_TOKEN is not set"):
        rasa_argv(["--enable-api"], env)
