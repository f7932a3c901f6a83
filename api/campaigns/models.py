"""Tables of campaigns: the campaign and its steps, one send per account per step, and dead letters."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core.models import Base, UTCDateTime, new_id, utcnow


class Campaign(Base):
    """Who (a segment of rules), what and when (steps), inside which local hours, from start to end."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    segment: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The segment's rules (schemas.Segment as JSON), evaluated as SQL by segments.query."""
    window_start_hour: Mapped[int] = mapped_column(Integer)
    window_end_hour: Mapped[int] = mapped_column(Integer)
    """The send window in the debtor's local hours, narrowed further by the compliance gate's window."""
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    steps: Mapped[list["CampaignStep"]] = relationship(
        back_populates="campaign", order_by="CampaignStep.day_offset", cascade="all, delete-orphan"
    )


class CampaignStep(Base):
    """One step: `day_offset` days after the campaign starts, a message (a response name) per channel."""

    __tablename__ = "campaign_steps"
    __table_args__ = (UniqueConstraint("campaign_id", "day_offset"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    day_offset: Mapped[int] = mapped_column(Integer)
    messages: Mapped[dict[str, str]] = mapped_column(JSON)
    """Channel -> response name (templates.REMINDERS), e.g. {"sms": "utter_reminder_due_soon"}."""

    campaign: Mapped[Campaign] = relationship(back_populates="steps")


class CampaignSend(Base):
    """One account's message for one campaign step on one channel: the unique constraint is the
    idempotency key (a step with an SMS and an email message makes two sends per account)."""

    __tablename__ = "campaign_sends"
    __table_args__ = (UniqueConstraint("campaign_id", "step_id", "account_id", "channel"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(ForeignKey("campaign_steps.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outbound_message_id: Mapped[str | None] = mapped_column(String(36), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CampaignDeadLetter(Base):
    """A send that failed on every retry: kept for a person to look at, never retried by itself."""

    __tablename__ = "campaign_dead_letters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    send_id: Mapped[str] = mapped_column(ForeignKey("campaign_sends.id", ondelete="CASCADE"), unique=True)
    error: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CampaignDryRun(Base):
    """A dry run the worker carries out off the request: its progress while it runs, then its result."""

    __tablename__ = "campaign_dry_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[int | None] = mapped_column(Integer)
    """Accounts of the segment, once counted."""
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """schemas.DryRunOut as JSON, once done."""
    error: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
