"""A Redis server and a PostgreSQL cluster of a test's own, on free loopback ports, that it may restart.

The machine's shared servers (6379, 5432) serve every engineer's tests at once: a test that restarts
Redis or PostgreSQL mid-conversation starts these instead and points its stack at them
(tests/integration/running.py `Backing`). PostgreSQL refuses to run as root, so the cluster is owned by
and run as the `postgres` system user when the tests run as root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from stack.services import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "postgres"
READY_SECONDS = 60


class ServerError(RuntimeError):
    """A server of the test's own did not start or stop in time."""


@dataclass
class OwnRedis:
    """`redis-server` on a free port, without persistence: a restart loses everything, as a crash would."""

    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self.answers, "redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def restart(self) -> None:
        """kill -9 and start again on the same port (empty, since nothing was saved)."""
        self.stop()
        self.start()

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class OwnPostgres:
    """A PostgreSQL 15 cluster in a temporary directory, on a free port, trust authentication."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        """The API's DATABASE_URL (psycopg 3, in the API environment)."""
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/postgres"

    @property
    def dsn(self) -> str:
        """For a test's own queries (psycopg2, in the bot environment)."""
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), *args]
        subprocess.run(as_postgres(command), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.directory / "server.log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop at once (`immediate`: no clean shutdown, as a crash) and start again on the same port."""
        self.stop("immediate")
        self.start()


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """A fresh cluster; removed with its data on the way out."""
    directory = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
    owner = pwd.getpwnam(PG_USER) if os.geteuid() == 0 else None
    if owner is not None:
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    initdb = [str(PG_BIN / "initdb"), "-D", str(directory / "data"), "-A", "trust", "-U", PG_USER]
    subprocess.run(as_postgres(initdb), check=True, stdout=subprocess.DEVNULL)
    server = OwnPostgres(directory, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


def as_postgres(command: list[str]) -> list[str]:
    """`command` run as the postgres user when we are root (PostgreSQL refuses root)."""
    return ["runuser", "-u", PG_USER, "--", *command] if os.geteuid() == 0 else command


def wait_until(ready: object, what: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if callable(ready) and ready():
            return
        time.sleep(0.1)
    raise ServerError(f"{what} did not start in time")
