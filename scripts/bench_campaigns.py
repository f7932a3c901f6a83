"""Benchmark campaign planning on PostgreSQL: accounts evaluated per second, and the time to enqueue.

Usage: python scripts/bench_campaigns.py [--accounts 100000] [--broker redis://127.0.0.1:6379/15]
       [--admin-url postgresql://postgres@127.0.0.1:5432/postgres] [--database NAME] [--out FILE]

Unattended (`make bench`): creates its own database on the local PostgreSQL (a fresh name unless
--database is given), migrates it, seeds N debtors and accounts across six US time zones (numbers
whose area code matches the zone), creates one campaign reaching all of them, and runs one planning pass
(api.campaigns.planner.plan): the segment query, each debtor's window and spread time, and the inserts of
the sends. Every send is handed to the task queue as the beat-run planner does (with --broker, published
to that Celery broker; without, to a no-op, to time the planning alone). Prints JSON: accounts evaluated
per second (the whole pass, enqueueing included), the planning time without the enqueueing, the enqueue
time and rate, to stdout and to --out. Drops the database and purges what it published from the broker's
queue at the end, whatever happened. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from celery import Celery
from psycopg import sql
from sqlalchemy import insert
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic import command
from alembic.config import Config

from api.accounts.models import Account, Debtor
from api.campaigns import planner, service
from api.campaigns.celery_app import BATCH_TASK, QUEUE
from api.campaigns.schemas import CampaignIn
from api.core.db import dispose_engine, get_engine, get_session_factory
from api.core.models import new_id

ZONES = {
    "212": "America/New_York",
    "312": "America/Chicago",
    "303": "America/Denver",
    "415": "America/Los_Angeles",
    "907": "America/Anchorage",
    "808": "Pacific/Honolulu",
}
BATCH = 5000


def create_database(admin_url: str, name: str) -> str:
    """A fresh database `name`; its SQLAlchemy URL."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str, url: str) -> None:
    """Close our connections to the database, then drop it."""
    dispose_engine(url)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def migrate(url: str) -> None:
    """Alembic to head."""
    config = Config(str(Path(__file__).resolve().parents[1] / "alembic.ini"))
    config.attributes["database_url"], config.attributes["configure_logger"] = url, False
    command.upgrade(config, "head")


def _rows(start: int, stop: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    debtors, accounts = [], []
    areas = list(ZONES)
    for n in range(start, stop):
        area = areas[n % len(areas)]
        debtor_id = new_id()
        phone = f"+1{area}{200 + n // 10000}{n % 10000:04d}"
        debtors.append(
            {
                "id": debtor_id,
                "first_name": "A",
                "last_name": "B",
                "phone": phone,
                "timezone": ZONES[area],
                "dob_hash": "d",
                "zip_hash": "z",
                "ssn_last4_hash": "s",
                "failed_verifications": 0,
            }
        )
        accounts.append(
            {
                "id": new_id(),
                "debtor_id": debtor_id,
                "reference": f"B-{n}",
                "creditor": "Northwind Bank",
                "original_creditor": "Northwind Bank Visa",
                "principal": Decimal("500.00"),
                "interest": Decimal(0),
                "fees": Decimal(0),
                "currency": "USD",
                "due_date": date.today() + timedelta(days=n % 10),
                "days_past_due": 0,
                "time_barred": False,
                "audit_length": 0,
                "audit_head": "0" * 64,
            }
        )
    return debtors, accounts


def seed(url: str, count: int) -> None:
    """`count` debtors with one account each, in batches."""
    with get_engine(url).begin() as connection:
        for start in range(0, count, BATCH):
            debtors, accounts = _rows(start, min(start + BATCH, count))
            connection.execute(insert(Debtor), debtors)
            connection.execute(insert(Account), accounts)


def add_campaign(url: str, now: datetime) -> None:
    """A due-within-10-days reminder reaching every seeded account."""
    data = CampaignIn.model_validate(
        {
            "name": "bench",
            "segment": {"due_in_days": 10},
            "steps": [{"day_offset": 0, "messages": {"sms": "utter_reminder_due_soon"}}],
            "starts_at": now - timedelta(minutes=1),
            "ends_at": now + timedelta(days=7),
        }
    )
    with get_session_factory(url)() as session:
        service.create(session, data, None)
        session.commit()


class Enqueue:
    """The planner's schedule callback: publishes each send (or not), timing only the publishing."""

    def __init__(self, broker: str | None) -> None:
        self.app = Celery("bench", broker=broker, set_as_current=False) if broker else None
        self.seconds, self.count, self.messages = 0.0, 0, 0

    def __call__(self, sends: Sequence[tuple[str, datetime]]) -> None:
        started = time.perf_counter()
        if self.app is not None:
            with self.app.producer_or_acquire() as producer:
                for eta, send_ids in planner.buckets(sends):  # as tasks.schedule_sends does
                    self.app.send_task(BATCH_TASK, args=[send_ids], eta=eta, queue=QUEUE, producer=producer)
                    self.messages += 1
        self.seconds += time.perf_counter() - started
        self.count += len(sends)

    def purge(self) -> int:
        """Take back every message published to the queue (nothing is meant to be sent); how many."""
        if self.app is None:
            return 0
        with self.app.connection_for_write() as connection:
            return int(connection.default_channel.queue_purge(QUEUE) or 0)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--broker", default=None, help="a Celery broker URL to publish the sends to")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default=None, help="default: campaigns_bench_<random>")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    return parser.parse_args()


def run(url: str, accounts: int, enqueue: Enqueue) -> dict[str, Any]:
    """Migrate, seed, plan once; the figures."""
    migrate(url)
    started = time.perf_counter()
    seed(url, accounts)
    seeded = time.perf_counter() - started
    now = datetime.now(UTC)
    add_campaign(url, now)
    with get_session_factory(url)() as session:
        started = time.perf_counter()
        report = planner.plan(session, now, planner.PlanConfig(), enqueue)
        elapsed = time.perf_counter() - started
    return {
        "accounts": accounts,
        "seed_seconds": round(seeded, 1),
        "evaluated": report.evaluated,
        "planned": report.planned,
        "pass_seconds": round(elapsed, 2),
        "accounts_evaluated_per_second": round(report.evaluated / elapsed),
        "planning_seconds_without_enqueue": round(elapsed - enqueue.seconds, 2),
        "enqueue_seconds": round(enqueue.seconds, 2),
        "enqueued": enqueue.count,
        "queue_messages": enqueue.messages,
        "enqueue_per_second": round(enqueue.count / enqueue.seconds)
        if enqueue.app and enqueue.seconds
        else None,
    }


def main() -> int:
    """Create the database, seed, plan once, print (and write) the figures; drop the database."""
    args = _arguments()
    name = args.database or f"campaigns_bench_{uuid.uuid4().hex[:8]}"
    url = create_database(args.admin_url, name)
    enqueue = Enqueue(args.broker)
    try:
        figures = run(url, args.accounts, enqueue)
    finally:
        purged = enqueue.purge()
        drop_database(args.admin_url, name, url)
    figures |= {"broker": args.broker or "none (planning only)", "purged_from_queue": purged}
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
