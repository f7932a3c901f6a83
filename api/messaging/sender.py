"""The SMS sender: one pass over the outbox sends every queued SMS that is due, through Twilio.

Every message passes the compliance gate again just before it goes (an opt-out may have arrived while it
waited). Rate limits (429), Twilio errors (5xx) and network failures are retried with exponential backoff;
attempts and the next try are on the row, so a crash or restart loses nothing. Delivery is at least once:
a crash between Twilio accepting a message and our commit sends it again on the next pass.
Messages of one conversation go out in order: a conversation waiting on a retry holds its later messages.
The books (lease, gate, sent / retry / failed) are the outbox's, shared with the email sender
(api.messaging.email_sender). The worker (api.worker) runs the passes.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import requests
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException  # type: ignore[import-untyped]

from api.compliance import gate as compliance
from api.conversations import service as conversations
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.messaging import contacts, outbox
from api.messaging.outbox import Outcome, RetryPolicy
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)
_retry = partial(outbox.retry_logged, channel="sms", status_key="http_status")
"""A transient failure: retry later (or give up), logged with the HTTP status."""

TWILIO_UNSUBSCRIBED = 21610
"""Twilio's own opt-out list refused the message: the number texted STOP to Twilio directly."""


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

    @property
    def retry(self) -> RetryPolicy:
        """The outbox's retry bookkeeping for these settings."""
        return RetryPolicy(
            self.max_attempts, self.backoff_base_seconds, self.backoff_max_seconds, self.lease_seconds
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

    def __add__(self, other: "SendReport") -> "SendReport":
        return SendReport(
            self.sent + other.sent,
            self.retry + other.retry,
            self.failed + other.failed,
            self.blocked + other.blocked,
        )


SendOne = Callable[[OutboundMessage], str]
"""Sends one claimed, gate-approved message and keeps its books; returns the Outcome."""


def send_pending_with(
    session: Session, channel: str, now: datetime, config: SenderConfig, send_one: SendOne
) -> SendReport:
    """One pass over a channel's queue: every due message, oldest first, in order per conversation."""
    report, held = SendReport(), set[str]()
    for message in outbox.due(session, channel, config.batch_size):
        if message.conversation_id in held:
            continue
        due = message.next_attempt_at is None or message.next_attempt_at <= now
        outcome = _checked(session, message, now, config, send_one) if due else Outcome.SKIPPED
        report.add(outcome)
        if outcome in (Outcome.SKIPPED, Outcome.RETRY):
            held.add(message.conversation_id)
    return report


def _checked(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig, send_one: SendOne
) -> str:
    """Lease, gate again, then send: the steps every channel's sender shares."""
    if not outbox.claim(session, message, now, config.retry):
        return Outcome.SKIPPED
    if not outbox.recheck(session, message, now, config.gate):
        return Outcome.BLOCKED
    message.attempts += 1
    return send_one(message)


def send_pending(session: Session, twilio_client: Any, now: datetime, config: SenderConfig) -> SendReport:
    """One pass over the SMS queue through Twilio."""

    def send_one(message: OutboundMessage) -> str:
        return _send_sms(session, twilio_client, message, now, config)

    return send_pending_with(session, Channel.SMS, now, config, send_one)


def _send_sms(
    session: Session, twilio_client: Any, message: OutboundMessage, now: datetime, config: SenderConfig
) -> str:
    try:
        result = twilio_client.messages.create(**_create_args(message, config))
    except TwilioRestException as error:
        return _refused(session, message, now, config, error)
    except (requests.RequestException, OSError) as error:
        return _retry(session, message, now, config.retry, (None, type(error).__name__))
    outbox.mark_sent(session, message, now, str(result.sid), http_status=201)
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
    code = str(error.code) if error.code is not None else None
    if _retryable(int(error.status)):
        return _retry(session, message, now, config.retry, (int(error.status), code))
    outbox.fail(session, message, now, code, http_status=int(error.status))
    if error.code == TWILIO_UNSUBSCRIBED:
        _mark_opted_out(session, message, now)
    session.commit()
    # Status and code only: Twilio's message text can contain the phone number.
    logger.warning("sms refused", extra={"message_id": message.id, "http_status": error.status, "code": code})
    return Outcome.FAILED


def _mark_opted_out(session: Session, message: OutboundMessage, now: datetime) -> None:
    """Mirror Twilio's opt-out list: the number told Twilio STOP, so nothing more is queued for it."""
    contact = conversations.find_by_conversation(session, message.conversation_id)
    if contact is not None:
        contacts.record_provider_opt_out(session, contact, now)
