"""The production profile under load (issue #15): 2 Rasa and 2 action servers behind nginx, as run-prod.

The stack is started exactly as the profile's integration test starts it (tests/integration/prod_running.py:
stack/prod.py's Procfile.prod expansion, nginx from deploy/nginx.conf.template, PostgreSQL and Redis of its
own), and the same load generator as `make bench` (scripts/loadbench) drives whole REST conversations
(reference, date of birth, ZIP, balance, a plan offer, yes, bye) through nginx's internal listener:

    .venv/bot/bin/python scripts/bench_prod.py --levels 8 16 32 --rounds 2

It prints, and writes to reports/bench_prod.json, turns/s, p50/p95/p99 and CPU per turn per process at each
level, so the target "with 2 Rasa processes >= 25 turns/s at p95 <= 500 ms" is read off one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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
from tests.integration.prod_running import ProdStack, nginx_or_skip, running_prod_stack  # noqa: E402

MEASURED = ("rasa1", "rasa2", "actions1", "actions2", "api", "worker", "nginx")


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--levels", type=int, nargs="+", default=[8, 16, 32])
    cli.add_argument("--rounds", type=int, default=2, help="conversations per level = rounds x concurrency")
    cli.add_argument("--out", type=Path, default=ROOT / "reports" / "bench_prod.json")
    return cli


def api_url(stack: ProdStack) -> str:
    """The API's own port (the accounts are created there, as an operator's import would)."""
    return f"http://127.0.0.1:{stack.env['API_PORT']}"


def pids_of(stack: ProdStack) -> dict[str, int]:
    """The measured processes that this profile runs (nginx's master and workers as one tree)."""
    return {name: stack.processes[name].pid for name in MEASURED if name in stack.processes}


async def run(stack: ProdStack, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Warm both Rasa copies up, then measure each level with fresh debtors."""
    needed = 2 + sum(level * args.rounds for level in args.levels)
    debtors = await accounts.create(api_url(stack), stack.env["API_TOKEN"], needed)
    scripts = scripts_for(debtors)
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=stack.rasa_url, timeout=300, limits=limits) as http:
        await measure(Plan(2, range(2), scripts), lambda n: RestClient(http), {})
        levels, start = [], 2
        for level in args.levels:
            count = level * args.rounds
            plan = Plan(level, range(start, start + count), scripts)
            measured = await measure(plan, lambda n: RestClient(http), pids_of(stack))
            levels.append({"concurrent": level, **measured})
            start += count
            print(json.dumps(summary(levels[-1])), flush=True)
    return levels


def scripts_for(debtors: list[Debtor]) -> Any:
    """Each conversation's REST script, by number."""
    return lambda number: script("rest", debtors[number])


def summary(level: dict[str, Any]) -> dict[str, Any]:
    """The figures the README table takes."""
    keys = ("concurrent", "completed", "conversations", "turns_per_second", "p50_ms", "p95_ms", "p99_ms")
    return {**{key: level.get(key) for key in keys}, "cpu_ms_per_turn": level["cpu_ms_per_turn"]}


def under_load(tmp: Path, nginx: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The profile started in `tmp`, measured, stopped."""
    with running_prod_stack(tmp, nginx) as stack:
        return asyncio.run(run(stack, args))


def main() -> int:
    """Start the profile, run the levels, write the report; 1 when a conversation did not complete."""
    args = parser().parse_args()
    nginx = nginx_or_skip()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-prod-") as tmp:
        levels = under_load(Path(tmp), nginx, args)
    report = {"profile": "run-prod, 2 Rasa + 2 action servers behind nginx", "levels": levels}
    report["loadavg_start_end"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if all(level["completed"] == level["conversations"] for level in levels) else 1


if __name__ == "__main__":
    sys.exit(main())
