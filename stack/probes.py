"""Readiness probes of every process of the production profile, one definition for `python3 -m stack
probe NAME` (docker compose's healthchecks), `python3 -m stack wait` (Procfile.prod's `ready`) and the tests.

A process with a port is ready when its readiness URL answers 200: the API's /ready (database migrated),
Rasa's /status (model loaded; it takes RASA_TOKEN from the environment, never from a command line) and its
Twilio webhook's own server (GET /webhooks/twilio/ on TWILIO_ACK_PORT, started once Rasa listens), the
action server's and the sinks' /health, nginx's /nginx-health. A process without one is ready while its
heartbeat is fresh (shared.heartbeat): the worker's, and the campaigns' that beat schedules and the Celery
worker runs. Standard library only.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from shared import heartbeat
from stack.prod import REPLICATED, TWILIO_ACK, Listener, integer, replica_ports

_COPY = re.compile(r"^(?P<process>[a-z]+?)(?P<index>\d+)$")
PATHS = {"api": "/ready", "actions": "/health", "sms": "/health", "mail": "/health", "nginx": "/nginx-health"}
PORTS = {"api": "API_PORT", "actions": "ACTIONS_PORT", "rasa": "RASA_PORT", "sms": "SMS_SINK_PORT"}
PORTS |= {"mail": "MAIL_SINK_HTTP_PORT"}
HEARTBEATS = {"worker": "worker", "campaigns": "campaigns", "beat": "campaigns"}


def answers(url: str) -> bool:
    """Whether the URL answers 200 within 3 seconds."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (our own loopback URLs)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def port(name: str, env: Mapping[str, str], listener: Listener | None = None) -> int:
    """The port of a process (its `listener`'s when given): a copy's own (`rasa2`), nginx's public one, or
    the process's variable."""
    copy = _COPY.match(name)
    if copy and copy["process"] in REPLICATED:
        return replica_ports(env, copy["process"], listener)[int(copy["index"]) - 1]
    if listener is not None:
        return integer(env, listener.port)
    if name == "nginx":
        return int((env.get("NGINX_LISTEN") or "8080").rpartition(":")[2])
    return integer(env, PORTS[name])


def process_of(name: str) -> str:
    """`rasa2` is a copy of `rasa`; other names are their own process."""
    copy = _COPY.match(name)
    return copy["process"] if copy else name


def url(name: str, env: Mapping[str, str]) -> str:
    """The readiness URL of a process that listens."""
    process = process_of(name)
    if process == "rasa":
        token = urllib.parse.quote(env.get("RASA_TOKEN", ""), safe="")
        return f"http://127.0.0.1:{port(name, env)}/status?token={token}"
    return f"http://127.0.0.1:{port(name, env)}{PATHS[process]}"


def urls(name: str, env: Mapping[str, str]) -> list[str]:
    """Every URL that must answer: Rasa's also serves the Twilio webhook on a port of its own."""
    if process_of(name) != "rasa":
        return [url(name, env)]
    return [url(name, env), f"http://127.0.0.1:{port(name, env, TWILIO_ACK)}/webhooks/twilio/"]


def max_heartbeat_age(env: Mapping[str, str]) -> float:
    """A heartbeat older than four periods (HEARTBEAT_SECONDS, default 15 s) is a dead process."""
    return 4 * float(env.get("HEARTBEAT_SECONDS") or "15")


def ready(name: str, env: Mapping[str, str]) -> bool:
    """Whether process `name` (a Procfile.prod name, or a copy such as `rasa2`) is ready."""
    if name in HEARTBEATS:
        directory = env.get("HEARTBEAT_DIR") or heartbeat.DEFAULT_DIRECTORY
        return heartbeat.fresh(directory, HEARTBEATS[name], max_heartbeat_age(env))
    return all(answers(address) for address in urls(name, env))


def probed(names: list[str]) -> list[str]:
    """The processes a probe exists for (`ready` itself only prints)."""
    return [name for name in names if name != "ready"]


def wait(names: list[str], env: Mapping[str, str], timeout_seconds: float) -> list[str]:
    """Probe every process until all are ready or the time is up (at least once); those not ready."""
    deadline = time.monotonic() + timeout_seconds
    pending = probed(names)
    while True:
        pending = [name for name in pending if not ready(name, env)]
        if not pending or time.monotonic() >= deadline:
            return pending
        time.sleep(1)
