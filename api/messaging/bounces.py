"""Email bounces: a VERP Return-Path on every email, and the intake of the delivery reports that come back.

Each email leaves with its own envelope sender, `bounces+<message id>.<signature>@<domain>` (VERP), so a
bounce names the outbox message it concerns without our having to trust anything else in it; the
signature (an HMAC under a key derived from SECRET_KEY) stops a forged report from naming another one.
Reports arrive as RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status)
or as a provider's JSON event, each once by its key (the DSN's Message-ID, the event's id): a repeated
delivery of the same report changes nothing.

A hard bounce (status 5.x.x) makes the message `undelivered` (outbox.bounce_hard) and marks its address
undeliverable (contacts.mark_undeliverable, an account event): the gate then sends no more email there.
A soft bounce (4.x.x) is noted and the message queued again under the sender's retry policy
(outbox.bounce_soft). No address is logged or stored here: the outbox message says where it went.
"""

import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import Message
from email.utils import getaddresses, parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations import service as conversations
from api.conversations.models import EmailBounce, OutboundMessage
from api.core.config import Settings
from api.messaging import contacts, outbox
from api.messaging.exceptions import BounceReportInvalid, BounceTooEarly
from shared.vocabulary import Channel, OutboundStatus

logger = logging.getLogger(__name__)

LOCAL_PREFIX = "bounces+"
SIGNATURE_HEADER = "X-Bounce-Signature"
VERP = re.compile(r"bounces\+(?P<id>[0-9a-f-]{36})\.(?P<sig>[0-9a-f]{16})@", re.IGNORECASE)
STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")
ADDRESS_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To")
"""Where a DSN carries the address it was sent to: the VERP Return-Path of the bounced email."""


class Kind:
    """What a report says happened."""

    HARD = "hard"
    SOFT = "soft"


class Result:
    """What the intake did with one report."""

    HARD = "hard"
    SOFT = "soft"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    """No outbox email matches the report's (genuine) return path: kept, nothing changed."""
    IGNORED = "ignored"
    """Not a bounce (a delivered or relayed notice)."""


@dataclass(frozen=True)
class Report:
    """One bounce as the intake reads it: its key, the address it came back to, its status code."""

    event_key: str
    return_path: str
    status: str
    source: str

    @property
    def kind(self) -> str | None:
        """hard (5.x.x), soft (4.x.x), or None (2.x.x: delivered)."""
        return {"5": Kind.HARD, "4": Kind.SOFT}.get(self.status[:1])


def _key(settings: Settings) -> bytes:
    """The VERP signature's own key, derived from SECRET_KEY."""
    secret = settings.SECRET_KEY.get_secret_value().encode()
    return hmac.new(secret, b"email-bounce-return-path", hashlib.sha256).digest()


def _signature(settings: Settings, message_id: str) -> str:
    return hmac.new(_key(settings), message_id.encode(), hashlib.sha256).hexdigest()[:16]


def domain(settings: Settings) -> str:
    """The Return-Path's domain: EMAIL_BOUNCE_DOMAIN, else SMTP_FROM's."""
    if settings.EMAIL_BOUNCE_DOMAIN:
        return settings.EMAIL_BOUNCE_DOMAIN
    return parseaddr(settings.SMTP_FROM)[1].rpartition("@")[2] or "localhost"


def return_path(settings: Settings, message_id: str) -> str:
    """The envelope sender of one email: bounces+<message id>.<signature>@<domain>."""
    return f"{LOCAL_PREFIX}{message_id}.{_signature(settings, message_id)}@{domain(settings)}"


def message_id_of(settings: Settings, address: str) -> str | None:
    """The outbox message a genuine Return-Path names; None when it is not ours or forged."""
    match = VERP.search(address)
    if match is None:
        return None
    message_id, signature = match["id"].lower(), match["sig"].lower()
    return message_id if hmac.compare_digest(signature, _signature(settings, message_id)) else None


def body_signature(secret: str, body: bytes) -> str:
    """The intake's signature header value of a request body: sha256=<hex HMAC-SHA256>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(settings: Settings, body: bytes, header: str | None) -> bool:
    """Whether the request carries the body's signature under EMAIL_BOUNCE_WEBHOOK_SECRET (never without
    a secret configured)."""
    secret = settings.EMAIL_BOUNCE_WEBHOOK_SECRET
    if secret is None or not header:
        return False
    return hmac.compare_digest(header.strip(), body_signature(secret.get_secret_value(), body))


def bounced(message: OutboundMessage) -> bool:
    """Whether a hard bounce came back for the message (the campaign report's `bounced`)."""
    return message.status == OutboundStatus.UNDELIVERED and (message.error_code or "").startswith(
        outbox.BOUNCE_PREFIX
    )


# --- reading reports -------------------------------------------------------------------------------


def _status_blocks(dsn: Message) -> list[Message]:
    """The header blocks of the message/delivery-status part (per-message first, then per-recipient)."""
    for part in dsn.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            return (
                [block for block in payload if isinstance(block, Message)]
                if isinstance(payload, list)
                else []
            )
    return []


def _recipient_status(blocks: list[Message]) -> str | None:
    """The status of the first recipient that failed or was delayed."""
    for block in blocks[1:]:
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).split()[0] if block.get("Status") else ""
        if action in ("failed", "delayed") and STATUS.match(status):
            return status
    return None


def _verp_address(dsn: Message) -> str:
    """The VERP address the DSN was sent to (or, failing that, the returned headers' Return-Path)."""
    for name in ADDRESS_HEADERS:
        for _, address in getaddresses([str(value) for value in dsn.get_all(name, [])]):
            if address.lower().startswith(LOCAL_PREFIX):
                return address
    for part in dsn.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            found = VERP.search(part.as_string())
            if found is not None:
                return found.group(0)
    return ""


def parse_dsn(raw: bytes) -> list[Report]:
    """The bounce an RFC 3464 DSN reports (none for a delivered notice); BounceReportInvalid otherwise."""
    dsn = message_from_bytes(raw, policy=policy.compat32)
    if dsn.get_content_type() != "multipart/report":
        raise BounceReportInvalid("not a multipart/report message")
    blocks = _status_blocks(dsn)
    if not blocks:
        raise BounceReportInvalid("no message/delivery-status part")
    status = _recipient_status(blocks)
    key = str(dsn.get("Message-ID") or "").strip() or hashlib.sha256(raw).hexdigest()
    return [] if status is None else [Report(f"dsn:{key}"[:128], _verp_address(dsn), status, "dsn")]


JSON_KEYS = {
    "event_key": ("event_id", "id", "sg_event_id"),
    "return_path": ("return_path", "envelope_from", "bounce_address"),
    "status": ("status", "enhanced_status"),
}
"""Names providers give the fields we read, in the order they are tried."""
JSON_TYPES = {"hard": "5.0.0", "hardbounce": "5.0.0", "soft": "4.0.0", "softbounce": "4.0.0"}
"""A bounce `type` without an enhanced status code, as its class."""


def _field(event: dict[str, Any], name: str) -> str:
    return next((str(event[key]) for key in JSON_KEYS[name] if event.get(key)), "")


def _json_report(event: Any) -> Report:
    if not isinstance(event, dict):
        raise BounceReportInvalid("a bounce event is not an object")
    key, status = _field(event, "event_key"), _field(event, "status")
    if not STATUS.match(status):
        status = JSON_TYPES.get(str(event.get("type", "")).lower(), "")
    if not key or not status:
        raise BounceReportInvalid("a bounce event needs an id and a status")
    return Report(f"json:{key}"[:128], _field(event, "return_path"), status, "json")


def parse_json(body: bytes) -> list[Report]:
    """The bounces of a provider's JSON (one event or a list of them)."""
    try:
        data = json.loads(body)
    except ValueError:
        raise BounceReportInvalid("not JSON") from None
    return [_json_report(event) for event in (data if isinstance(data, list) else [data])]


def parse(body: bytes, content_type: str) -> list[Report]:
    """The reports of one intake request: JSON by its content type, else a raw DSN."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        return parse_json(body)
    return parse_dsn(body)


# --- applying them ---------------------------------------------------------------------------------


def _seen(session: Session, event_key: str) -> bool:
    return session.scalar(select(EmailBounce.id).where(EmailBounce.event_key == event_key)) is not None


def _email(session: Session, settings: Settings, report: Report) -> OutboundMessage | None:
    """The outbox email the report's genuine Return-Path names."""
    message_id = message_id_of(settings, report.return_path)
    message = session.get(OutboundMessage, message_id) if message_id else None
    return message if message is not None and message.channel == Channel.EMAIL else None


def _hard(session: Session, message: OutboundMessage, status: str, now: datetime) -> None:
    outbox.bounce_hard(session, message, status, now)
    contact = conversations.find_by_address(session, Channel.EMAIL, message.to_address)
    if contact is not None:
        contacts.mark_undeliverable(session, contact, status, now)


def _act(
    session: Session,
    report: Report,
    message: OutboundMessage | None,
    now: datetime,
    retry: outbox.RetryPolicy,
) -> str:
    """Change the message (and address) as the report says; the result."""
    if report.kind is None:
        return Result.IGNORED
    if message is None:
        return Result.UNKNOWN
    if report.kind == Kind.HARD:
        _hard(session, message, report.status, now)
        return Result.HARD
    outbox.bounce_soft(session, message, report.status, now, retry)
    return Result.SOFT


def apply(
    session: Session, settings: Settings, report: Report, now: datetime, retry: outbox.RetryPolicy
) -> str:
    """Apply one report once (a repeated key changes nothing); commits; the result.

    Raises:
        BounceTooEarly: the email is still queued (being sent): nothing recorded, the report comes again.
    """
    if _seen(session, report.event_key):
        return Result.DUPLICATE
    message = _email(session, settings, report)
    if message is not None and report.kind is not None and message.status == OutboundStatus.QUEUED:
        raise BounceTooEarly("the email is not recorded as sent yet")
    result = _act(session, report, message, now, retry)
    session.add(
        EmailBounce(
            event_key=report.event_key,
            message_id=message.id if message is not None else None,
            kind=report.kind or "none",
            status=report.status[:16],
            source=report.source,
            received_at=now,
        )
    )
    try:
        session.commit()
    except IntegrityError:  # the same report, delivered twice at once: the other one counted
        session.rollback()
        return Result.DUPLICATE
    logger.info(
        "email bounce",
        extra={"message_id": message.id if message else None, "status": report.status, "result": result},
    )
    return result
