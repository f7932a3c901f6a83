"""The running product, started as `make run` starts it: the Procfile's commands (stack/), with an env file
made from .env.example like `make` makes .env, the same endpoints and credentials files. What differs is
only what must: free ports, fresh secrets, a temporary database, and Rasa's stores in the real Redis (the
production setting of the same endpoints.yml).

Importable outside pytest: the integration tests' `stack` fixture and the conversation runner
(`python -m tests.conversations`) both start the product through `running_stack`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis

from stack.services import environment, free_port, spawn, write_example_env

ROOT = Path(__file__).resolve().parents[2]
BOT_BIN = ROOT / ".venv" / "bot" / "bin"
API_BIN = ROOT / ".venv" / "api" / "bin"
REDIS_DB = 13
STARTUP_SECONDS = int(os.environ.get("STACK_STARTUP_SECONDS", "420"))
"""How long the services may take to become healthy; a loaded machine needs more (Rasa loads its model)."""
MINI_MIRANDA = "This is a communication from a debt collector."
DEBT_WORDS = ("$", "Northwind", "principal", "Total due", "1,320.40")

SERVICES = ("api", "worker", "actions", "rasa", "sms")
"""Every Procfile process but `ready` (which only prints addresses); the worker sends SMS to the sink."""
LISTENING = ("api", "actions", "rasa", "sms")
TWILIO_WEBHOOK_PATH = "/webhooks/twilio/webhook"


class StackError(RuntimeError):
    """A service of the stack exited early or did not become healthy in time."""


@dataclass
class Stack:
    api_url: str
    rasa_url: str
    rasa_token: str
    processes: dict[str, subprocess.Popen[bytes]]
    env: dict[str, str]
    ports: dict[str, int]
    logs: Path

    @property
    def sink_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sms']}"

    @property
    def twilio_webhook_url(self) -> str:
        """Where Twilio posts an SMS (and signs it for): PUBLIC_BASE_URL + path, the webhook's own port."""
        return self.env["PUBLIC_BASE_URL"].rstrip("/") + TWILIO_WEBHOOK_PATH

    def health(self, name: str) -> str | None:
        """The URL that answers 200 when the service is up (the worker listens on no port).

        Rasa's is the Twilio webhook's own server (TWILIO_ACK_PORT), which Rasa starts last, once its model
        is loaded and its own port listens: an SMS posted after that is never refused.
        """
        if name not in self.ports:
            return None
        if name == "rasa" and self.env.get("TWILIO_ACK_PORT"):
            return f"http://127.0.0.1:{self.env['TWILIO_ACK_PORT']}/webhooks/twilio/"
        if name == "rasa":  # TWILIO_ACK_PORT empty: the webhook on Rasa's port (the ack bench compares)
            return f"http://127.0.0.1:{self.ports[name]}/"
        return f"http://127.0.0.1:{self.ports[name]}/health"

    def kill(self, name: str) -> None:
        """kill -9 one service (its whole process group), as a crash would, and wait until it is gone."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def revive(self, name: str) -> None:
        """Restart a process an earlier test stopped (e.g. the API), so later tests find it running."""
        if self.processes[name].poll() is None:
            return
        self.processes[name] = start(f"{name}.revived", self.env, self.logs)
        log = self.logs / f"{name}.revived.log"
        wait_healthy(self.health(name), self.processes[name], log, time.monotonic() + 120)

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """The bot's replies to one message over the REST channel, as Rasa sends them (text, buttons)."""
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        reply.raise_for_status()
        return list(reply.json())

    def say(self, sender: str, message: str) -> list[str]:
        """The texts of the bot's replies to one message."""
        return [m.get("text", "") for m in self.send(sender, message)]


def wait_healthy(url: str | None, process: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    if url is None:
        return
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{url} exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise StackError(f"{url} not healthy in time:\n{log.read_text()[-4000:]}")


def start(name: str, env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """The Procfile's process `name` (before a dot: "api.revived" is the api line again)."""
    with (logs / f"{name}.log").open("wb") as log:
        return spawn(name.partition(".")[0], env, log)


@dataclass(frozen=True)
class Backing:
    """Where a stack keeps its state: the machine's Redis by default, a database of its own.

    A test that restarts Redis or PostgreSQL starts servers of its own (tests/integration/servers.py)
    and points the stack at them here: the machine's shared servers are never restarted.
    """

    redis_db: int = REDIS_DB
    redis_port: int = 6379
    database_url: str | None = None
    """None: a SQLite file in the stack's temporary folder."""


def overrides(tmp: Path, ports: dict[str, int], backing: Backing = Backing()) -> dict[str, str]:
    """Only what a second stack on this machine must change: ports, database, Redis stores."""
    redis_db = backing.redis_db
    tracker_url = f"redis://127.0.0.1:{backing.redis_port}/{redis_db}"
    return {
        "API_PORT": str(ports["api"]),
        "ACTIONS_PORT": str(ports["actions"]),
        "RASA_PORT": str(ports["rasa"]),
        "TWILIO_ACK_PORT": str(free_port()),
        "SMS_SINK_PORT": str(ports["sms"]),
        "DATABASE_URL": backing.database_url or f"sqlite:///{tmp}/accounts.db",
        "TRACKER_STORE_TYPE": "redis",
        "LOCK_STORE_TYPE": "redis",
        "REDIS_PORT": str(backing.redis_port),
        "REDIS_TRACKER_DB": str(redis_db),
        "REDIS_LOCK_DB": str(redis_db),
        "TRACKER_STORE_REDIS_URL": tracker_url,
        "CELERY_FILESYSTEM_FOLDER": f"{tmp}/celery",
        "EVENT_BROKER_URL": f"sqlite:///{tmp}/rasa_events.db",
        "MAIL_SINK_SMTP_PORT": str(free_port()),
        "MAIL_SINK_HTTP_PORT": str(free_port()),
    }


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def seed(env: dict[str, str]) -> None:
    """The demo accounts, policies and staff, as `make run` seeds them (idempotent)."""
    subprocess.run([str(API_BIN / "python"), "-m", "api.seed"], cwd=ROOT, env=env, check=True)


@contextmanager
def running_stack(
    tmp: Path,
    redis_db: int = REDIS_DB,
    flush: bool = True,
    backing: Backing | None = None,
    startup_seconds: float = STARTUP_SECONDS,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """Migrate, seed and start every service; stop them all on the way out (their logs stay in tmp).

    `flush` empties the Redis database first (the integration tests own theirs); a caller sharing its
    database with others passes False and removes only its own conversations' keys. `backing` points
    the stack at servers of the caller's own (default: the machine's Redis, database `redis_db`).
    `startup_seconds` bounds the wait for every service to answer (Rasa's model load takes minutes on a
    loaded machine). `settings` override the env file and the stack's own overrides (a bench's variant).
    """
    backing = backing or Backing(redis_db=redis_db)
    if flush:
        redis.Redis(host="127.0.0.1", port=backing.redis_port, db=backing.redis_db).flushdb()
    with started(tmp, SERVICES, backing, startup_seconds, settings) as stack:
        yield stack


@contextmanager
def stopped_on_sigterm() -> Iterator[None]:
    """SIGTERM (what `make` passes on when it is killed) unwinds like Ctrl-C while inside: the services run
    in sessions of their own, so a caller that died without unwinding would leave them running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def started(
    tmp: Path,
    services: tuple[str, ...],
    backing: Backing | None = None,
    startup_seconds: float = STARTUP_SECONDS,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """Migrate, seed and start these Procfile services; stop them on the way out, SIGTERM included."""
    with stopped_on_sigterm():
        yield from _started(tmp, services, backing or Backing(), startup_seconds, settings)


def _started(
    tmp: Path,
    services: tuple[str, ...],
    backing: Backing,
    startup_seconds: float,
    settings: Mapping[str, str] | None,
) -> Iterator[Stack]:
    """`started`'s body."""
    ports = {name: free_port() for name in LISTENING}
    base = {**os.environ, **overrides(tmp, ports, backing), **(settings or {})}
    env = environment(write_example_env(tmp / ".env"), base)
    subprocess.run([str(API_BIN / "alembic"), "upgrade", "head"], cwd=ROOT, env=env, check=True)
    seed(env)
    processes = {name: start(name, env, tmp) for name in services}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    stack = Stack(urls["api"], urls["rasa"], env["RASA_TOKEN"], processes, env, ports, tmp)
    deadline = time.monotonic() + startup_seconds
    try:
        for name in services:
            wait_healthy(stack.health(name), processes[name], tmp / f"{name}.log", deadline)
        yield stack
    finally:
        stop(stack.processes)


def running_api(tmp: Path) -> AbstractContextManager[Stack]:
    """Only the API, migrated and seeded as `make run` does (the console's pages need nothing else)."""
    return started(tmp, ("api",))
