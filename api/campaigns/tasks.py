"""Celery tasks of campaigns: the periodic planner (beat), the sends of one minute (a bucket) or of one
step to one account, the reminder put on the debtor's Rasa tracker, and a large dry run. Each opens its
own session."""

import dataclasses
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from celery import Task
from sqlalchemy.orm import Session

from api.campaigns import dry_runs, planner, reminders, sending
from api.campaigns.celery_app import (
    BATCH_TASK,
    DRY_RUN_TASK,
    HEARTBEAT_TASK,
    INJECT_TASK,
    PLAN_TASK,
    SEND_TASK,
    app,
)
from api.campaigns.models import Campaign, CampaignDryRun
from api.compliance import gate as compliance
from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.handoffs.exceptions import RasaUnavailableError
from api.handoffs.rasa_client import RasaClient
from shared import heartbeat

logger = logging.getLogger(__name__)

INJECT_MAX_RETRIES = 5
CAMPAIGNS_HEARTBEAT = "campaigns"
"""The heartbeat's name: `python3 -m stack probe campaigns` reads its age (beat, broker and worker alive)."""


def schedule_sends(sends: Sequence[tuple[str, datetime]]) -> None:
    """Hand sends to the queue, one task per minute they are due in, over one broker connection."""
    with app.producer_or_acquire() as producer:
        for eta, send_ids in planner.buckets(sends):
            send_bucket.apply_async((send_ids,), eta=eta, producer=producer)


@app.task(name=PLAN_TASK)
def plan_campaigns() -> dict[str, int]:
    """One planning pass over every running campaign (beat runs it every CAMPAIGN_PLAN_INTERVAL_SECONDS)."""
    settings = get_settings()
    config = planner.PlanConfig.from_settings(settings)
    with get_session_factory(settings.DATABASE_URL)() as session:
        report = planner.plan(session, datetime.now(UTC), config, schedule_sends)
    return {"evaluated": report.evaluated, "planned": report.planned, "rescheduled": report.rescheduled}


@app.task(name=HEARTBEAT_TASK, expires=60)
def beat_heartbeat() -> None:
    """Record that beat scheduled, the broker delivered and this worker ran a task just now."""
    heartbeat.beat(get_settings().HEARTBEAT_DIR, CAMPAIGNS_HEARTBEAT)


def _give_up(send_id: str, error: Exception, attempts: int) -> None:
    settings = get_settings()
    with get_session_factory(settings.DATABASE_URL)() as session:
        sending.dead_letter(session, send_id, type(error).__name__, attempts, datetime.now(UTC))


def _deliver(send_id: str) -> sending.Outcome:
    """One send through the outbox, in its own session; what follows from it is queued."""
    settings = get_settings()
    config = compliance.GateConfig.from_settings(settings)
    with get_session_factory(settings.DATABASE_URL)() as session:
        outcome = sending.deliver(session, settings, send_id, datetime.now(UTC), config)
    if outcome.retry_at is not None:
        send_step.apply_async((send_id,), eta=outcome.retry_at)
    if outcome.reminder is not None:
        inject_reminder.delay(dataclasses.asdict(outcome.reminder))
    return outcome


@app.task(name=BATCH_TASK)
def send_bucket(send_ids: list[str]) -> dict[str, int]:
    """The sends due in one minute, one after the other; one that fails on a transient error is handed
    to `send_step`, which retries it with backoff. A bucket run again skips what is already done."""
    settings = get_settings()
    counts: dict[str, int] = {}
    for send_id in send_ids:
        try:
            status = _deliver(send_id).status
        except sending.TRANSIENT_ERRORS:
            status = "retry"
            send_step.apply_async((send_id,), countdown=settings.CAMPAIGN_RETRY_BACKOFF_SECONDS)
        counts[status] = counts.get(status, 0) + 1
    return counts


@app.task(bind=True, name=SEND_TASK, max_retries=None)
def send_step(self: Task[Any, Any], send_id: str) -> str:
    """Queue one send's message through the outbox; retries transient errors, then a dead letter."""
    settings = get_settings()
    try:
        return _deliver(send_id).status
    except sending.TRANSIENT_ERRORS as error:
        retries = int(self.request.retries)
        delay = sending.retry_in(
            retries, settings.CAMPAIGN_SEND_MAX_RETRIES, settings.CAMPAIGN_RETRY_BACKOFF_SECONDS
        )
        if delay is None:
            _give_up(send_id, error, retries + 1)
            return "dead"
        raise self.retry(exc=error, countdown=delay.total_seconds()) from error


@app.task(bind=True, name=INJECT_TASK, max_retries=INJECT_MAX_RETRIES)
def inject_reminder(self: Task[Any, Any], reminder: dict[str, str]) -> None:
    """Put a queued reminder on the debtor's Rasa tracker; retried with backoff while Rasa is away."""
    client = RasaClient.from_settings(get_settings())
    try:
        reminders.inject(client, sending.Reminder(**reminder))
    except RasaUnavailableError as error:
        logger.warning("reminder not put on the tracker", extra={"send_id": reminder["send_id"]})
        raise self.retry(exc=error, countdown=sending.backoff(int(self.request.retries), 5.0)) from error


@app.task(name=DRY_RUN_TASK)
def dry_run_job(job_id: str, now: str) -> str:
    """Carry out a dry run the API queued, as of the instant it was asked for; its final status."""
    settings = get_settings()
    config = compliance.GateConfig.from_settings(settings)
    with get_session_factory(settings.DATABASE_URL)() as session:
        job = dry_runs.execute(session, settings, job_id, datetime.fromisoformat(now), config)
        return job.status if job is not None else "missing"


def start_dry_run(
    session: Session, settings: Settings, campaign: Campaign, staff_id: str | None, now: datetime
) -> CampaignDryRun:
    """A dry run of the campaign: carried out here when the segment is small, else queued for the worker;
    committed either way."""
    job = dry_runs.create(session, campaign, staff_id, now)
    session.commit()
    if dry_runs.inline(settings, job):
        dry_runs.execute(session, settings, job.id, now, compliance.GateConfig.from_settings(settings))
    else:
        dry_run_job.apply_async((job.id, now.isoformat()))
    return job
