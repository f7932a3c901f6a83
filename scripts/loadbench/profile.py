"""Where the Rasa process spends its time under load: py-spy's collapsed stacks, top frames by share."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

BOT_PY_SPY = Path(__file__).resolve().parents[2] / ".venv" / "bot" / "bin" / "py-spy"


def py_spy() -> str | None:
    """The py-spy executable (the bot environment's, else one on PATH), or None."""
    return str(BOT_PY_SPY) if BOT_PY_SPY.exists() else shutil.which("py-spy")


def record(pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes] | None:
    """Start sampling `pid` for `seconds` into collapsed-stack text; None when py-spy is missing."""
    executable = py_spy()
    if executable is None:
        return None
    command = [executable, "record", "--pid", str(pid), "--duration", str(seconds), "--format", "raw"]
    return subprocess.Popen([*command, "--output", str(output), "--nonblocking"])


def top_frames(collapsed: str, count: int = 10) -> list[dict[str, float | str]]:
    """The `count` frames the most samples were taken in (self share), from `a;b;c N` lines."""
    leaves: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            leaves[stack.split(";")[-1]] += int(samples)
    total = sum(leaves.values())
    return [{"frame": frame, "share": round(n / total, 3)} for frame, n in leaves.most_common(count)]
