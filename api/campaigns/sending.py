"""The send task's work: one campaign send becomes one outbox message, exactly once.

The send row is locked (SELECT ... FOR UPDATE) and must still be `planned`; the message is queued through
the outbox (the gate decides there, and again when the SMS worker sends it) under the idempotency key
`campaign:<send id>`, whose unique index stops a second message even if two workers got past the lock;
the send's new status commits with the message, in one transaction. A task run twice, or after a crash at
any point, therefore queues at most one message, and a send left `planned` is scheduled again by the
planner. Database errors are transient: the task retries with backoff, then writes a dead letter.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.campaigns import service, templates
from api.campaigns.models import Campaign, CampaignDeadLetter, CampaignSend, CampaignStep
from api.campaigns.schemas import SendStatus
from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import Contact
from api.core.config import Settings
from api.messaging import emails, outbox
from shared.vocabulary import BlockReason, Channel, Kind, OutboundStatus

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
"""Errors worth retrying: the database was unreachable or dropped the connection."""
TIMING_REASONS = frozenset({BlockReason.OUTSIDE_CONTACT_HOURS, BlockReason.INCONVENIENT_FOR_DEBTOR})
"""Gate reasons that only say "not now": the send waits for a later hour instead of being blocked."""
DEFER_BY = timedelta(hours=1)
MAX_DEFERRALS = 48
"""After this many hours of waiting (two days) the send is queued anyway and the gate blocks it."""


@dataclass(frozen=True)
class Reminder:
    """A reminder queued for a debtor: what Rasa is told so the answer is read in context."""

    send_id: str
    campaign_id: str
    step_id: str
    response: str
    text: str
    conversation_id: str


@dataclass(frozen=True)
class Outcome:
    """What one run of the send task did; `reminder` is set when a message was queued."""

    status: str
    reminder: Reminder | None = None
    retry_at: datetime | None = None
    """Deferred: when to try again."""


def idempotency_key(send_id: str) -> str:
    """The outbox key of a campaign send."""
    return f"campaign:{send_id}"


def backoff(retries: int, base_seconds: float) -> float:
    """Seconds before retry number `retries` + 1: base, 2*base, 4*base, ..."""
    return float(base_seconds * 2.0**retries)


def _locked(session: Session, send_id: str) -> CampaignSend | None:
    """The send, locked until the transaction ends, if it is still to be sent."""
    query = select(CampaignSend).where(CampaignSend.id == send_id).with_for_update()
    send = session.scalars(query.execution_options(populate_existing=True)).one_or_none()
    return send if send is not None and send.status == SendStatus.PLANNED else None


def _contact(session: Session, settings: Settings, send: CampaignSend) -> Contact | None:
    """The debtor's contact on the send's channel, their number or their email address on file (created,
    and committed, on first use); None once they are erased or when they have no address there."""
    account = session.get(Account, send.account_id)
    if account is None or account.debtor.erased_at is not None:
        return None
    if send.channel == Channel.EMAIL:
        return emails.contact_for(session, account, settings)
    secret = settings.SECRET_KEY.get_secret_value()
    return conversations.get_or_create(session, secret, send.channel, account.debtor.phone)


def new_message(
    send: CampaignSend, contact: Contact, reminder: templates.Reminder, key: str | None = None
) -> outbox.NewMessage:
    """The outbox request of a send: a reminder about its account, with the email's subject."""
    return outbox.NewMessage(
        contact,
        reminder.text,
        Kind.REMINDER,
        account_id=send.account_id,
        idempotency_key=key,
        subject=reminder.subject,
    )


def _cancel(session: Session, send_id: str) -> Outcome:
    send = _locked(session, send_id)
    if send is not None:
        send.status = SendStatus.CANCELLED
    session.commit()
    return Outcome(SendStatus.CANCELLED)


@dataclass(frozen=True)
class _Draft:
    """The reminder a locked send is about to queue: to whom, what, when and under which gate settings."""

    send: CampaignSend
    contact: Contact
    reminder: templates.Reminder
    now: datetime
    config: compliance.GateConfig

    def message(self, key: str | None = None) -> outbox.NewMessage:
        """The outbox message of this reminder (under `key` when it is to be queued)."""
        return new_message(self.send, self.contact, self.reminder, key)


def _queue(session: Session, draft: _Draft) -> str:
    """The outbox message of this send (the one queued earlier under its key, if any); its status."""
    send, key = draft.send, idempotency_key(draft.send.id)
    message = outbox.find_by_key(session, key)
    if message is None:
        message = outbox.enqueue(session, draft.message(key), draft.now, draft.config)
    send.outbound_message_id, send.queued_at = message.id, draft.now
    send.attempts += 1
    send.status = SendStatus.QUEUED if message.status == OutboundStatus.QUEUED else SendStatus.BLOCKED
    return send.status


def _only_not_now(session: Session, draft: _Draft) -> bool:
    """Whether the gate objects now only because of the hour or the debtor's stated inconvenient times
    (Reg F 1006.6(b)(1) holds for email as for SMS: the gate applies both to every address we write to)."""
    if draft.send.attempts >= MAX_DEFERRALS:
        return False
    reasons = set(outbox.preview(session, draft.message(), draft.now, draft.config).reasons)
    return bool(reasons) and reasons <= TIMING_REASONS


def _defer(session: Session, send: CampaignSend, now: datetime) -> Outcome:
    """Try again in an hour (the debtor's window or preference has not opened yet)."""
    send.attempts += 1
    send.scheduled_for = now + DEFER_BY
    session.commit()
    return Outcome("deferred", retry_at=send.scheduled_for)


def deliver(
    session: Session, settings: Settings, send_id: str, now: datetime, config: compliance.GateConfig
) -> Outcome:
    """Queue the send's message through the outbox, once; skipped when it is already done, deferred by an
    hour when the gate's only objection is the time (contact hours, the debtor's inconvenient times)."""
    send = session.get(CampaignSend, send_id)
    if send is None or send.status != SendStatus.PLANNED:
        return Outcome("skipped")
    campaign, step = session.get(Campaign, send.campaign_id), session.get(CampaignStep, send.step_id)
    contact = _contact(session, settings, send)
    if campaign is None or step is None or contact is None or not service.running(campaign, now):
        return _cancel(session, send_id)
    locked = _locked(session, send_id)
    if locked is None:
        session.rollback()
        return Outcome("skipped")
    response = step.messages[locked.channel]
    reminder = templates.render(session, response, locked.channel, settings)
    draft = _Draft(locked, contact, reminder, now, config)
    if _only_not_now(session, draft):
        return _defer(session, locked, now)
    status = _queue(session, draft)
    try:
        session.commit()
    except IntegrityError:  # another worker queued the same key first: theirs stands
        session.rollback()
        return Outcome("skipped")
    logger.info("campaign send", extra={"send_id": send_id, "status": status, "channel": locked.channel})
    if status != SendStatus.QUEUED or locked.channel != Channel.SMS:
        return Outcome(status)
    tracked = Reminder(send_id, campaign.id, step.id, response, reminder.text, contact.conversation_id)
    return Outcome(status, tracked)


def dead_letter(session: Session, send_id: str, error: str, attempts: int, now: datetime) -> None:
    """Give up on a send after its last retry: a dead letter a person can look at (once per send)."""
    send = session.get(CampaignSend, send_id, populate_existing=True)
    if send is None or send.status != SendStatus.PLANNED:
        return
    send.status, send.last_error, send.attempts = SendStatus.DEAD, error[:64], attempts
    exists = session.scalar(select(CampaignDeadLetter.id).where(CampaignDeadLetter.send_id == send_id))
    if exists is None:
        session.add(CampaignDeadLetter(send_id=send_id, error=error[:64], attempts=attempts, created_at=now))
    session.commit()
    logger.error("campaign send dead-lettered", extra={"send_id": send_id, "error": error[:64]})


def retry_in(retries: int, max_retries: int, base_seconds: float) -> timedelta | None:
    """How long until the next try after a transient error; None when the retries are used up."""
    if retries >= max_retries:
        return None
    return timedelta(seconds=backoff(retries, base_seconds))
