"""The SMS sender: one pass over the outbox sends every queued SMS that is due, through Twilio.

Every message passes the compliance gate again just before it goes (an opt-out may have arrived while it
waited). Rate limits (429), Twilio errors (5xx) and network failures are retried with exponential backoff;
attempts and the next try are on the row, so a crash or restart loses nothing. Delivery is at least once:
a crash between Twilio accepting a message and our commit sends it again on the next pass.
Messages of one conversation go out in order: a conversation waiting on a retry holds its later messages.
The worker (api.worker) runs the passes.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]

from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.messaging import contacts, outbox
from shared.vocabulary import OutboundStatus

logger = logging.getLogger(__name__)

TWILIO_UNSUBSCRIBED = 21610
"""Twilio's own opt-out list refused the message: the number texted STOP to Twilio directly."""


class Outcome:
    """What one pass did with one message."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SenderConfig:
    """How the worker sends: sender identity, status callback, retry policy."""

    status_callback_url: str | None
    from_number: str | None = None
    messaging_service_sid: str | None = None
    max_attempts: int = 8
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    lease_seconds: float = 120.0
    batch_size: int = 100
    gate: compliance.GateConfig = compliance.DEFAULT_CONFIG

    @classmethod
    def from_settings(cls, settings: Settings) -> "SenderConfig":
        """The worker's configuration from the API settings."""
        return cls(
            status_callback_url=settings.status_callback_url,
            from_number=settings.TWILIO_FROM_NUMBER,
            messaging_service_sid=settings.TWILIO_MESSAGING_SERVICE_SID,
            max_attempts=settings.OUTBOX_MAX_ATTEMPTS,
            backoff_base_seconds=settings.OUTBOX_BACKOFF_BASE_SECONDS,
            backoff_max_seconds=settings.OUTBOX_BACKOFF_MAX_SECONDS,
            gate=compliance.GateConfig.from_settings(settings),
        )


@dataclass
class SendReport:
    """Counts of one pass."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def handled(self) -> int:
        """Messages this pass did something with."""
        return self.sent + self.retry + self.failed + self.blocked

    def add(self, outcome: str) -> None:
        """Count one outcome."""
        if outcome != Outcome.SKIPPED:
            setattr(self, outcome, getattr(self, outcome) + 1)


def send_pending(session: Session, twilio_client: Any, now: datetime, config: SenderConfig) -> SendReport:
    """One pass over the queue: send every message that is due, oldest first, in order per conversation."""
    query = (
        select(OutboundMessage)
        .where(
            OutboundMessage.status == OutboundStatus.QUEUED,
            OutboundMessage.channel.in_(outbox.WORKER_CHANNELS),
        )
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
        .limit(config.batch_size)
    )
    report, held = SendReport(), set[str]()
    for message in list(session.scalars(query)):
        if message.conversation_id in held:
            continue
        due = message.next_attempt_at is None or message.next_attempt_at <= now
        outcome = _send_one(session, twilio_client, message, now, config) if due else Outcome.SKIPPED
        report.add(outcome)
        if outcome in (Outcome.SKIPPED, Outcome.RETRY):
            held.add(message.conversation_id)
    return report


def _claim(session: Session, message: OutboundMessage, now: datetime, config: SenderConfig) -> bool:
    """Lease the message so a second worker (or this one after a crash) leaves it alone for a while."""
    lease_until = now + timedelta(seconds=config.lease_seconds)
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


def _send_one(
    session: Session, twilio_client: Any, message: OutboundMessage, now: datetime, config: SenderConfig
) -> str:
    if not _claim(session, message, now, config):
        return Outcome.SKIPPED
    decision = compliance.evaluate(session, outbox.candidate(message), now, config=config.gate)
    if not decision.allowed:
        outbox.block(message, decision.reasons, now)
        outbox.record_attempt(session, message, Outcome.BLOCKED)
        session.commit()
        return Outcome.BLOCKED
    message.attempts += 1
    try:
        result = twilio_client.messages.create(**_create_args(message, config))
    except TwilioRestException as error:
        return _refused(session, message, now, config, error)
    except (requests.RequestException, OSError) as error:
        return _retry(session, message, now, config, outbox.Failure(None, type(error).__name__))
    outbox.mark_sent(session, message, str(result.sid), now)
    session.commit()
    logger.info("sms sent", extra={"message_id": message.id, "attempt": message.attempts})
    return Outcome.SENT


def _create_args(message: OutboundMessage, config: SenderConfig) -> dict[str, str]:
    args = {"to": message.to_address, "body": message.body}
    if config.messaging_service_sid:
        args["messaging_service_sid"] = config.messaging_service_sid
    elif config.from_number:
        args["from_"] = config.from_number
    if config.status_callback_url:
        args["status_callback"] = config.status_callback_url
    return args


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _refused(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig, error: Any
) -> str:
    """Twilio answered with an error: retry 429/5xx, give up on anything else."""
    failure = outbox.Failure(int(error.status), str(error.code) if error.code is not None else None)
    if _retryable(int(error.status)):
        return _retry(session, message, now, config, failure)
    outbox.mark_failed(session, message, now, failure)
    if error.code == TWILIO_UNSUBSCRIBED:
        _provider_opt_out(session, message, now)
    session.commit()
    # Status and code only: Twilio's message text can contain the phone number.
    logger.warning(
        "sms refused",
        extra={"message_id": message.id, "http_status": error.status, "code": failure.error_code},
    )
    return Outcome.FAILED


def _retry(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig, failure: outbox.Failure
) -> str:
    if message.attempts >= config.max_attempts:
        outbox.mark_failed(session, message, now, failure, reason="retries_exhausted")
        outcome = Outcome.FAILED
    else:
        delay = outbox.backoff(message.attempts, config.backoff_base_seconds, config.backoff_max_seconds)
        outbox.retry_later(session, message, now, failure, delay)
        outcome = Outcome.RETRY
    session.commit()
    logger.warning(
        "sms send failed",
        extra={
            "message_id": message.id,
            "attempt": message.attempts,
            "http_status": failure.http_status,
            "error": failure.error_code,
            "outcome": outcome,
        },
    )
    return outcome


def _provider_opt_out(session: Session, message: OutboundMessage, now: datetime) -> None:
    """Mirror Twilio's opt-out list: the number told Twilio STOP, so nothing more is queued for it."""
    contact = conversations.find_by_conversation(session, message.conversation_id)
    if contact is not None:
        contacts.record_provider_opt_out(session, contact, now)
