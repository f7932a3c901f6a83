"""The outbox: queueing (through the compliance gate), attempts, retries and delivery status.

Statuses: queued -> sent -> delivered | undelivered | failed; or blocked (by the gate, at queueing or
just before sending); or failed (the provider refused it, or retries ran out). Nothing is ever deleted.

SMS and email wait in the queue for the worker (api.messaging.sender, api.messaging.email_sender), which
keeps the same books for both through the functions here: a lease (`claim`), the gate again (`recheck`),
then `mark_sent`, `retry_later` or `fail`. A webchat message is delivered by its caller at once (Rasa
emits the bot's replies on the socket; the API hands an agent's reply to Rasa), so it is checked and
recorded here exactly like an SMS and then handed over in the same transaction: `sent` when the channel
took it, `failed` when it could not.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from api.compliance import gate as compliance
from api.conversations.models import Contact, OutboundAttempt, OutboundMessage
from api.core import metrics
from api.core.models import new_id
from api.messaging.schemas import SMS_MAX_CHARS
from shared.vocabulary import Channel, OutboundStatus

logger = logging.getLogger(__name__)


@event.listens_for(OutboundMessage.status, "set")
def _count_status(message: OutboundMessage, status: object, previous: object, _initiator: object) -> None:
    """Count every status an outbox message enters, wherever it is set (here, the sender, the callback)."""
    if status != previous:
        metrics.outbound_status(message.channel, status)


WORKER_CHANNELS = (Channel.SMS, Channel.EMAIL)
"""Channels the worker sends; every other channel's caller delivers its messages itself (hand_over)."""
CHANNEL_UNAVAILABLE = "channel_unavailable"
"""error_code of a message its channel could not take (Rasa unreachable for a webchat reply)."""
RETRIES_EXHAUSTED = "retries_exhausted"
EMAIL_MAX_CHARS = 20_000
"""Longest email body the outbox composes (the disclosures are added as paragraphs within it)."""


class Outcome:
    """What one sending pass did with one message (also the attempt log's outcome)."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RetryPolicy:
    """How a sender retries: attempts before giving up, exponential backoff, the lease of a claim."""

    max_attempts: int = 8
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    lease_seconds: float = 120.0


FINAL = frozenset(
    {OutboundStatus.DELIVERED, OutboundStatus.UNDELIVERED, OutboundStatus.FAILED, OutboundStatus.BLOCKED}
)

# Twilio's MessageStatus values, mapped onto ours; "queued"/"sending" there mean Twilio has it.
_PROVIDER_STATUS = {
    "accepted": OutboundStatus.SENT,
    "scheduled": OutboundStatus.SENT,
    "queued": OutboundStatus.SENT,
    "sending": OutboundStatus.SENT,
    "sent": OutboundStatus.SENT,
    "delivered": OutboundStatus.DELIVERED,
    "read": OutboundStatus.DELIVERED,
    "undelivered": OutboundStatus.UNDELIVERED,
    "failed": OutboundStatus.FAILED,
    "canceled": OutboundStatus.FAILED,
}


@dataclass(frozen=True)
class NewMessage:
    """What a caller asks to send; `purpose` is set only by the API's own confirmations."""

    contact: Contact
    body: str
    kind: str
    account_id: str | None = None
    in_reply_to: str | None = None
    idempotency_key: str | None = None
    purpose: str | None = None
    message_id: str | None = None
    subject: str | None = None


def find_by_key(session: Session, idempotency_key: str) -> OutboundMessage | None:
    """The message queued earlier under this idempotency key."""
    query = select(OutboundMessage).where(OutboundMessage.idempotency_key == idempotency_key)
    return session.scalars(query).one_or_none()


def candidate(message: OutboundMessage) -> compliance.Candidate:
    """The gate's view of a message."""
    return compliance.Candidate(
        message_id=message.id,
        channel=message.channel,
        to=message.to_address,
        kind=message.kind,
        purpose=message.purpose,
        conversation_id=message.conversation_id,
        account_id=message.account_id,
        body=message.body,
        initiated=message.initiated,
        subject=message.subject or "",
    )


def with_sentence(body: str, sentence: str, max_chars: int = SMS_MAX_CHARS) -> str:
    """The body with a sentence added at the end, unless it would not fit."""
    extended = f"{body.rstrip()} {sentence}"
    return extended if len(extended) <= max_chars else body


def with_opt_out_notice(body: str, notice: str, max_chars: int = SMS_MAX_CHARS) -> str:
    """Reg F 1006.6(e): the body with the opt-out instruction added, unless it has one or it won't fit."""
    return body if compliance.has_opt_out_notice(body) else with_sentence(body, notice, max_chars)


def with_paragraph(body: str, paragraph: str, max_chars: int = EMAIL_MAX_CHARS) -> str:
    """The body with a paragraph added at the end (an email's disclosures), unless it would not fit."""
    extended = f"{body.rstrip()}\n\n{paragraph}"
    return extended if len(extended) <= max_chars else body


def _completed(context: compliance.Context, message: OutboundMessage) -> compliance.Context:
    """The message with what a bot-initiated message must carry, added once: the client's disclosures
    (Mini-Miranda, time-barred: a sentence on SMS, a paragraph of their own in an email) and, on SMS, the
    opt-out notice (an email's is its unsubscribe link). The gate then judges that body, told which
    disclosures did not fit instead of computing them again."""
    add = with_paragraph if message.channel == Channel.EMAIL else with_sentence
    body, unfit = message.body, list[tuple[str, str]]()
    for kind, text in compliance.missing_disclosures(context):
        extended = add(body, text)
        if extended == body:
            unfit.append((kind, text))
        body = extended
    if message.initiated and message.channel == Channel.SMS:
        body = with_opt_out_notice(body, context.config.opt_out_notice)
    message.body = body
    return context.completed(body, unfit)


def _draft(new: NewMessage, now: datetime) -> OutboundMessage:
    """The outbox row a request would become, before the gate has looked at it."""
    return OutboundMessage(
        id=new.message_id or new_id(),
        channel=new.contact.channel,
        to_address=new.contact.address,
        conversation_id=new.contact.conversation_id,
        account_id=new.account_id,
        kind=new.kind,
        purpose=new.purpose,
        body=new.body,
        in_reply_to=new.in_reply_to,
        idempotency_key=new.idempotency_key,
        subject=new.subject,
        attempts=0,
        created_at=now,
    )


def _judged(
    session: Session, message: OutboundMessage, now: datetime, config: compliance.GateConfig
) -> compliance.Decision:
    """Decide once whether the message is bot-initiated, complete it, and let the gate judge it."""
    message.initiated = compliance.initiated(session, candidate(message), message.in_reply_to, now, config)
    context = compliance.Context(session, candidate(message), now, config)
    return compliance.judge(_completed(context, message))


def preview(
    session: Session,
    new: NewMessage,
    now: datetime,
    config: compliance.GateConfig = compliance.DEFAULT_CONFIG,
) -> compliance.Decision:
    """What the gate would decide if the message were queued now, with the disclosures and notice the
    outbox would add; nothing is written (a campaign's dry run)."""
    return _judged(session, _draft(new, now), now, config)


def enqueue(
    session: Session,
    new: NewMessage,
    now: datetime,
    config: compliance.GateConfig = compliance.DEFAULT_CONFIG,
) -> OutboundMessage:
    """Add a message to the outbox as queued, or as blocked with the gate's reasons (caller commits)."""
    message = _draft(new, now)
    decision = _judged(session, message, now, config)
    message.status = OutboundStatus.QUEUED if decision.allowed else OutboundStatus.BLOCKED
    message.block_reasons = list(decision.reasons)
    message.next_attempt_at = now if decision.allowed else None
    session.add(message)
    session.flush()
    metrics.message_out(message.channel)
    logger.info(
        "outbound message %s",
        message.status,
        extra={
            "message_id": message.id,
            "kind": message.kind,
            "initiated": message.initiated,
            "reasons": message.block_reasons,
        },
    )
    return message


def block(message: OutboundMessage, reasons: tuple[str, ...], now: datetime) -> None:
    """The gate objected just before sending (e.g. an opt-out arrived while it waited)."""
    message.status = OutboundStatus.BLOCKED
    message.block_reasons = list(reasons)
    message.next_attempt_at = None
    message.status_updated_at = now


def due(session: Session, channel: str, batch_size: int) -> list[OutboundMessage]:
    """Queued messages of one channel, oldest first (a sender checks each one's next_attempt_at)."""
    query = (
        select(OutboundMessage)
        .where(OutboundMessage.status == OutboundStatus.QUEUED, OutboundMessage.channel == channel)
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
        .limit(batch_size)
    )
    return list(session.scalars(query))


def claim(session: Session, message: OutboundMessage, now: datetime, policy: RetryPolicy) -> bool:
    """Lease the message so a second worker (or this one after a crash) leaves it alone for a while."""
    lease_until = now + timedelta(seconds=policy.lease_seconds)
    claimed = session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == message.id, OutboundMessage.status == OutboundStatus.QUEUED)
        .where((OutboundMessage.next_attempt_at.is_(None)) | (OutboundMessage.next_attempt_at <= now))
        .values(next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.refresh(message)
    return bool(getattr(claimed, "rowcount", 0) == 1)


def recheck(session: Session, message: OutboundMessage, now: datetime, config: compliance.GateConfig) -> bool:
    """The gate again just before sending; a message it now objects to is blocked and committed."""
    decision = compliance.evaluate(session, candidate(message), now, config=config)
    if not decision.allowed:
        block(message, decision.reasons, now)
        record_attempt(session, message, Outcome.BLOCKED)
        session.commit()
    return decision.allowed


def mark_sent(
    session: Session,
    message: OutboundMessage,
    now: datetime,
    provider_sid: str | None,
    http_status: int | None = None,
) -> None:
    """The provider accepted the message (attempts counted by the caller); commits."""
    message.status, message.provider_sid = OutboundStatus.SENT, provider_sid
    message.sent_at = message.status_updated_at = now
    message.next_attempt_at, message.error_code = None, None
    record_attempt(session, message, Outcome.SENT, http_status=http_status)
    session.commit()


def fail(
    session: Session,
    message: OutboundMessage,
    now: datetime,
    error_code: str | None,
    http_status: int | None = None,
) -> None:
    """The provider refused the message for good (caller commits: it may record more first)."""
    message.status, message.error_code = OutboundStatus.FAILED, error_code
    message.next_attempt_at, message.status_updated_at = None, now
    record_attempt(session, message, Outcome.FAILED, http_status=http_status, error_code=error_code)


def retry_later(
    session: Session,
    message: OutboundMessage,
    now: datetime,
    policy: RetryPolicy,
    failure: tuple[int | None, str | None],
) -> str:
    """A transient failure (http or SMTP status, error code): try again after the backoff, or give up
    once the attempts are spent; commits and returns the outcome."""
    status, error = failure
    if message.attempts >= policy.max_attempts:
        message.status, message.error_code = OutboundStatus.FAILED, RETRIES_EXHAUSTED
        message.next_attempt_at, message.status_updated_at = None, now
        outcome = Outcome.FAILED
    else:
        delay = backoff(message.attempts, policy.backoff_base_seconds, policy.backoff_max_seconds)
        message.next_attempt_at = now + delay
        outcome = Outcome.RETRY
    record_attempt(session, message, outcome, http_status=status, error_code=error)
    session.commit()
    return outcome


def retry_logged(
    session: Session,
    message: OutboundMessage,
    now: datetime,
    policy: RetryPolicy,
    failure: tuple[int | None, str | None],
    *,
    channel: str,
    status_key: str,
) -> str:
    """`retry_later`, then the one warning both senders write: ids, status and code, never the address."""
    outcome = retry_later(session, message, now, policy, failure)
    extra = {"message_id": message.id, "attempt": message.attempts, status_key: failure[0]}
    logger.warning("%s send failed", channel, extra={**extra, "error": failure[1], "outcome": outcome})
    return outcome


def hand_over(session: Session, message: OutboundMessage, now: datetime) -> None:
    """The caller's channel took a message the gate allowed (webchat: emitted on the socket now)."""
    message.attempts += 1
    message.status, message.sent_at = OutboundStatus.SENT, now
    message.status_updated_at, message.next_attempt_at = now, None
    record_attempt(session, message, "handed_over")


def hand_over_failed(session: Session, message: OutboundMessage, now: datetime) -> None:
    """The caller's channel could not take the message; not retried (a late chat line loses its context)."""
    message.attempts += 1
    message.status, message.error_code = OutboundStatus.FAILED, CHANNEL_UNAVAILABLE
    message.status_updated_at, message.next_attempt_at = now, None
    record_attempt(session, message, "not_handed_over", error_code=CHANNEL_UNAVAILABLE)


def record_attempt(
    session: Session,
    message: OutboundMessage,
    outcome: str,
    http_status: int | None = None,
    error_code: str | None = None,
) -> OutboundAttempt:
    """Log one try (or one delivery report) against the message."""
    attempt = OutboundAttempt(
        message=message,
        number=message.attempts,
        outcome=outcome,
        http_status=http_status,
        error_code=error_code,
    )
    session.add(attempt)
    return attempt


def backoff(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential: base, 2*base, 4*base, ... capped at max_seconds."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


BOUNCE_PREFIX = "bounce:"
"""error_code of an email a delivery report said bounced: `bounce:5.1.1` (hard), `bounce:4.2.2` (soft)."""


def bounce_hard(session: Session, message: OutboundMessage, status: str, now: datetime) -> bool:
    """A hard bounce (5.x.x): the relay took the email but the recipient's server refused it for good.

    The message becomes `undelivered` (sent, never to arrive); a later report cannot undo it. Returns True
    when the status changed (the caller commits)."""
    code = f"{BOUNCE_PREFIX}{status}"[:32]
    record_attempt(session, message, "bounce:hard", error_code=code)
    if message.status not in (OutboundStatus.SENT, OutboundStatus.DELIVERED):
        return False
    message.status, message.error_code = OutboundStatus.UNDELIVERED, code
    message.status_updated_at, message.next_attempt_at = now, None
    return True


def bounce_soft(
    session: Session, message: OutboundMessage, status: str, now: datetime, policy: RetryPolicy
) -> str:
    """A soft bounce (4.x.x): the recipient's server gave up for now. The email goes back to the queue
    after the sender's backoff, or fails once its attempts are spent (caller commits); the outcome."""
    code = f"{BOUNCE_PREFIX}{status}"[:32]
    if message.status != OutboundStatus.SENT:
        record_attempt(session, message, "bounce:soft", error_code=code)
        return Outcome.SKIPPED
    message.status_updated_at, message.error_code = now, code
    if message.attempts >= policy.max_attempts:
        message.status, message.next_attempt_at = OutboundStatus.FAILED, None
        record_attempt(session, message, Outcome.FAILED, error_code=code)
        return Outcome.FAILED
    message.status = OutboundStatus.QUEUED
    message.next_attempt_at = now + backoff(
        message.attempts, policy.backoff_base_seconds, policy.backoff_max_seconds
    )
    record_attempt(session, message, Outcome.RETRY, error_code=code)
    return Outcome.RETRY


def find_by_provider_sid(session: Session, provider_sid: str) -> OutboundMessage | None:
    """The message Twilio knows by this MessageSid."""
    query = select(OutboundMessage).where(OutboundMessage.provider_sid == provider_sid)
    return session.scalars(query).one_or_none()


def apply_status_report(
    session: Session, message: OutboundMessage, provider_status: str, error_code: str | None, now: datetime
) -> bool:
    """Apply a delivery report; reports arrive out of order, so a final status is never overwritten.

    Returns True when the message's status changed.
    """
    record_attempt(session, message, f"status:{provider_status}"[:32], error_code=error_code)
    status = _PROVIDER_STATUS.get(provider_status)
    if status is None or message.status in FINAL or status == message.status:
        return False
    message.status = status
    message.status_updated_at = now
    if error_code:
        message.error_code = error_code
    return True
