"""The email sender: one pass over the outbox sends every queued email that is due, over SMTP.

The books are the SMS sender's (api.messaging.sender.send_pending_with and the outbox's functions): a
lease, the compliance gate again just before sending, then sent / retry with backoff / failed. SMTP's
transient answers (4xx) and lost connections are retried; permanent ones (5xx) fail the message. An
authentication failure is the relay's configuration, not the message's: retried. The SMTP reply code is
kept in the attempt log's status column (`smtp_<code>` as the error code). Neither the address nor the
server's reply text (which often repeats the address) is ever logged.

Each email is rendered when it is sent (api.messaging.email_render): its unsubscribe link is signed then.
Its envelope sender is its own VERP address (api.messaging.bounces), where a bounce comes back later.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from functools import partial
from types import TracebackType

from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.compliance import gate as compliance
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.messaging import bounces, outbox, unsubscribe
from api.messaging.email_render import Letter, Sender, compose
from api.messaging.exceptions import InvalidEmailAddress
from api.messaging.outbox import Outcome
from api.messaging.sender import SenderConfig, SendReport, send_pending_with
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)
_retry = partial(outbox.retry_logged, channel="email", status_key="smtp_code")
"""A transient failure: retry later (or give up), logged with the SMTP status."""

SMTP_OK = 250
AUTH_FAILED = "smtp_auth"
INVALID_ADDRESS = "invalid_address"


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP relay."""

    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "SmtpConfig | None":
        """The relay from SMTP_* settings; None without SMTP_HOST (the worker then sends no email)."""
        if not settings.SMTP_HOST:
            return None
        password = settings.SMTP_PASSWORD.get_secret_value() if settings.SMTP_PASSWORD else None
        return cls(
            host=settings.SMTP_HOST,
            port=settings.SMTP_PORT,
            username=settings.SMTP_USERNAME,
            password=password,
            starttls=settings.SMTP_STARTTLS,
            timeout_seconds=settings.SMTP_TIMEOUT_SECONDS,
        )


class Mailer:
    """One SMTP connection, opened on first use and again after any error; `close` ends it."""

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config
        self._smtp: smtplib.SMTP | None = None

    def send(self, mime: EmailMessage, recipient: str, envelope_from: str | None = None) -> None:
        """Hand one message for one recipient (the envelope's, not the headers') to the relay, with its
        own envelope sender (the VERP Return-Path bounces come back to); raises smtplib's errors (and
        OSError) as they come."""
        smtp = self._connection()
        try:
            smtp.send_message(mime, from_addr=envelope_from, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError):
            self._drop()
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            config = self._config
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds)
            try:
                self._greet(smtp)
            except (smtplib.SMTPException, OSError):
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def _greet(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS and login, as configured."""
        if self._config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if self._config.username and self._config.password is not None:
            smtp.login(self._config.username, self._config.password)

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """Say QUIT (or just hang up when the relay is gone)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def send_pending_email(
    session: Session, mailer: Mailer, now: datetime, config: SenderConfig, settings: Settings
) -> SendReport:
    """One pass over the email queue through the relay."""

    def send_one(message: OutboundMessage) -> str:
        return _send(session, mailer, message, now, config, settings)

    return send_pending_with(session, Channel.EMAIL, now, config, send_one)


def _send(
    session: Session,
    mailer: Mailer,
    message: OutboundMessage,
    now: datetime,
    config: SenderConfig,
    settings: Settings,
) -> str:
    try:
        mime = compose(_letter(session, message, now, config, settings), Sender.from_settings(settings), now)
    except InvalidEmailAddress:
        return _unsendable(session, message, now)
    try:
        mailer.send(mime, message.to_address, bounces.return_path(settings, message.id))
    except smtplib.SMTPAuthenticationError:
        return _retry(session, message, now, config.retry, (None, AUTH_FAILED))
    except smtplib.SMTPRecipientsRefused as error:
        return _refused(session, message, now, config, _recipient_code(error))
    except smtplib.SMTPResponseException as error:
        return _refused(session, message, now, config, int(error.smtp_code))
    except (smtplib.SMTPException, OSError) as error:
        return _retry(session, message, now, config.retry, (None, type(error).__name__))
    outbox.mark_sent(session, message, now, None, http_status=SMTP_OK)
    logger.info("email sent", extra={"message_id": message.id, "attempt": message.attempts})
    return Outcome.SENT


def _unsendable(session: Session, message: OutboundMessage, now: datetime) -> str:
    """The address on file is not one mailbox: failed for good, nothing handed to the relay."""
    outbox.fail(session, message, now, INVALID_ADDRESS)
    session.commit()
    logger.warning("email not sent: invalid address", extra={"message_id": message.id})
    return Outcome.FAILED


def _recipient_code(error: smtplib.SMTPRecipientsRefused) -> int:
    """The relay's code for our single recipient (the dict is keyed by the address: never logged)."""
    codes = [int(code) for code, _ in error.recipients.values()]
    return min(codes) if codes else 550


def _letter(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig, settings: Settings
) -> Letter:
    """What the templates need: the debtor's first name, the required disclosures, a fresh link."""
    account = session.get(Account, message.account_id) if message.account_id else None
    token = unsubscribe.issue_token(settings, message.conversation_id, message.id, now)
    return Letter(
        message_id=message.id,
        to=message.to_address,
        subject=message.subject or settings.COLLECTOR_NAME,
        first_name=account.debtor.first_name if account is not None else None,
        body=message.body,
        disclosures=_disclosures(session, message, now, config),
        unsubscribe_url=unsubscribe.link(settings, token),
    )


def _disclosures(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig
) -> tuple[str, ...]:
    """The disclosures the gate requires of this message: those a message without a body would lack."""
    bare = replace(outbox.candidate(message), body="")
    context = compliance.Context(session, bare, now, config.gate)
    return tuple(text for _, text in compliance.missing_disclosures(context))


def _refused(
    session: Session, message: OutboundMessage, now: datetime, config: SenderConfig, code: int
) -> str:
    """The relay answered with an error code: 4xx is transient (retry), anything else permanent."""
    if 400 <= code < 500:
        return _retry(session, message, now, config.retry, (code, f"smtp_{code}"))
    outbox.fail(session, message, now, f"smtp_{code}", http_status=code)
    session.commit()
    logger.warning("email refused", extra={"message_id": message.id, "smtp_code": code})
    return Outcome.FAILED
