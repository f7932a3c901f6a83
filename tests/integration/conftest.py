"""The running product for integration tests: accounts API, action server and Rasa server as real
processes on free ports, Rasa keeping conversations in the real Redis (the production stores).

Slow (Rasa loads its model), so one session-scoped stack serves every integration test.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
BOT_BIN = ROOT / ".venv" / "bot" / "bin"
API_BIN = ROOT / ".venv" / "api" / "bin"
REDIS_DB = 13
STARTUP_SECONDS = 420
MINI_MIRANDA = "This is a communication from a debt collector."
DEBT_WORDS = ("$", "Northwind", "principal", "Total due", "1,320.40")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    api_url: str
    rasa_url: str
    rasa_token: str
    processes: dict[str, subprocess.Popen[bytes]]
    env: dict[str, str]
    ports: dict[str, int]
    commands: dict[str, list[str]] = field(default_factory=dict)
    health: dict[str, str] = field(default_factory=dict)
    logs: Path | None = None

    def revive(self, name: str) -> None:
        """Restart a process an earlier test stopped (e.g. the API), so later tests find it running."""
        if self.processes[name].poll() is None or self.logs is None:
            return
        process = start(f"{name}.revived", self.commands[name], self.env, self.logs)
        self.processes[name] = process
        wait_healthy(self.health[name], process, self.logs / f"{name}.revived.log", time.monotonic() + 120)

    def say(self, sender: str, message: str) -> list[str]:
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        reply.raise_for_status()
        return [m.get("text", "") for m in reply.json()]


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"{url} not healthy in time:\n{log.read_text()[-4000:]}")


def start(name: str, args: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    log = (logs / f"{name}.log").open("wb")
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_service("Redis", "127.0.0.1", 6379)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    tmp = tmp_path_factory.mktemp("stack")
    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    ports = {name: free_port() for name in ("api", "actions", "rasa")}
    env = {
        **os.environ,
        "API_TOKEN": secrets.token_urlsafe(16),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "RASA_TOKEN": secrets.token_urlsafe(16),
        # The console releases handed-off conversations and delivers webchat replies through Rasa's API.
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "DATABASE_URL": f"sqlite:///{tmp}/accounts.db",
        "ACCOUNTS_API_URL": f"http://127.0.0.1:{ports['api']}",
        "ACCOUNTS_API_TIMEOUT_SECONDS": "3",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": "6379",
        "REDIS_TRACKER_DB": str(REDIS_DB),
        "REDIS_LOCK_DB": str(REDIS_DB),
        "PYTHONPATH": str(ROOT),
        # credentials.yml configures the Twilio channel from these (Rasa refuses to start without them).
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": secrets.token_urlsafe(16),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['rasa']}",
        # The webchat: the API signs session tokens that Rasa's webchat channel verifies, and the page
        # served by the API (its origin) opens a socket to Rasa.
        "WEBCHAT_JWT_SECRET": secrets.token_urlsafe(32),
        "WEBCHAT_SOCKET_URL": f"http://127.0.0.1:{ports['rasa']}",
        "WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{ports['api']},http://localhost:{ports['api']}",
    }
    subprocess.run([str(API_BIN / "alembic"), "upgrade", "head"], cwd=ROOT, env=env, check=True)
    subprocess.run([str(API_BIN / "python"), "-m", "api.seed"], cwd=ROOT, env=env, check=True)
    endpoints = tmp / "endpoints.yml"
    shutil.copy(ROOT / "deploy" / "endpoints.production.yml", endpoints)
    commands = {
        "api": [str(API_BIN / "uvicorn"), "api.main:app", "--port", str(ports["api"])],
        "actions": [
            str(BOT_BIN / "rasa"),
            "run",
            "actions",
            "--port",
            str(ports["actions"]),
            "--actions",
            "actions",
        ],
        "rasa": [
            str(BOT_BIN / "rasa"),
            "run",
            "--enable-api",
            "--auth-token",
            env["RASA_TOKEN"],
            "--port",
            str(ports["rasa"]),
            "--model",
            "models",
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
        ],
    }
    processes = {name: start(name, args, env, tmp) for name, args in commands.items()}
    health = {
        "api": f"http://127.0.0.1:{ports['api']}/health",
        "actions": f"http://127.0.0.1:{ports['actions']}/health",
        "rasa": f"http://127.0.0.1:{ports['rasa']}/",
    }
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        for name, url in health.items():
            wait_healthy(url, processes[name], tmp / f"{name}.log", deadline)
        yield Stack(
            health["api"].removesuffix("/health"),
            health["rasa"].rstrip("/"),
            env["RASA_TOKEN"],
            processes,
            env,
            ports,
            commands,
            health,
            tmp,
        )
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        sys.stdout.write("".join(f"\n--- {p.name} ---\n{p.read_text()[-1500:]}" for p in tmp.glob("*.log")))
