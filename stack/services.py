"""The services of the Procfile, started with the environment of one env file, for `make run` and tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from stack import envfile

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
ENV_FILE = ROOT / ".env"
API_BIN = ROOT / ".venv" / "api" / "bin"
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9_-]+):\s*(?P<command>.+)$")


def free_port() -> int:
    """A loopback port free right now, for a service (or a test's server) to listen on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_procfile(path: Path = PROCFILE) -> dict[str, str]:
    """Process name to shell command, in the Procfile's order (honcho's format)."""
    lines = (_LINE.match(line) for line in path.read_text().splitlines())
    return {match["name"]: match["command"] for match in lines if match}


def environment(
    env_file: Path = ENV_FILE, base: Mapping[str, str] | None = None, overlay: Path | None = None
) -> dict[str, str]:
    """What every service gets: the file's values, the overlay's over them, and over both `base`
    (default: this environment).

    A variable set in the environment wins over the files (`API_PORT=9000 make run`), as with
    pydantic-settings; the tests start a stack from a file of their own with their ports in `base`. The
    overlay (the production profile's .env.prod) refers to the file's values with `${NAME}`.
    """
    inherited = dict(os.environ if base is None else base)
    values = envfile.read(env_file, inherited)
    layered = envfile.read(overlay, inherited, values) if overlay else {}
    return {**values, **layered, **inherited, "PYTHONPATH": str(ROOT)}


def write_example_env(path: Path) -> Path:
    """An env file made from .env.example as `make` makes .env (fresh secrets), for a second stack."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    path.write_text("\n".join(envfile.materialise(line) for line in lines) + "\n")
    path.chmod(0o600)
    return path


def ensure_runtime_directory() -> Path:
    """`var/`, where the embedded defaults keep their SQLite files (the API's, Rasa's event broker's):
    Rasa cannot create its broker's file in a directory that does not exist."""
    runtime = ROOT / "var"
    runtime.mkdir(exist_ok=True)
    return runtime


def spawn(
    name: str, env: Mapping[str, str], output: IO[bytes], procfile: Path = PROCFILE
) -> subprocess.Popen[bytes]:
    """Start one Procfile process as honcho would (a shell runs the line), in its own process group."""
    command = read_procfile(procfile)[name]
    ensure_runtime_directory()
    return subprocess.Popen(  # noqa: S603 (the Procfile is ours)
        ["/bin/sh", "-c", f"exec {command}"],
        cwd=ROOT,
        env=dict(env),
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def answers(url: str, seconds: float) -> bool:
    """Whether `url` answers 200 within `seconds` (asked again every 0.2 s while it refuses)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our loopback URL)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    return False


def prepare_database(env: Mapping[str, str], seed: bool = False) -> None:
    """Migrate the API's database to head, as `make run` does, and insert the demo data when `seed`."""
    commands = [["alembic", "upgrade", "head"], *([["python", "-m", "api.seed"]] if seed else [])]
    for name, *args in commands:
        subprocess.run(  # noqa: S603 (our own tools)
            [str(API_BIN / name), *args], cwd=ROOT, env=dict(env), check=True, capture_output=True
        )


def start_api(
    workdir: Path, database_url: str | None = None, seed: bool = False
) -> tuple[subprocess.Popen[bytes], str, str]:
    """The API of a second stack (its Procfile line, an env file from .env.example in `workdir`, a fresh
    SQLite file unless `database_url`), once /health answers: its process, URL and service token."""
    port = free_port()
    overrides = {"API_PORT": str(port), "DATABASE_URL": database_url or f"sqlite:///{workdir}/api.db"}
    env = environment(write_example_env(workdir / ".env"), {**os.environ, **overrides})
    prepare_database(env, seed)
    with (workdir / "api.log").open("wb") as log:
        process = spawn("api", env, log)
    url = f"http://127.0.0.1:{port}"
    if not answers(f"{url}/health", 60):
        process.terminate()
        raise RuntimeError(f"the API did not start (see {workdir / 'api.log'})")
    return process, url, env["API_TOKEN"]
