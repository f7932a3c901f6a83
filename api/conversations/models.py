"""Tables of conversations: a debtor's address on a channel (contact), and the messages both ways."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core.models import Base, UTCDateTime, new_id, utcnow


class Contact(Base):
    """A debtor's address on one channel: its opaque conversation id, opt-out state, last offered buttons.

    `address` is the E.164 number for SMS (the only place a phone number is kept besides the debtor), the
    lower-cased email address for email, and the conversation id itself for webchat. Opt-outs apply per
    channel and address (and an opt-out on any channel stops reminders on all: api.compliance.gate).
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(254))
    conversation_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opted_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opt_out_source: Mapped[str | None] = mapped_column(String(32))
    opt_out_confirmation_id: Mapped[str | None] = mapped_column(String(36))
    """The one outbound message the compliance gate lets through after the opt-out: its confirmation."""
    last_buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    undeliverable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """An email address a hard bounce said does not exist (api.messaging.bounces): no more email to it."""
    undeliverable_status: Mapped[str | None] = mapped_column(String(16))
    """The bounce's enhanced status code, e.g. 5.1.1."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundMessage(Base):
    """A message a debtor sent us, stored before it is processed; a repeated provider id is a retry."""

    __tablename__ = "inbound_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_address: Mapped[str | None] = mapped_column(String(64))
    to_address: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text, default="")
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    media: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    account_id: Mapped[str | None] = mapped_column(String(36))
    keyword: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboundMessage(Base):
    """The outbox: every message to a debtor (SMS, webchat, email), from queueing (or blocking) to its
    delivery status."""

    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))
    to_address: Mapped[str] = mapped_column(String(254))
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str | None] = mapped_column(String(36))
    subject: Mapped[str | None] = mapped_column(String(200))
    """An email's subject line (None on other channels); the gate checks it like the body."""
    kind: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(String(32))
    initiated: Mapped[bool] = mapped_column(Boolean, default=False)
    """Bot-initiated: not a reply to a message the debtor had just sent (api.compliance decides)."""
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    block_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    in_reply_to: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt_log: Mapped[list["OutboundAttempt"]] = relationship(
        back_populates="message", order_by="OutboundAttempt.number"
    )


class OutboundAttempt(Base):
    """One try at handing a message to the provider, or one delivery report about it."""

    __tablename__ = "outbound_attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("outbound_messages.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    http_status: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[OutboundMessage] = relationship(back_populates="attempt_log")


class EmailBounce(Base):
    """A delivery report of an email that bounced, once per report (`event_key`): a DSN's Message-ID or a
    provider's event id. Holds no address: the message it concerns says where it went."""

    __tablename__ = "email_bounces"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_key: Mapped[str] = mapped_column(String(128), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    """hard (5.x.x) or soft (4.x.x)."""
    status: Mapped[str] = mapped_column(String(16))
    """The enhanced status code, e.g. 5.1.1."""
    source: Mapped[str] = mapped_column(String(8))
    """dsn or json."""
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
