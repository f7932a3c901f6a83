"""CPU per turn of each of our processes at a fixed REST concurrency, optionally with py-spy profiles (#15).

Our stack only (no starter bot), so a before/after pair of runs fits in a few minutes on the shared machine:

    .venv/bot/bin/python scripts/profile_turn.py --conversations 16 --concurrency 8
    .venv/bot/bin/python scripts/profile_turn.py --py-spy /work/tools/bin/py-spy --out /tmp/prof
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.loadbench import accounts  # noqa: E402
from scripts.loadbench.clients import RestClient  # noqa: E402
from scripts.loadbench.dialogues import Debtor, script  # noqa: E402
from scripts.loadbench.load import Plan, measure  # noqa: E402
from scripts.loadbench.procstats import tree  # noqa: E402
from scripts.loadbench.profile import top_frames  # noqa: E402
from tests.integration.running import SERVICES, Stack, running_stack  # noqa: E402

PROFILED = ("rasa", "actions", "api")
REDIS_DB = 9


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--conversations", type=int, default=16)
    cli.add_argument("--concurrency", type=int, default=8)
    cli.add_argument("--py-spy", help="py-spy executable: record rasa, actions and api during the run")
    cli.add_argument("--seconds", type=int, default=40, help="py-spy recording length")
    cli.add_argument("--out", type=Path, help="folder for the raw py-spy stacks and the result")
    cli.add_argument("--redis-db", type=int, default=REDIS_DB, help="Redis DB for the stack's trackers")
    return cli


def spy(executable: str, pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes]:
    """Sample the process tree under `pid` into collapsed stacks, without pausing it."""
    command = [executable, "record", "--pid", str(pid), "--duration", str(seconds), "--subprocesses"]
    options = ["--format", "raw", "--nonblocking", "--output", str(output)]
    return subprocess.Popen([*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(stack: Stack, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Warm up with one conversation, then measure (and profile) the rest."""
    debtors = await accounts.create(stack.api_url, stack.env["API_TOKEN"], args.conversations + 1)
    pids = {name: stack.processes[name].pid for name in SERVICES}
    async with rest_http(stack.rasa_url) as http:
        scripts = _scripts(debtors)
        await measure(Plan(1, range(1), scripts), lambda n: RestClient(http), {})
        spies = _spies(args, pids, folder)
        plan = Plan(args.concurrency, range(1, args.conversations + 1), scripts)
        result = await measure(plan, lambda n: RestClient(http), pids)
    for process in spies.values():
        process.wait()
    result["profiles"] = {name: _top(folder / f"{name}.txt") for name in spies}
    return result


def _scripts(debtors: list[Debtor]) -> Any:
    return lambda number: script("rest", debtors[number])


def _spies(
    args: argparse.Namespace, pids: dict[str, int], folder: Path
) -> dict[str, subprocess.Popen[bytes]]:
    if not args.py_spy:
        return {}
    return {name: spy(args.py_spy, pids[name], args.seconds, folder / f"{name}.txt") for name in PROFILED}


def _top(path: Path) -> list[dict[str, float | str]]:
    return top_frames(path.read_text(), 25) if path.exists() else []


def rest_http(base_url: str) -> httpx.AsyncClient:
    """A pooled client with room for every concurrent conversation."""
    return httpx.AsyncClient(base_url=base_url, timeout=300, limits=httpx.Limits(max_connections=100))


def main() -> int:
    """Start the stack, run, print CPU ms per turn per process."""
    args = parser().parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="profile-turn-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stack").mkdir(exist_ok=True)
    load = os.getloadavg()
    with running_stack(folder / "stack", args.redis_db, startup_seconds=1800) as stack:
        print("stack up", tree(stack.processes["rasa"].pid), flush=True)
        result = asyncio.run(run(stack, args, folder))
    result["loadavg_start_end"] = [round(load[0], 2), round(os.getloadavg()[0], 2)]
    (folder / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    short = {
        k: result[k]
        for k in ("turns", "failed", "turns_per_second", "cpu_ms_per_turn", "cpu_ms_per_turn_total")
    }
    print(json.dumps({**short, "loadavg": result["loadavg_start_end"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
