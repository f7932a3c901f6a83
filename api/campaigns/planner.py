"""The planner: finds the (account, step) pairs that are due, records one send for each, schedules it.

One set-based query per running campaign finds the accounts of its segment that have no send for the
current step yet. Each new send gets a time inside the debtor's allowed window, in every time zone they
could be in (the campaign's hours narrowed by the gate's), spread over that window by a hash of the send's
id rather than all at its first minute. Rows are inserted with ON CONFLICT DO NOTHING on the unique
(campaign, step, account), so planners running at once never create two sends for one pair, and only the
planner whose insert created a row schedules it. A send still planned long after its time (the task was
lost with a killed worker) is scheduled again; sending it twice is harmless (sending.deliver).
"""

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Row, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from api.accounts.models import Account, Debtor
from api.campaigns import segments, service
from api.campaigns.models import Campaign, CampaignSend, CampaignStep
from api.campaigns.schemas import SendStatus
from api.compliance import gate as compliance
from api.core.config import Settings
from api.core.models import new_id
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

Schedule = Callable[[Sequence[tuple[str, datetime]]], None]
"""Hands sends to the task queue, each to run at (or after) its instant."""
Window = tuple[datetime, datetime]
SegmentRow = Row[str, str, str, str | None, str | None]


@dataclass(frozen=True)
class PlanConfig:
    """How the planner spreads and batches sends."""

    gate: compliance.GateConfig = compliance.DEFAULT_CONFIG
    max_spread_seconds: float | None = None
    reschedule_after_seconds: float = 900.0
    batch_size: int = 1000

    @classmethod
    def from_settings(cls, settings: Settings) -> "PlanConfig":
        """The planner's configuration from the API settings."""
        return cls(
            gate=compliance.GateConfig.from_settings(settings),
            max_spread_seconds=settings.CAMPAIGN_MAX_SPREAD_SECONDS,
            reschedule_after_seconds=settings.CAMPAIGN_RESCHEDULE_AFTER_SECONDS,
        )


@dataclass
class PlanReport:
    """Counts of one planning pass."""

    evaluated: int = 0
    planned: int = 0
    rescheduled: int = 0
    no_window: int = 0
    campaigns: list[str] = field(default_factory=list)


def hour_to_time(hour: int) -> time:
    """A whole local hour as a wall time; 24 is the day's last second."""
    return time(hour) if hour < 24 else time(23, 59, 59)


BUCKET = timedelta(minutes=1)
"""Sends due in the same minute go to the queue as one task (buckets), run at the latest of their times."""


def spread(send_id: str, window: Window, max_seconds: float | None) -> datetime:
    """A stable point of the window for this send (the same id always gets the same time), at least a
    bucket's length before the window closes, so a bucket that runs up to a minute late is still inside."""
    start, end = window
    length = max((end - start - BUCKET).total_seconds(), 0.0)
    if max_seconds is not None:
        length = min(length, max_seconds)
    fraction = int(hashlib.sha256(send_id.encode()).hexdigest()[:8], 16) / 2**32
    return start + timedelta(seconds=fraction * length)


def buckets(sends: Sequence[tuple[str, datetime]]) -> list[tuple[datetime, list[str]]]:
    """Sends grouped by the minute they are due in: (the latest time in the group, its send ids)."""
    groups: dict[datetime, list[tuple[str, datetime]]] = {}
    for send_id, eta in sends:
        groups.setdefault(eta.replace(second=0, microsecond=0), []).append((send_id, eta))
    return [(max(eta for _, eta in group), [send_id for send_id, _ in group]) for group in groups.values()]


class Windows:
    """The allowed window of each (zones, jurisdiction), computed once per pass and campaign."""

    def __init__(self, campaign: Campaign, now: datetime, config: PlanConfig) -> None:
        self._campaign, self._now, self._config = campaign, now, config
        self._cache: dict[tuple[tuple[str, ...], str | None], Window | None] = {}

    @property
    def max_spread_seconds(self) -> float | None:
        """How far into the window sends may be spread."""
        return self._config.max_spread_seconds

    def of(self, zones: tuple[str, ...], jurisdiction: str | None) -> Window | None:
        """The first stretch from now on inside the campaign's and the gate's hours in every zone."""
        key = (zones, jurisdiction)
        if key not in self._cache:
            self._cache[key] = self._compute(zones, jurisdiction)
        return self._cache[key]

    def _compute(self, zones: tuple[str, ...], jurisdiction: str | None) -> Window | None:
        earliest, latest = compliance.contact_hours_of(self._config.gate, jurisdiction)
        earliest = max(earliest, hour_to_time(self._campaign.window_start_hour))
        latest = min(latest, hour_to_time(self._campaign.window_end_hour))
        return compliance.next_allowed_window(self._now, zones, earliest, latest)


def _missing(campaign: Campaign, step: CampaignStep, channel: str) -> ColumnElement[bool]:
    """The account has no send for this step on `channel` (and, for email, an address to send to)."""
    planned = exists().where(
        CampaignSend.campaign_id == campaign.id,
        CampaignSend.step_id == step.id,
        CampaignSend.account_id == Account.id,
        CampaignSend.channel == channel,
    )
    return ~planned & Debtor.email.is_not(None) if channel == Channel.EMAIL else ~planned


def _unplanned(campaign: Campaign, step: CampaignStep, now: datetime) -> Any:
    """The segment's accounts still without a send for this step on one of its channels (a debtor who
    gives an email address later gets the step's email too)."""
    missing = [_missing(campaign, step, channel) for channel in step.messages]
    return segments.query(service.segment_of(campaign), now.date()).where(or_(*missing))


def zones(row: SegmentRow, channel: str) -> tuple[str, ...]:
    """The zones the gate reads for a message on `channel`: a number's prefix counts on SMS only."""
    return compliance.zones_of(row.timezone, row.phone if channel == Channel.SMS else None)


def reachable(row: SegmentRow, channel: str) -> bool:
    """Whether the account has an address on the channel (an email step needs an address on file)."""
    return channel != Channel.EMAIL or bool(row.email)


def _values(
    campaign: Campaign, step: CampaignStep, row: SegmentRow, channel: str, windows: Windows, now: datetime
) -> dict[str, Any]:
    """The new send of one account on one channel; without a window it is due now, so the gate records
    why not."""
    send_id = new_id()
    window = windows.of(zones(row, channel), row.jurisdiction)
    eta = spread(send_id, window, windows.max_spread_seconds) if window else now
    return {
        "id": send_id,
        "campaign_id": campaign.id,
        "step_id": step.id,
        "account_id": row.id,
        "channel": channel,
        "status": SendStatus.PLANNED,
        "scheduled_for": eta,
        "attempts": 0,
        "created_at": now,
    }


def insert_new(session: Session, values: Sequence[dict[str, Any]]) -> list[tuple[str, datetime]]:
    """Insert sends, skipping pairs that already have one; (id, time) of the rows this call created.

    One statement, compiled once and run over all rows (SQLAlchemy's "insertmanyvalues").
    """
    if not values:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(CampaignSend)
        .on_conflict_do_nothing(index_elements=["campaign_id", "step_id", "account_id", "channel"])
        .returning(CampaignSend.id, CampaignSend.scheduled_for)
    )
    result = session.connection().execute(statement, list(values))
    return [(row.id, row.scheduled_for) for row in result]


def batched(rows: Sequence[SegmentRow], size: int) -> Iterator[Sequence[SegmentRow]]:
    """Consecutive slices of at most `size` rows."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _rows(
    session: Session, campaign: Campaign, step: CampaignStep, now: datetime, size: int
) -> Iterator[Sequence[SegmentRow]]:
    """The unplanned accounts in batches, read in one query."""
    result = session.execute(_unplanned(campaign, step, now))
    return batched(result.all(), size)


def plan_step(
    session: Session,
    campaign: Campaign,
    step: CampaignStep,
    now: datetime,
    config: PlanConfig,
    schedule: Schedule,
    report: PlanReport,
) -> None:
    """Record the step's sends batch by batch (each committed), then schedule them all at once, so the
    sends of one minute make one task whatever batch they were in (a crash in between: reschedule_lost)."""
    windows, created = Windows(campaign, now, config), list[tuple[str, datetime]]()
    channels = list(step.messages)
    for batch in _rows(session, campaign, step, now, config.batch_size):
        pairs = [(row, channel) for row in batch for channel in channels if reachable(row, channel)]
        values = [_values(campaign, step, row, channel, windows, now) for row, channel in pairs]
        created += insert_new(session, values)
        session.commit()
        report.evaluated += len(batch)
        report.no_window += sum(1 for value in values if value["scheduled_for"] == now)
    report.planned += len(created)
    if created:
        schedule(created)


def reschedule_lost(
    session: Session, now: datetime, config: PlanConfig, schedule: Schedule, report: PlanReport
) -> None:
    """Schedule again every send still planned well after its time (its task died with a worker)."""
    overdue = now - timedelta(seconds=config.reschedule_after_seconds)
    query = select(CampaignSend.id).where(
        CampaignSend.status == SendStatus.PLANNED, CampaignSend.scheduled_for <= overdue
    )
    lost = [(send_id, now) for send_id in session.scalars(query).all()]
    if lost:
        schedule(lost)
    report.rescheduled += len(lost)


def plan(session: Session, now: datetime, config: PlanConfig, schedule: Schedule) -> PlanReport:
    """One planning pass over every running campaign, then the lost sends."""
    report = PlanReport()
    for campaign in service.running_campaigns(session, now):
        step = service.current_step(campaign, now)
        if step is not None:
            report.campaigns.append(campaign.id)
            plan_step(session, campaign, step, now, config, schedule, report)
    reschedule_lost(session, now, config, schedule, report)
    logger.info(
        "campaigns planned",
        extra={"evaluated": report.evaluated, "planned": report.planned, "rescheduled": report.rescheduled},
    )
    return report
