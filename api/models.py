"""Database tables: debtors, accounts and their event record, SMS contacts and messages, collections."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

MONEY = Numeric(12, 2)
AUDIT_GENESIS = "0" * 64
"""The `prev_hash` of an account's first event, and the head of an account without events (api.audit)."""
PERCENT = Numeric(5, 2)


def new_id() -> str:
    """Random UUID4 string: ids in URLs must not be guessable."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table; named constraints keep later (SQLite batch) migrations simple."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Debtor(Base):
    """A person who owes; identity facts are kept only as keyed hashes."""

    __tablename__ = "debtors"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    timezone: Mapped[str] = mapped_column(String(64))
    dob_hash: Mapped[str] = mapped_column(String(64))
    zip_hash: Mapped[str] = mapped_column(String(64))
    ssn_last4_hash: Mapped[str] = mapped_column(String(64))
    failed_verifications: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """GDPR Art. 17: when the personal data was erased; the row has been a tombstone since (api.privacy)."""
    erased_conversations: Mapped[list[str] | None] = mapped_column(JSON)
    """The conversation ids erased, so a repeated erasure still finds what Rasa may have written since."""

    accounts: Mapped[list["Account"]] = relationship(back_populates="debtor")


class Account(Base):
    """One debt owed by a debtor to a creditor; `total` is derived, never stored."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    creditor: Mapped[str] = mapped_column(String(200))
    original_creditor: Mapped[str] = mapped_column(String(200))
    principal: Mapped[Decimal] = mapped_column(MONEY)
    interest: Mapped[Decimal] = mapped_column(MONEY)
    fees: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    due_date: Mapped[date] = mapped_column(Date)
    days_past_due: Mapped[int] = mapped_column(Integer)
    time_barred: Mapped[bool] = mapped_column(Boolean, default=False)
    jurisdiction: Mapped[str | None] = mapped_column(String(2), nullable=True)
    """The US state (USPS code) whose collection law applies, e.g. "MA"; None: federal rules only."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    audit_length: Mapped[int] = mapped_column(Integer, default=0)
    """How many events the account's hash chain holds (api.audit)."""
    audit_head: Mapped[str] = mapped_column(String(64), default=AUDIT_GENESIS)
    """The hash of the chain's last event: deleting events from the end is detected against it."""

    debtor: Mapped[Debtor] = relationship(back_populates="accounts")

    @property
    def total(self) -> Decimal:
        """Principal plus interest plus fees."""
        return self.principal + self.interest + self.fees


class AccountEvent(Base):
    """Something that happened to an account; `data` must never hold personal data.

    Rows form a hash chain per account (api.audit): append them with `crud.record_event` only.
    """

    __tablename__ = "account_events"
    __table_args__ = (UniqueConstraint("account_id", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Contact(Base):
    """A debtor's address on one channel: its opaque conversation id, opt-out state, last offered buttons.

    `address` is the E.164 number for SMS (the only place a phone number is kept besides the debtor) and
    the conversation id itself for webchat. Opt-outs apply per channel and address.
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opted_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opt_out_source: Mapped[str | None] = mapped_column(String(32))
    opt_out_confirmation_id: Mapped[str | None] = mapped_column(String(36))
    """The one outbound message the compliance gate lets through after the opt-out: its confirmation."""
    last_buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
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
    """The outbox: every message to a debtor by SMS, from queueing (or blocking) to its delivery status."""

    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))
    to_address: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str | None] = mapped_column(String(36))
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


class CreditorPolicy(Base):
    """A creditor's collection policy (offers, settlements, promises); the "default" row covers the rest."""

    __tablename__ = "creditor_policies"

    creditor: Mapped[str] = mapped_column(String(200), primary_key=True)
    min_instalment_amount: Mapped[Decimal] = mapped_column(MONEY)
    min_instalment_pct: Mapped[Decimal] = mapped_column(PERCENT)
    max_term_months: Mapped[int] = mapped_column(Integer)
    allowed_frequencies: Mapped[list[str]] = mapped_column(JSON)
    first_payment_within_days: Mapped[int] = mapped_column(Integer)
    settlement_floor_pct: Mapped[Decimal] = mapped_column(PERCENT)
    settlement_deadline_days: Mapped[int] = mapped_column(Integer)
    hardship_min_instalment_amount: Mapped[Decimal] = mapped_column(MONEY)
    hardship_max_term_months: Mapped[int] = mapped_column(Integer)
    promise_max_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PaymentPlan(Base):
    """A plan or settlement the debtor accepted; `terms` is the Terms JSON, schedule included."""

    __tablename__ = "payment_plans"
    __table_args__ = (UniqueConstraint("account_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Promise(Base):
    """A promise to pay on a date, optionally of an amount."""

    __tablename__ = "promises"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    promised_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PaymentClaim(Base):
    """The debtor says they already paid; a person reviews it against the payments received."""

    __tablename__ = "payment_claims"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    method: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Dispute(Base):
    """A dispute of the debt; while one is open, collection on the account is paused."""

    __tablename__ = "disputes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    """The debtor's own words, for the reviewer; never copied into events or logs."""
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountFlag(Base):
    """A fact that stops collection: an attorney, a bankruptcy, a death, a cease-communication request."""

    __tablename__ = "account_flags"
    __table_args__ = (UniqueConstraint("account_id", "flag"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    flag: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ContactPreference(Base):
    """Days and hours the debtor told us are inconvenient (Reg F 1006.6(b)(1)), in the debtor's time zone.

    `inconvenient_weekdays` holds 0 (Monday) to 6 (Sunday); `inconvenient_hours` holds [start, end) pairs of
    whole local hours, 0 to 24, where start > end wraps past midnight ([22, 7] is 22:00 to 07:00).
    """

    __tablename__ = "contact_preferences"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id", ondelete="CASCADE"), unique=True)
    inconvenient_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    inconvenient_hours: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PaymentLink(Base):
    """A signed payment link's server-side record: its expiry, and whether it has been used to pay."""

    __tablename__ = "payment_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VerificationAttempt(Base):
    """One identity verification attempt, by the conversation that made it (api.verification).

    Failures are counted per conversation across accounts (an SMS conversation is one phone number), so
    a caller cannot go on guessing by switching to another account reference.
    """

    __tablename__ = "verification_attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
