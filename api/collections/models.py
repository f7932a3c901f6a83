"""Tables of collections: creditor policies, plans, promises, payment claims, disputes, flags, links."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core.models import MONEY, PERCENT, Base, UTCDateTime, new_id, utcnow


class AccountRecord:
    """The columns of every record kept about one account: its id, the account's, and when it was made."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


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


class PaymentPlan(AccountRecord, Base):
    """A plan or settlement the debtor accepted; `terms` is the Terms JSON, schedule included."""

    __tablename__ = "payment_plans"
    __table_args__ = (UniqueConstraint("account_id", "idempotency_key"),)

    idempotency_key: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Promise(AccountRecord, Base):
    """A promise to pay on a date, optionally of an amount."""

    __tablename__ = "promises"

    promised_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when the debtor corrected it by a later promise: it no longer stands."""


class PaymentClaim(AccountRecord, Base):
    """The debtor says they already paid; a person reviews it against the payments received."""

    __tablename__ = "payment_claims"

    paid_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    method: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    details: Mapped[str | None] = mapped_column(Text)
    """What the debtor added about the payment afterwards, in their words, for the reviewer; never copied into
    events or logs."""


class Dispute(AccountRecord, Base):
    """A dispute of the debt; while one is open, collection on the account is paused."""

    __tablename__ = "disputes"

    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    """The debtor's own words, for the reviewer; never copied into events or logs."""
    status: Mapped[str] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountFlag(AccountRecord, Base):
    """A fact that stops collection: an attorney, a bankruptcy, a death, a cease-communication request."""

    __tablename__ = "account_flags"
    __table_args__ = (UniqueConstraint("account_id", "flag"),)

    flag: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    """The attorney's name, when the debtor gave it (Reg F 1006.6(b)(2)); never logged, erased with notes."""
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    """The attorney's phone number in E.164; never logged, erased with notes."""


class PaymentLink(AccountRecord, Base):
    """A signed payment link's server-side record: its expiry, and whether it has been used to pay."""

    __tablename__ = "payment_links"

    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the portal first showed the link's payment page (insights' "payment link opened")."""
