"""Request and response bodies of the campaign routes, and the segment's rules."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from api.campaigns import templates
from shared.vocabulary import Channel


class CampaignStatus(StrEnum):
    """A campaign's life: active <-> paused, then stopped for good."""

    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class SendStatus(StrEnum):
    """A send's life: planned -> queued (in the outbox) | blocked (by the gate) | cancelled | dead."""

    PLANNED = "planned"
    QUEUED = "queued"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    DEAD = "dead"


class PastDue(StrEnum):
    """Bands of days past due."""

    DAYS_1_30 = "1-30"
    DAYS_31_90 = "31-90"


SEND_CHANNELS = frozenset({Channel.SMS, Channel.EMAIL})
"""Channels a campaign sends on: a step names a response per channel, each a send of its own."""


class Segment(BaseModel):
    """Which accounts a campaign reaches: every rule given must hold (an empty segment is everyone)."""

    model_config = ConfigDict(extra="forbid")

    due_in_days: int | None = Field(default=None, ge=0, le=365)
    """Due today or within this many days (UTC calendar days)."""
    past_due: PastDue | None = None
    instalment_missed: bool = False
    """An active plan whose first payment date has passed with no payment through a link since."""
    promise_broken: bool = False
    """A promised date has passed with no payment through a link since the promise."""
    balance_min: Decimal | None = Field(default=None, ge=0)
    balance_max: Decimal | None = Field(default=None, ge=0)
    creditors: list[str] = []
    consent_channel: Channel | None = Channel.SMS
    """Only debtors who have not opted out on this channel (None: do not look)."""


class StepIn(BaseModel):
    """A step: days after the start, and the response each channel sends."""

    day_offset: int = Field(ge=0, le=365)
    messages: dict[Channel, str]

    @field_validator("messages")
    @classmethod
    def _known(cls, messages: dict[Channel, str]) -> dict[Channel, str]:
        if not messages:
            raise ValueError("a step needs a message on at least one channel")
        for channel, name in messages.items():
            if channel not in SEND_CHANNELS:
                raise ValueError(f"campaigns do not send on {channel} yet")
            if not templates.known(name):
                raise ValueError(f"unknown response {name!r}")
        return messages


class CampaignIn(BaseModel):
    """A new campaign."""

    name: str = Field(min_length=1, max_length=200)
    segment: Segment
    steps: list[StepIn] = Field(min_length=1, max_length=20)
    window_start_hour: int = Field(default=9, ge=0, le=23)
    window_end_hour: int = Field(default=20, ge=1, le=24)
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.window_start_hour >= self.window_end_hour:
            raise ValueError("window_start_hour must be before window_end_hour")
        if self.starts_at >= self.ends_at:
            raise ValueError("starts_at must be before ends_at")
        if len({step.day_offset for step in self.steps}) != len(self.steps):
            raise ValueError("two steps have the same day_offset")
        return self


class StepOut(BaseModel):
    """A stored step."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    day_offset: int
    messages: dict[str, str]


class CampaignOut(BaseModel):
    """A stored campaign."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    segment: Segment
    steps: list[StepOut]
    window_start_hour: int
    window_end_hour: int
    starts_at: datetime
    ends_at: datetime
    status: CampaignStatus
    created_at: datetime


class ChannelDryRunOut(BaseModel):
    """What a step's message on one channel would do if it were sent now."""

    evaluated: int
    reachable: int
    suppressed: int
    reasons: dict[str, int]
    """Gate reason (or `no_email_address`) -> accounts it stops (an account can have several reasons)."""


class DryRunOut(BaseModel):
    """What a campaign's current (or first) step would do if it were sent now, per channel."""

    step_id: str
    evaluated: int
    """Accounts of the segment."""
    channels: dict[str, ChannelDryRunOut]


class DryRunStatus(StrEnum):
    """A dry run's life off the request: queued -> running -> done | failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DryRunJobOut(BaseModel):
    """A dry run started by POST and polled by GET: its progress, then its result."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    campaign_id: str
    status: DryRunStatus
    total: int | None
    evaluated: int
    result: DryRunOut | None
    created_at: datetime
    finished_at: datetime | None


class ChannelReportOut(BaseModel):
    """What a campaign's messages on one channel did: delivered from Twilio's callbacks on SMS; on email,
    accepted by the relay and not bounced (bounces arrive later: api.messaging.bounces)."""

    sent: int
    delivered: int
    bounced: int
    failed: int
    suppressed: int


class ReportOut(BaseModel):
    """What a campaign did so far, in all and per channel."""

    targeted: int
    planned: int
    suppressed: int
    suppressed_by_reason: dict[str, int]
    sent: int
    delivered: int
    failed: int
    dead_letters: int
    replied: int
    converted: dict[str, int]
    """payment, plan, promise: after the account's first campaign message was queued."""
    opted_out: int
    by_channel: dict[str, ChannelReportOut] = {}
