"""`python -m api.insights export-nlu --out FILE`: reviewers' labelled messages as Rasa NLU training data;
`python -m api.insights ingest`: one ingest pass from Rasa's event broker (the worker runs it periodically).

Nothing is written into data/ unless asked: the path is the caller's choice.
"""

import argparse
import logging
from datetime import UTC, datetime
from pathlib import Path

from api.core.config import get_settings
from api.core.db import get_session_factory
from api.insights import ingest, labels


def parser() -> argparse.ArgumentParser:
    """The two commands."""
    cli = argparse.ArgumentParser(prog="python -m api.insights", description=__doc__)
    commands = cli.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export-nlu", help="write labelled messages as NLU training data")
    export.add_argument("--out", type=Path, required=True, help="e.g. data/nlu/reviewed.yml")
    commands.add_parser("ingest", help="ingest Rasa's event broker once")
    return cli


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    with get_session_factory(settings.DATABASE_URL)() as session:
        if args.command == "export-nlu":
            print(f"wrote {labels.export(session, args.out)} examples to {args.out}")
            return 0
        report = ingest.run_pass(settings, session, datetime.now(UTC))
        print(f"ingested {report.events} events (high-water mark {report.last_event_id})")
    return 0
