"""The production profile on this machine, started as `make run-prod` starts it (stack/prod.py: Procfile.prod
expanded to N copies, nginx's configuration from deploy/nginx.conf.template, .env.prod.example over an env
file made like .env). What differs is only what must: free ports, fresh secrets, databases of its own on
the local PostgreSQL, a Redis database number of its own, nginx's prefix in a temporary directory.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from stack import probes
from stack.prod import expand, render_nginx, write_procfile
from stack.services import PROCFILE, environment, free_port, read_procfile, spawn, write_example_env
from tests.integration.running import API_BIN, ROOT, StackError, stop

PROD_REDIS_DB = 10
REPLICAS = 2
STARTUP_SECONDS = 900
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass
class ProdStack:
    public_url: str
    rasa_url: str
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path

    @property
    def sink_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SMS_SINK_PORT']}"


def nginx_or_skip() -> str:
    """Debian's nginx, installed with apt-get as `make nginx` does as root; skip with the reason if not."""
    found = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.skip("nginx is not installed and installing it needs root (sudo apt-get install nginx)")
    done = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx"],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        capture_output=True,
        check=False,
    )
    found = shutil.which("/usr/sbin/nginx")
    if done.returncode != 0 or not found:
        pytest.skip(f"nginx could not be installed: apt-get said {done.stderr.decode()[-300:]!r}")
    return found


def replica_base() -> int:
    """A base port whose next REPLICAS ports are free (copies listen on base + 1 ... base + N).

    Below Linux's ephemeral range (32768-60999): Rasa binds only after loading its model, minutes later,
    and a port in that range may meanwhile become any outgoing connection's source port.
    """
    for _ in range(50):
        base = random.randint(20000, 32000)
        if all(port_free(base + index) for index in range(1, REPLICAS + 1)):
            return base
    raise StackError("no free port range for the copies")


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def overrides(tmp: Path, nginx: str, suffix: str) -> dict[str, str]:
    """Ports, databases, Redis and nginx's prefix of this test's stack (everything else: the profile's)."""
    public = free_port()
    return {
        "API_PORT": str(free_port()),
        "RASA_PORT": str(free_port()),
        "ACTIONS_PORT": str(free_port()),
        "SMS_SINK_PORT": str(free_port()),
        "RASA_REPLICAS": str(REPLICAS),
        "ACTIONS_REPLICAS": str(REPLICAS),
        "RASA_REPLICA_BASE_PORT": str(replica_base()),
        "ACTIONS_REPLICA_BASE_PORT": str(replica_base()),
        "TWILIO_ACK_REPLICA_BASE_PORT": str(replica_base()),
        "TWILIO_ACK_PORT": str(free_port()),
        "NGINX_LISTEN": f"127.0.0.1:{public}",
        "PUBLIC_URL": f"http://127.0.0.1:{public}",
        "NGINX_BIN": nginx,
        "NGINX_PREFIX": str(tmp / "nginx"),
        "NGINX_WORKER_PROCESSES": "2",
        "DATABASE_URL": f"{POSTGRES}/prod_it_{suffix}",
        "EVENT_BROKER_URL": f"{POSTGRES.replace('+psycopg', '')}/prod_it_events_{suffix}",
        "REDIS_TRACKER_DB": str(PROD_REDIS_DB),
        "REDIS_LOCK_DB": str(PROD_REDIS_DB),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{PROD_REDIS_DB}",
        "WEBCHAT_SOCKETIO_REDIS_URL": f"redis://127.0.0.1:6379/{PROD_REDIS_DB}",
        "CELERY_FILESYSTEM_FOLDER": str(tmp / "celery"),
        "HEARTBEAT_DIR": str(tmp / "heartbeats"),
        "HEARTBEAT_SECONDS": "2",
        "ACCOUNTS_API_TIMEOUT_SECONDS": "3",
        "MAIL_SINK_SMTP_PORT": str(free_port()),
        "MAIL_SINK_HTTP_PORT": str(free_port()),
    }


def prod_environment(tmp: Path, nginx: str) -> dict[str, str]:
    """An env file like .env, .env.prod.example over it, this stack's overrides over both."""
    base = {**os.environ, **overrides(tmp, nginx, uuid.uuid4().hex[:8])}
    return environment(write_example_env(tmp / ".env"), base, ROOT / ".env.prod.example")


def migrate_and_seed(env: dict[str, str]) -> None:
    """`make run-prod`'s database steps: create the databases, migrate, seed."""
    python = str(API_BIN / "python")
    for command in (
        [python, "scripts/ensure_databases.py"],
        [str(API_BIN / "alembic"), "upgrade", "head"],
        [python, "-m", "api.seed"],
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True)


def drop_databases(env: dict[str, str]) -> None:
    for variable in ("DATABASE_URL", "EVENT_BROKER_URL"):
        name = env[variable].rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-qc",
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            ],
            check=False,
            capture_output=True,
        )


def start_all(env: dict[str, str], tmp: Path) -> dict[str, subprocess.Popen[bytes]]:
    """Every process of the expanded Procfile.prod but `ready`, plus the SMS sink of the Procfile."""
    render_nginx(env)
    procfile = write_procfile(expand(read_procfile(ROOT / "Procfile.prod"), env), tmp / "Procfile")
    names = [name for name in read_procfile(procfile) if name != "ready"]
    processes = {}
    for name in names:
        with (tmp / f"{name}.log").open("wb") as log:
            processes[name] = spawn(name, env, log, procfile)
    with (tmp / "sms.log").open("wb") as log:
        processes["sms"] = spawn("sms", env, log, PROCFILE)
    return processes


@contextmanager
def running_prod_stack(tmp: Path, nginx: str) -> Iterator[ProdStack]:
    """Databases, migrations, seed, every process; all stopped and the databases dropped on the way out."""
    redis.Redis(host="127.0.0.1", port=6379, db=PROD_REDIS_DB).flushdb()
    env = prod_environment(tmp, nginx)
    try:
        migrate_and_seed(env)
        processes = start_all(env, tmp)
        stack = ProdStack(env["PUBLIC_URL"], env["RASA_URL"], env, processes, tmp)
        try:
            wait_ready(stack)
            yield stack
        finally:
            stop(processes)
    finally:
        drop_databases(env)


def wait_ready(stack: ProdStack) -> None:
    """Every process ready by its own probe (stack/probes.py), or StackError with the laggards' logs."""
    deadline = time.monotonic() + STARTUP_SECONDS
    names = list(stack.processes)
    pending = names
    while pending and time.monotonic() < deadline:
        exited = [name for name in pending if stack.processes[name].poll() is not None]
        if exited:
            raise StackError(f"{exited} exited:\n" + logs(stack, exited))
        pending = [name for name in pending if not probes.ready(name, stack.env)]
        time.sleep(1)
    if pending:
        raise StackError(f"not ready in time: {pending}\n" + logs(stack, pending))


def logs(stack: ProdStack, names: list[str]) -> str:
    return "".join(f"\n--- {name} ---\n{(stack.logs / f'{name}.log').read_text()[-3000:]}" for name in names)
