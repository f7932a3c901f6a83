"""`python -m tests.conversations dev`: start the stack as `make run` does, run a split's conversations.

Each conversation starts from fresh demo accounts (every table back to the rows `api.seed` wrote at
start, the demo phones' Rasa trackers deleted). Writes reports/conversations_<split>.json and prints a
short table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.conversations import report
from tests.conversations.runner import Result, reset, run, snapshot
from tests.conversations.spec import SPLITS, Conversation, split
from tests.integration.running import ROOT, Stack, running_stack

REDIS_DB = 12


def model_name() -> str:
    """The model the stack loads (the newest in models/)."""
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1].name if models else "none"


def run_all(stack: Stack, conversations: list[Conversation]) -> list[Result]:
    """Each conversation from fresh demo accounts, progress on stderr."""
    results, seeded = [], snapshot(stack)
    for conversation in conversations:
        reset(stack, seeded, REDIS_DB)
        result = run(stack, conversation)
        print(f"{conversation.name}: {'reached' if result.reached_end else 'NOT reached'}", file=sys.stderr)
        results.append(result)
    return results


def run_split(name: str, only: list[str] | None = None, output: Path | None = None) -> list[Result]:
    """Start the stack, run the split (or the named conversations of it), write the report."""
    conversations = [c for c in split(name) if not only or c.name in only]
    with (
        tempfile.TemporaryDirectory(prefix="conversations-") as tmp,
        running_stack(Path(tmp), REDIS_DB, flush=False) as stack,
    ):
        results = run_all(stack, conversations)
    path = output or ROOT / "reports" / f"conversations_{name}.json"
    report.write(path, name, model_name(), results)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run a split; 0 when the runner worked (the pass rate is reported, not judged), 2 without a model."""
    parser = argparse.ArgumentParser(prog="python -m tests.conversations", description=__doc__)
    parser.add_argument("split", choices=list(SPLITS))
    parser.add_argument("--only", nargs="*", help="run only these conversations (file names without .yml)")
    args = parser.parse_args(argv)
    if model_name() == "none":
        print("no trained model in models/: run `make train` first", file=sys.stderr)
        return 2
    results = run_split(args.split, args.only)
    print(report.table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
