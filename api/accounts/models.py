"""Tables of accounts: debtors, their accounts and event record, preferences, verification attempts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core.models import MONEY, Base, UTCDateTime, new_id, utcnow

AUDIT_GENESIS = "0" * 64
"""The `prev_hash` of an account's first event, and the head of an account without events (accounts.audit)."""


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
    itemization_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    """Reg F 1006.34(b)(3): the reference date the validation notice itemizes from (last statement,
    charge-off, last payment, transaction or judgment), always in the past; None: the date it was placed."""
    days_past_due: Mapped[int] = mapped_column(Integer)
    time_barred: Mapped[bool] = mapped_column(Boolean, default=False)
    jurisdiction: Mapped[str | None] = mapped_column(String(2), nullable=True)
    """The US state (USPS code) whose collection law applies, e.g. "MA"; None: federal rules only."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    audit_length: Mapped[int] = mapped_column(Integer, default=0)
    """How many events the account's hash chain holds (accounts.audit)."""
    audit_head: Mapped[str] = mapped_column(String(64), default=AUDIT_GENESIS)
    """The hash of the chain's last event: deleting events from the end is detected against it."""

    debtor: Mapped[Debtor] = relationship(back_populates="accounts")

    @property
    def total(self) -> Decimal:
        """Principal plus interest plus fees."""
        return self.principal + self.interest + self.fees


class AccountEvent(Base):
    """Something that happened to an account; `data` must never hold personal data.

    Rows form a hash chain per account (api.accounts.audit): append them with `service.record_event` only.
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


class ContactPreference(Base):
    """Days and hours the debtor told us are inconvenient (Reg F 1006.6(b)(1)), in the debtor's time zone.

    `inconvenient_weekdays` holds 0 (Monday) to 6 (Sunday); `inconvenient_hours` holds [start, end) pairs of
    whole local hours, 0 to 24, where start > end wraps past midnight ([22, 7] is 22:00 to 07:00).

    `refused_channels` are the media the debtor asked us not to use (Reg F 1006.14(h)): "sms", "email";
    `preferred_channel` is the one they asked for instead, if they named one.
    """

    __tablename__ = "contact_preferences"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id", ondelete="CASCADE"), unique=True)
    inconvenient_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    inconvenient_hours: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    refused_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_channel: Mapped[str | None] = mapped_column(String(16), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VerificationAttempt(Base):
    """One identity verification attempt, by the conversation that made it (api.accounts.verification).

    Failures are counted per conversation across accounts (an SMS conversation is one phone number), so
    a caller cannot go on guessing by switching to another account reference.
    """

    __tablename__ = "verification_attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
