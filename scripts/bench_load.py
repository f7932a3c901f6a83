"""The load bench (issue #15): our stack, started as `make run` starts it, and Rasa's starter bot as the
anchor, driven in the same run by one asyncio load generator with whole conversations (verification,
balance, plan negotiation, goodbye) over REST, signed Twilio webhooks and socket.io.

Reports turns/s, p50/p95/p99 turn latency, CPU ms per turn and RSS per process at each concurrency,
ours vs the starter bot, into reports/bench.json, and prints a markdown table. Every conversation is
checked to have reached its end (ours: verified, balance told, plan set up; the starter bot's: every turn
answered); when one did not, bench.json's `conversations_check` carries a WARNING naming the levels, the
table starts with it, and the exit status is 1. Run with the bot environment (Rasa for `rasa init`):

    .venv/bot/bin/python scripts/bench_load.py            # 1, 8, 32 concurrent, 2 rounds each
    .venv/bot/bin/python scripts/bench_load.py --quick    # 1 and 4 concurrent, 1 round
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.loadbench import report  # noqa: E402
from scripts.loadbench.anchor import initialise, running_anchor  # noqa: E402
from scripts.loadbench.bench import CHANNELS, Settings, bench, machine, model_name  # noqa: E402
from tests.integration.running import running_stack  # noqa: E402

REDIS_DB = 6
"""The bench's own Redis database for Rasa's tracker and lock stores (flushed at start)."""
STARTUP_SECONDS = 1800
"""Rasa loads its model in about a minute on an idle machine, but in many on a shared, loaded one."""


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--quick", action="store_true", help="1 and 4 concurrent, one round: a smoke run")
    cli.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    cli.add_argument("--rounds", type=int, default=2, help="conversations per level = rounds x concurrency")
    cli.add_argument("--channels", nargs="+", choices=CHANNELS, default=list(CHANNELS))
    cli.add_argument("--anchor-dir", type=Path, help="reuse a starter bot folder (`rasa init` runs if empty)")
    cli.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.json")
    return cli


def settings_of(args: argparse.Namespace) -> Settings:
    """The levels to run: --quick overrides --levels and --rounds."""
    if args.quick:
        return Settings((1, 4), 1, tuple(args.channels), profile_seconds=10)
    return Settings(tuple(args.levels), args.rounds, tuple(args.channels))


def run(settings: Settings, work: Path, anchor_dir: Path) -> dict[str, Any]:
    """Start both bots (the starter bot trains while our stack starts), bench them, stop them."""
    init = initialise(anchor_dir)
    conditions = machine()
    with (
        running_stack(work / "stack", REDIS_DB, startup_seconds=STARTUP_SECONDS) as stack,
        running_anchor(anchor_dir, init) as anchor,
    ):
        result = asyncio.run(bench(stack, anchor, settings, work))
    return {"machine": conditions, "model": model_name(ROOT), "settings": vars(settings), **result}


def main() -> int:
    """Run, write the JSON, print the table."""
    args = parser().parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (work / "stack").mkdir()
    result = run(settings_of(args), work, args.anchor_dir or work / "anchor")
    result["cpu_ratio_ours_over_anchor"] = report.ratios(result["levels"])
    result["conversations_check"] = check = report.check(result["levels"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(report.markdown(result))
    print(f"\n{args.out} written; the services' logs are in {work}")
    if not check["all_completed"]:
        print(f"\nWARNING: {check['WARNING']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
