"""Heartbeats of the processes that listen on no port (the API's worker, the campaigns' Celery worker).

A heartbeat is a file whose modification time is the last sign of life; its readiness probe
(`python3 -m stack probe worker`, docker compose's healthcheck) reads its age. Standard library only: the
API writes heartbeats and the stack's probes, which run on any Python, read them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

DEFAULT_DIRECTORY = "var/heartbeats"


def path(directory: str | Path, name: str) -> Path:
    """The file of one process's heartbeat."""
    return Path(directory) / name


def beat(directory: str | Path, name: str) -> None:
    """Record that `name` is alive now (creates the directory on first use)."""
    target = path(directory, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch()
    os.utime(target)


def age(directory: str | Path, name: str) -> float | None:
    """Seconds since the last heartbeat of `name`, or None when it never beat."""
    try:
        return max(0.0, time.time() - path(directory, name).stat().st_mtime)
    except FileNotFoundError:
        return None


def fresh(directory: str | Path, name: str, max_age_seconds: float) -> bool:
    """Whether `name` beat within the last `max_age_seconds`."""
    seconds = age(directory, name)
    return seconds is not None and seconds <= max_age_seconds
