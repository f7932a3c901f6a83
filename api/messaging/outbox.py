"""The outbox: queueing (through the compliance gate), attempts, retries and delivery status.

Statuses: queued -> sent -> delivered | undelivered | failed; or blocked (by the gate, at queueing or
just before sending); or failed (the provider refused it, or retries ran out). Nothing is ever deleted.

SMS waits in the queue for the worker. A webchat message is delivered by its caller at once (Rasa emits
the bot's replies on the socket; the API hands an agent's reply to Rasa), so it is checked and recorded
here exactly like an SMS and then handed over in the same transaction: `sent` when the channel took it,
`failed` when it could not. The worker only ever sends SMS.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, select
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


WORKER_CHANNELS = (Channel.SMS,)
"""Channels the worker sends; every other channel's caller delivers its messages itself (hand_over)."""
CHANNEL_UNAVAILABLE = "channel_unavailable"
"""error_code of a message its channel could not take (Rasa unreachable for a webchat reply)."""


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
    )


def with_sentence(body: str, sentence: str, max_chars: int = SMS_MAX_CHARS) -> str:
    """The body with a sentence added at the end, unless it would not fit."""
    extended = f"{body.rstrip()} {sentence}"
    return extended if len(extended) <= max_chars else body


def with_opt_out_notice(body: str, notice: str, max_chars: int = SMS_MAX_CHARS) -> str:
    """Reg F 1006.6(e): the body with the opt-out instruction added, unless it has one or it won't fit."""
    return body if compliance.has_opt_out_notice(body) else with_sentence(body, notice, max_chars)


def _classify(
    session: Session, message: OutboundMessage, now: datetime, config: compliance.GateConfig
) -> None:
    """Decide, once, whether the message is bot-initiated; if so it gets the client's disclosures
    (Mini-Miranda, time-barred) and, on SMS, the opt-out notice."""
    message.initiated = compliance.initiated(session, candidate(message), message.in_reply_to, now, config)
    for _, text in compliance.missing_disclosures(
        compliance.Context(session, candidate(message), now, config)
    ):
        message.body = with_sentence(message.body, text)
    if message.initiated and message.channel == Channel.SMS:
        message.body = with_opt_out_notice(message.body, config.opt_out_notice)


def enqueue(
    session: Session,
    new: NewMessage,
    now: datetime,
    config: compliance.GateConfig = compliance.DEFAULT_CONFIG,
) -> OutboundMessage:
    """Add a message to the outbox as queued, or as blocked with the gate's reasons (caller commits)."""
    message = OutboundMessage(
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
        attempts=0,
        created_at=now,
    )
    _classify(session, message, now, config)
    decision = compliance.evaluate(session, candidate(message), now, config=config)
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
