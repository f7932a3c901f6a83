"""The production profile (`make run-prod`): Procfile.prod's processes, Rasa and the action server N times
each, behind nginx, with every setting from the environment (.env, .env.prod over it).

One definition: Procfile.prod names each process once; `expand` turns a replicated line into N lines that
differ only in the port the copy listens on, and `render_nginx` writes nginx's configuration (the
template deploy/nginx.conf.template) with those ports. `make run-prod`, the integration test and
docker-compose.yml all start from them. Standard library only: both Python environments import it.
"""

from __future__ import annotations

import shlex
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stack.services import ROOT, ensure_runtime_directory, read_procfile

PROD_PROCFILE = ROOT / "Procfile.prod"
PROD_OVERLAY = ROOT / ".env.prod"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
DEFAULT_REPLICAS = 2


class ProfileError(ValueError):
    """A production setting is missing or makes no sense (a replica count below 1, a port not a number)."""


@dataclass(frozen=True)
class Listener:
    """A port every copy listens on: the variable its line reads, where the copies' ports start, and the
    variable listing nginx's upstreams when the copies are elsewhere (compose: service names)."""

    port: str
    base_port: str
    upstreams: str
    default_base: int | None = None
    """For a port added after .env.prod files were made from the example (they are never updated)."""


@dataclass(frozen=True)
class Replicated:
    """A process run N times: how many (`count`), its main port (`listener`, the one probed and routed by
    default) and any further ports each copy listens on."""

    count: str
    listener: Listener
    more: tuple[Listener, ...] = ()

    @property
    def listeners(self) -> tuple[Listener, ...]:
        """Every port a copy listens on, the main one first."""
        return (self.listener, *self.more)


TWILIO_ACK = Listener("TWILIO_ACK_PORT", "TWILIO_ACK_REPLICA_BASE_PORT", "TWILIO_ACK_UPSTREAMS", 5200)
"""Each Rasa copy serves the Twilio webhook on a port of its own, off its event loop (channels/twilio.py)."""

REPLICATED = {
    "rasa": Replicated(
        "RASA_REPLICAS", Listener("RASA_PORT", "RASA_REPLICA_BASE_PORT", "RASA_UPSTREAMS"), (TWILIO_ACK,)
    ),
    "actions": Replicated(
        "ACTIONS_REPLICAS", Listener("ACTIONS_PORT", "ACTIONS_REPLICA_BASE_PORT", "ACTIONS_UPSTREAMS")
    ),
}
"""Rasa and the action server keep no state of their own (trackers and locks are in the shared stores)."""


class NginxTemplate(string.Template):
    """`@name` placeholders: nginx's own variables start with `$`."""

    delimiter = "@"


def integer(env: Mapping[str, str], name: str, default: int | None = None) -> int:
    """A whole-number setting, or ProfileError naming it."""
    raw = env.get(name) or (str(default) if default is not None else "")
    if not raw.strip().isdigit():
        raise ProfileError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def copies(env: Mapping[str, str], process: str) -> int:
    """How many copies of `process` run (default 2)."""
    spec = REPLICATED[process]
    count = integer(env, spec.count, DEFAULT_REPLICAS)
    if count < 1:
        raise ProfileError(f"{spec.count} must be at least 1")
    return count


def replica_ports(env: Mapping[str, str], process: str, listener: Listener | None = None) -> list[int]:
    """The ports of the copies of `process` (its main port unless `listener`): base + 1 ... base + N."""
    listener = listener or REPLICATED[process].listener
    base = integer(env, listener.base_port, listener.default_base)
    return [base + index for index in range(1, copies(env, process) + 1)]


def copy_line(command: str, ports: Mapping[str, int]) -> str:
    """The Procfile line of one copy: the same command, run with its own ports in the environment."""
    assignments = " ".join(f"{variable}={port}" for variable, port in ports.items())
    return f"env {assignments} /bin/sh -c {shlex.quote('exec ' + command)}"


def copy_ports(env: Mapping[str, str], process: str) -> list[dict[str, int]]:
    """Each copy's port variables and values, e.g. [{"RASA_PORT": 5101, "TWILIO_ACK_PORT": 5201}, ...]."""
    spec = REPLICATED[process]
    by_variable = {listener.port: replica_ports(env, process, listener) for listener in spec.listeners}
    return [{name: ports[i] for name, ports in by_variable.items()} for i in range(copies(env, process))]


def expand(commands: Mapping[str, str], env: Mapping[str, str]) -> dict[str, str]:
    """Procfile.prod's processes with each replicated one as `rasa1`, `rasa2`, ... (honcho's names)."""
    expanded: dict[str, str] = {}
    for name, command in commands.items():
        if name not in REPLICATED:
            expanded[name] = command
            continue
        for index, ports in enumerate(copy_ports(env, name), start=1):
            expanded[f"{name}{index}"] = copy_line(command, ports)
    return expanded


def write_procfile(commands: Mapping[str, str], path: Path) -> Path:
    """A Procfile honcho (and stack.services.spawn) reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{name}: {command}\n" for name, command in commands.items()))
    return path


def upstream_addresses(env: Mapping[str, str], process: str, listener: Listener | None = None) -> list[str]:
    """host:port of every copy (its main port unless `listener`): `*_UPSTREAMS` when set (compose: service
    names), else the local copies."""
    listener = listener or REPLICATED[process].listener
    listed = env.get(listener.upstreams, "")
    if listed.strip():
        return [address.strip() for address in listed.split(",") if address.strip()]
    return [f"127.0.0.1:{port}" for port in replica_ports(env, process, listener)]


def server_lines(addresses: list[str]) -> str:
    """An upstream block's `server` lines; a copy that refuses a connection is skipped for 5 s."""
    return "\n".join(f"        server {address} max_fails=1 fail_timeout=5s;" for address in addresses)


def nginx_values(env: Mapping[str, str], prefix: Path) -> dict[str, str]:
    """What the template's placeholders become, every one from the environment."""
    internal = env.get("NGINX_INTERNAL_HOST") or "127.0.0.1"
    return {
        "prefix": str(prefix),
        "worker_processes": env.get("NGINX_WORKER_PROCESSES") or "auto",
        "public_listen": env.get("NGINX_LISTEN") or "8080",
        "rasa_listen": f"{internal}:{integer(env, 'RASA_PORT')}",
        "actions_listen": f"{internal}:{integer(env, 'ACTIONS_PORT')}",
        "rasa_servers": server_lines(upstream_addresses(env, "rasa")),
        "actions_servers": server_lines(upstream_addresses(env, "actions")),
        "twilio_servers": server_lines(upstream_addresses(env, "rasa", TWILIO_ACK)),
        "api_server": env.get("API_UPSTREAM") or f"127.0.0.1:{integer(env, 'API_PORT')}",
        "max_body": env.get("NGINX_CLIENT_MAX_BODY_SIZE") or "1m",
    }


def nginx_prefix(env: Mapping[str, str]) -> Path:
    """nginx's working directory (configuration, pid, temporary files): NGINX_PREFIX, default var/nginx."""
    prefix = Path(env.get("NGINX_PREFIX") or "var/nginx")
    return prefix if prefix.is_absolute() else ROOT / prefix


def render_nginx(env: Mapping[str, str], template: Path = NGINX_TEMPLATE) -> Path:
    """Write `nginx.conf` into the prefix from the template and the environment; returns its path."""
    prefix = nginx_prefix(env)
    (prefix / "logs").mkdir(parents=True, exist_ok=True)  # nginx opens logs/error.log before its config
    target = prefix / "nginx.conf"
    target.write_text(NginxTemplate(template.read_text()).substitute(nginx_values(env, prefix)))
    return target


def prepare(env: Mapping[str, str], procfile: Path = PROD_PROCFILE, target: Path | None = None) -> Path:
    """nginx's configuration and the expanded Procfile (default var/prod/Procfile) for honcho; returns
    the latter."""
    render_nginx(env)
    target = target or ensure_runtime_directory() / "prod" / "Procfile"
    return write_procfile(expand(read_procfile(procfile), env), target)
