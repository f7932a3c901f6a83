"""CPU time and resident memory of a process tree, read from /proc (psutil is not installed here)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Usage:
    """CPU seconds (user + system) and resident bytes of a process tree at one moment."""

    cpu_seconds: float
    rss_bytes: int


def stat_fields(pid: int, proc: Path = PROC) -> list[str]:
    """/proc/PID/stat split after the command name (which may hold spaces); field 3 (state) is index 0."""
    text = (proc / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def parent_of(pid: int, proc: Path = PROC) -> int:
    """The parent pid (field 4)."""
    return int(stat_fields(pid, proc)[1])


def cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """utime + stime (fields 14 and 15) of one process, in seconds."""
    fields = stat_fields(pid, proc)
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident set size (field 24, in pages) of one process."""
    return int(stat_fields(pid, proc)[21]) * PAGE


def all_pids(proc: Path = PROC) -> list[int]:
    """Every pid visible now."""
    return [int(entry.name) for entry in proc.iterdir() if entry.name.isdigit()]


def tree(root: int, proc: Path = PROC) -> list[int]:
    """`root` and every descendant alive now."""
    children: dict[int, list[int]] = {}
    for pid in all_pids(proc):
        try:
            children.setdefault(parent_of(pid, proc), []).append(pid)
        except (OSError, ValueError, IndexError):
            continue  # exited while we looked
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def usage(root: int, proc: Path = PROC) -> Usage:
    """CPU and RSS summed over the tree under `root` (processes that exit meanwhile count as zero)."""
    cpu, rss = 0.0, 0
    for pid in tree(root, proc):
        try:
            cpu, rss = cpu + cpu_seconds(pid, proc), rss + rss_bytes(pid, proc)
        except (OSError, ValueError, IndexError):
            continue
    return Usage(cpu, rss)
