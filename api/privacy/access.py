"""GDPR Art. 15 subject access: everything held about a debtor, Rasa's tracker events included.

Rows are exported column by column, so a column added later is exported without anyone remembering to.
Only the keyed hashes of the identity facts are left out: they mean nothing to the debtor, and the export
says that the facts themselves are not held.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts.models import Account, ContactPreference, Debtor, VerificationAttempt
from api.collections.models import AccountFlag, Dispute, PaymentClaim, PaymentLink, PaymentPlan, Promise
from api.conversations.models import Contact, InboundMessage, OutboundAttempt, OutboundMessage
from api.core.models import Base
from api.handoffs.models import Handoff
from api.privacy.erasure import account_ids, conversation_ids, message_filter
from api.privacy.tracker_stores import TrackerStore
from api.staff.models import StaffAudit

NOT_EXPORTED = frozenset({"dob_hash", "zip_hash", "ssn_last4_hash"})
IDENTITY_FACTS_NOTE = (
    "Your date of birth, ZIP code and the last 4 digits of your SSN are not stored: only keyed hashes, "
    "used to check the facts you give us when you verify your identity."
)
PER_ACCOUNT: tuple[type[Base], ...] = (PaymentPlan, Promise, PaymentClaim, Dispute, AccountFlag, PaymentLink)
Row = dict[str, Any]


def plain(value: Any) -> Any:
    """A JSON-ready value: money as an exact string, times and dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(instance: Base) -> Row:
    """Every column of a row, except the identity hashes."""
    columns = inspect(instance).mapper.column_attrs
    return {c.key: plain(getattr(instance, c.key)) for c in columns if c.key not in NOT_EXPORTED}


def _rows(session: Session, query: Any) -> list[Row]:
    return [row(instance) for instance in session.scalars(query)]


def _account(session: Session, account: Account) -> Row:
    exported = {**row(account), "total": plain(account.total)}
    for model in PER_ACCOUNT:
        table = model.__tablename__
        exported[table] = _rows(session, select(model).where(model.account_id == account.id))  # type: ignore[attr-defined]
    verification = audit.verify(session, account)
    exported["audit"] = {
        "verified": verification.verified,
        "head": verification.head,
        "events": [row(event) for event in audit.chain(session, account.id)],
    }
    return exported


def _messages(session: Session, debtor: Debtor, ids: list[str], conversations: list[str]) -> Row:
    phone = None if debtor.erased_at else debtor.phone
    inbound = message_filter(
        InboundMessage.account_id,
        InboundMessage.conversation_id,
        InboundMessage.from_address,
        ids,
        conversations,
        phone,
    )
    outbound = message_filter(
        OutboundMessage.account_id,
        OutboundMessage.conversation_id,
        OutboundMessage.to_address,
        ids,
        conversations,
        phone,
    )
    sent = []
    for message in session.scalars(
        select(OutboundMessage).where(outbound).order_by(OutboundMessage.created_at)
    ):
        attempts = select(OutboundAttempt).where(OutboundAttempt.message_id == message.id)
        sent.append({**row(message), "attempts": _rows(session, attempts.order_by(OutboundAttempt.number))})
    received = select(InboundMessage).where(inbound).order_by(InboundMessage.received_at)
    return {"inbound": _rows(session, received), "outbound": sent}


def _handoffs(session: Session, ids: list[str], conversations: list[str]) -> list[Row]:
    query = select(Handoff).where(
        or_(Handoff.account_id.in_(ids), Handoff.conversation_id.in_(conversations))
    )
    return [
        {**row(handoff), "transcript": [row(entry) for entry in handoff.entries]}
        for handoff in session.scalars(query.order_by(Handoff.created_at))
    ]


def _tracker(stores: list[TrackerStore], conversations: list[str]) -> list[Row]:
    return [
        {"conversation_id": sender, "tracker_events": {store.name: store.events(sender) for store in stores}}
        for sender in conversations
    ]


def export(session: Session, debtor: Debtor, stores: list[TrackerStore], secret: str, now: datetime) -> Row:
    """The debtor, their accounts with everything on them, contacts, messages, handoffs, conversations."""
    ids, conversations = account_ids(debtor), conversation_ids(session, debtor, secret)
    accounts = select(Account).where(Account.debtor_id == debtor.id).order_by(Account.created_at, Account.id)
    return {
        "generated_at": now.isoformat(),
        "debtor": {**row(debtor), "identity_facts": IDENTITY_FACTS_NOTE},
        "contact_preferences": _rows(
            session, select(ContactPreference).where(ContactPreference.debtor_id == debtor.id)
        ),
        "accounts": [_account(session, account) for account in session.scalars(accounts)],
        "contacts": _rows(session, select(Contact).where(Contact.conversation_id.in_(conversations))),
        "messages": _messages(session, debtor, ids, conversations),
        "handoffs": _handoffs(session, ids, conversations),
        "verification_attempts": _rows(
            session, select(VerificationAttempt).where(VerificationAttempt.account_id.in_(ids))
        ),
        "staff_actions": _rows(session, select(StaffAudit).where(StaffAudit.account_id.in_(ids))),
        "conversations": _tracker(stores, conversations),
    }
