"""Exactly once on a real task queue: Celery workers (separate processes) on Redis DB 12 and PostgreSQL.

Two workers plan the same campaign at once and race on every send; a worker killed mid-batch and a new
one started: every account gets its reminder, and none gets two. A large dry run runs on a worker while
the API answers at once and its GET polls the job.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from celery import Celery
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.accounts.models import Account, Debtor
from api.campaigns import celery_app, planner
from api.campaigns.celery_app import BATCH_TASK, PLAN_TASK, QUEUE, SEND_TASK
from api.campaigns.models import Campaign, CampaignSend
from api.campaigns.schemas import SendStatus
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.core.db import get_session_factory
from api.main import create_app
from api.staff.models import StaffUser
from tests.api.campaigns.helpers import (
    NON_US_NUMBER,
    ROUND_THE_WORLD,
    add_account,
    add_campaign,
    empty_campaign_tables,
    zone_in_hours,
)
from tests.api.compliance_helpers import empty_messaging_tables, pin_clock
from tests.api.handoff_helpers import make_staff
from tests.api.settings_helpers import api_settings
from tests.api.table_helpers import empty_tables
from tests.factories import API_TOKEN, SECRET_KEY
from tests.fakes.rasa_server import FakeRasa

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

REDIS_URL = "redis://127.0.0.1:6379/12"
REPO = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 120.0


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def broker() -> Iterator[Celery]:
    """A Celery client on Redis DB 12, emptied before and after."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is unreachable at {REDIS_URL}: {error}")
    connection.flushdb()
    client = Celery("campaign-tests", broker=REDIS_URL, set_as_current=False)
    client.conf.task_default_queue = QUEUE
    yield client
    client.close()
    connection.flushdb()


@pytest.fixture
def database(postgresql_url: str) -> Iterator[str]:
    """The session's PostgreSQL database, without campaigns or messages before and after."""
    _empty(postgresql_url)
    yield postgresql_url
    _empty(postgresql_url)


def _empty(url: str) -> None:
    empty_campaign_tables(url)
    empty_messaging_tables(url)
    empty_tables(url, Account, Debtor)


class Workers:
    """Celery worker processes started as the Procfile starts them, each with one process (solo pool)."""

    def __init__(self, database_url: str, rasa: FakeRasa, tmp_path: Path) -> None:
        self._env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "API_TOKEN": API_TOKEN,
            "SECRET_KEY": SECRET_KEY,
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_FILESYSTEM_FOLDER": str(tmp_path / "celery"),
            "CAMPAIGN_MAX_SPREAD_SECONDS": "0",
            "RASA_URL": rasa.url,
            "RASA_TOKEN": rasa.token,
        }
        self._tmp, self.processes = tmp_path, list[subprocess.Popen[bytes]]()

    def start(self, name: str) -> subprocess.Popen[bytes]:
        """One more worker named `name`."""
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "api.campaigns.celery_app",
            "worker",
            "--pool=solo",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
        log = (self._tmp / f"{name}.log").open("wb")
        process = subprocess.Popen(command, cwd=REPO, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        """Stop every worker still running (each by its own process id)."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(database: str, fake_rasa: FakeRasa, tmp_path: Path) -> Iterator[Workers]:
    """Worker processes on the test database and Redis DB 12, stopped at the end."""
    started = Workers(database, fake_rasa, tmp_path)
    yield started
    started.stop_all()


def _portfolio(database: str, accounts: int) -> Session:
    """Accounts in a zone where it is now business hours, and a campaign reaching all of them."""
    session = get_session_factory(database)()
    zone = zone_in_hours(datetime.now(UTC), ROUND_THE_WORLD)
    for n in range(accounts):
        add_account(session, phone=NON_US_NUMBER.format(n), time_zone=zone)
    now = datetime.now(UTC)
    add_campaign(session, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1))
    return session


def _count(session: Session, status: str | None = None) -> int:
    query = select(func.count()).select_from(CampaignSend)
    if status is not None:
        query = query.where(CampaignSend.status == status)
    session.expire_all()
    return int(session.scalar(query) or 0)


def _assert_exactly_once(session: Session, accounts: int) -> None:
    """Every account has one send, queued, and the outbox one message for it."""
    session.expire_all()
    sends = list(session.scalars(select(CampaignSend)))
    keys = list(session.scalars(select(OutboundMessage.idempotency_key)))
    assert len(sends) == len({send.account_id for send in sends}) == accounts
    assert {send.status for send in sends} == {SendStatus.QUEUED}
    assert sorted(keys) == sorted(f"campaign:{send.id}" for send in sends)
    per_number = session.execute(
        select(OutboundMessage.to_address, func.count()).group_by(OutboundMessage.to_address)
    ).all()
    assert len(per_number) == accounts and {count for _, count in per_number} == {1}


def test_two_workers_planning_and_sending_the_same_plan_send_once_per_account(
    database: str, broker: Celery, workers: Workers
) -> None:
    accounts = 60
    session = _portfolio(database, accounts)
    workers.start("one")
    workers.start("two")

    for _ in range(2):  # both workers plan at once
        broker.send_task(PLAN_TASK)
    wait_until(lambda: _count(session) == accounts, "the plan")
    for send_id in session.scalars(select(CampaignSend.id)).all():  # and every send is delivered twice more
        broker.send_task(SEND_TASK, args=[send_id])
        broker.send_task(SEND_TASK, args=[send_id])
    wait_until(lambda: _count(session, SendStatus.PLANNED) == 0, "every send")
    wait_until(lambda: broker.connection().default_channel.client.llen(QUEUE) == 0, "the queue to drain")

    _assert_exactly_once(session, accounts)
    session.close()


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    database: str, broker: Celery, workers: Workers
) -> None:
    accounts = 150
    session = _portfolio(database, accounts)

    def publish(sends: Sequence[tuple[str, datetime]]) -> None:
        ids = [send_id for send_id, _ in sends]
        for start in range(0, len(ids), 10):  # batches of ten
            broker.send_task(BATCH_TASK, args=[ids[start : start + 10]])

    config = planner.PlanConfig(max_spread_seconds=0)
    planner.plan(session, datetime.now(UTC), config, publish)
    first = workers.start("doomed")
    wait_until(lambda: _count(session, SendStatus.QUEUED) >= 20, "the first sends")

    first.send_signal(signal.SIGKILL)  # mid-batch: no warm shutdown, its reserved task unacknowledged
    first.wait()
    killed_at = _count(session, SendStatus.QUEUED)
    assert killed_at < accounts
    planner.plan(session, datetime.now(UTC), planner.PlanConfig(reschedule_after_seconds=0), publish)
    workers.start("replacement")
    wait_until(lambda: _count(session, SendStatus.PLANNED) == 0, "the rest of the batch")

    _assert_exactly_once(session, accounts)
    session.close()


DRY_RUN_ACCOUNTS = 40


@pytest.fixture
def api_client(database: str, broker: Celery, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The API on the workers' database, every dry run sent to the worker (none inline), Celery's
    producer on the workers' Redis (fresh connection pools, whatever earlier tests opened)."""
    app = celery_app.app
    monkeypatch.setitem(app.conf, "broker_url", REDIS_URL)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    settings: Settings = api_settings(database, CAMPAIGN_DRY_RUN_INLINE_MAX=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
    opened = getattr(app, "_pool", None)
    if opened is not None:
        opened.force_close_all()


def test_a_large_dry_run_runs_on_the_worker_while_the_api_answers_at_once(
    api_client: TestClient, database: str, workers: Workers
) -> None:
    client = api_client
    session = _portfolio(database, DRY_RUN_ACCOUNTS)
    campaign_id = session.scalars(select(Campaign.id)).one()
    marketer = make_staff(session, "marketing")
    headers = marketer.headers
    pin_clock(client, datetime.now(UTC))

    started = client.post(f"/api/v1/campaigns/{campaign_id}/dry-run", headers=headers)

    assert started.status_code == 202
    job = started.json()
    assert (job["status"], job["total"], job["result"]) == ("queued", DRY_RUN_ACCOUNTS, None)
    workers.start("dry-runner")

    def poll() -> dict[str, object]:
        return dict(
            client.get(f"/api/v1/campaigns/{campaign_id}/dry-run/{job['id']}", headers=headers).json()
        )

    wait_until(lambda: poll()["status"] == "done", "the dry run's result")
    result = poll()
    assert result["evaluated"] == DRY_RUN_ACCOUNTS
    assert result["result"]["channels"]["sms"]["reachable"] == DRY_RUN_ACCOUNTS  # type: ignore[index]
    session.execute(delete(StaffUser).where(StaffUser.id == marketer.id))
    session.commit()
    session.close()
