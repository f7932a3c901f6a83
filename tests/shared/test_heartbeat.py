"""Heartbeats of the processes without a port: a file's age, read by the readiness probes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from shared import heartbeat


def test_a_process_that_never_beat_has_no_age(tmp_path: Path) -> None:
    assert heartbeat.age(tmp_path, "worker") is None
    assert not heartbeat.fresh(tmp_path, "worker", 60)


def test_a_beat_makes_the_heartbeat_fresh(tmp_path: Path) -> None:
    heartbeat.beat(tmp_path / "beats", "worker")

    assert heartbeat.fresh(tmp_path / "beats", "worker", 60)


def test_an_old_beat_is_stale(tmp_path: Path) -> None:
    heartbeat.beat(tmp_path, "campaigns")
    long_ago = time.time() - 600
    os.utime(heartbeat.path(tmp_path, "campaigns"), (long_ago, long_ago))

    assert not heartbeat.fresh(tmp_path, "campaigns", 60)
    assert (heartbeat.age(tmp_path, "campaigns") or 0) >= 600
