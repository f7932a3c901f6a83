"""Queueing an email to a debtor: the address on file, the outbox's single path through the gate.

The address comes from the debtor's record (accounts), never from the caller, so a message about an
account can only go to the address its debtor gave. The worker sends it (api.messaging.email_sender).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from api.messaging import outbox
from shared.vocabulary import Channel, Kind


@dataclass(frozen=True)
class EmailRequest:
    """An email about an account: its subject and plain-text body (the template adds the rest)."""

    account_id: str
    subject: str
    body: str
    kind: str = Kind.REMINDER
    idempotency_key: str | None = None
    purpose: str | None = None


def address_of(account: Account) -> str | None:
    """The debtor's email address as the outbox keeps it, or None when there is none on file."""
    email = account.debtor.email
    return conversations.email_address(email) if email else None


def contact_for(session: Session, account: Account, settings: Settings) -> Contact | None:
    """The email contact of the account's debtor (created and committed on first use)."""
    address = address_of(account)
    if address is None:
        return None
    secret = settings.SECRET_KEY.get_secret_value()
    return conversations.get_or_create(session, secret, Channel.EMAIL, address)


def queue(
    session: Session, request: EmailRequest, settings: Settings, now: datetime
) -> OutboundMessage | None:
    """Queue (or block) the email; None when the account is unknown or its debtor has no address.

    A repeated idempotency key returns the first message. The caller commits.
    """
    if request.idempotency_key and (earlier := outbox.find_by_key(session, request.idempotency_key)):
        return earlier
    account = session.get(Account, request.account_id)
    contact = contact_for(session, account, settings) if account is not None else None
    if contact is None:
        return None
    new = outbox.NewMessage(
        contact=contact,
        body=request.body,
        kind=request.kind,
        account_id=request.account_id,
        idempotency_key=request.idempotency_key,
        purpose=request.purpose,
        subject=request.subject,
    )
    return outbox.enqueue(session, new, now, compliance.GateConfig.from_settings(settings))
