"""The anchor: Rasa's own starter bot (`rasa init --no-prompt`, default config), trained in a temporary
folder and served as its README says (`rasa run --enable-api` and `rasa run actions`), on free ports.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stack.services import free_port
from tests.integration import running

RASA = Path(__file__).resolve().parents[2] / ".venv" / "bot" / "bin" / "rasa"
STARTUP_SECONDS = 600
ENV = {"RASA_TELEMETRY_ENABLED": "false"}
MARK = "\n# added by the load bench\n"
ATTEMPTS = 2
"""A free port can be taken by another program while Rasa loads its model; then it starts once more."""


class AnchorError(RuntimeError):
    """The starter bot could not be created, trained or started."""


@dataclass
class Anchor:
    """The running starter bot."""

    rasa_url: str
    processes: dict[str, subprocess.Popen[bytes]]


def initialise(folder: Path) -> subprocess.Popen[bytes]:
    """Start `rasa init --no-prompt` (creates the project and trains its model) unless a model exists."""
    folder.mkdir(parents=True, exist_ok=True)
    command = ["true"] if list(folder.glob("models/*.tar.gz")) else [str(RASA), "init", "--no-prompt"]
    with (folder / "init.log").open("ab") as log:
        return subprocess.Popen(command, cwd=folder, env={**os.environ, **ENV}, stdout=log, stderr=log)


def wait_initialised(process: subprocess.Popen[bytes], folder: Path) -> None:
    """Wait for `rasa init` to finish; fail with its log's tail."""
    if process.wait() != 0 or not list(folder.glob("models/*.tar.gz")):
        raise AnchorError(f"rasa init failed:\n{(folder / 'init.log').read_text()[-3000:]}")


def point_at_actions(folder: Path, actions_port: int) -> None:
    """endpoints.yml: the action server the starter bot's README has you uncomment."""
    endpoints = folder / "endpoints.yml"
    text = endpoints.read_text().split(MARK)[0]
    endpoints.write_text(f"{text}{MARK}action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n")


def serve(folder: Path, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
    """One `rasa run ...` process in its own process group, its output in folder/NAME.log."""
    with (folder / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [str(RASA), "run", *arguments],
            cwd=folder,
            env={**os.environ, **ENV},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll `url` until it answers 200, as the stack's own start does; AnchorError if it never does."""
    try:
        running.wait_healthy(url, process, log, time.monotonic() + STARTUP_SECONDS)
    except running.StackError as error:
        raise AnchorError(str(error)) from error


stop = running.stop
"""SIGTERM each process group, SIGKILL what is still there after 30 s (the stack's own stop)."""


def start_serving(folder: Path) -> Anchor:
    """Both servers on free ports, once healthy (their processes are stopped if either fails)."""
    ports = {"rasa": free_port(), "actions": free_port()}
    point_at_actions(folder, ports["actions"])
    processes = {
        "actions": serve(folder, "actions", ["actions", "--port", str(ports["actions"])]),
        "rasa": serve(folder, "rasa", ["--enable-api", "--port", str(ports["rasa"])]),
    }
    try:
        actions_health = f"http://127.0.0.1:{ports['actions']}/health"
        wait_healthy(actions_health, processes["actions"], folder / "actions.log")
        wait_healthy(f"http://127.0.0.1:{ports['rasa']}/", processes["rasa"], folder / "rasa.log")
    except AnchorError:
        stop(processes)
        raise
    return Anchor(f"http://127.0.0.1:{ports['rasa']}", processes)


def start_with_retry(folder: Path) -> Anchor:
    """start_serving, once more if the first attempt fails."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return start_serving(folder)
        except AnchorError:
            if attempt == ATTEMPTS:
                raise
    raise AnchorError("unreachable")


@contextmanager
def running_anchor(folder: Path, init: subprocess.Popen[bytes]) -> Iterator[Anchor]:
    """Serve the initialised starter bot (after `init` is done); stop it on the way out."""
    wait_initialised(init, folder)
    anchor = start_with_retry(folder)
    try:
        yield anchor
    finally:
        stop(anchor.processes)
