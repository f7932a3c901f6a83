"""Bounces on demand: mail to a recipient at an undeliverable domain is accepted, then comes back as an
RFC 3464 delivery status notification (multipart/report) to its envelope sender, which the sink posts
to the API's bounce intake, signed as the intake expects (X-Bounce-Signature: sha256=<HMAC of the body>).

`*@bounce.invalid` bounces hard (5.1.1, the mailbox does not exist), `*@soft-bounce.invalid` softly
(4.2.2, the mailbox is full): the whole loop of `make run` without a real relay. Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesHeaderParser
from email.utils import formatdate, make_msgid

logger = logging.getLogger(__name__)

HARD_DOMAIN = "bounce.invalid"
SOFT_DOMAIN = "soft-bounce.invalid"
SIGNATURE_HEADER = "X-Bounce-Signature"
REPORTING_MTA = "mail-sink.local"
POST_TIMEOUT_SECONDS = 10.0
POST_ATTEMPTS = 8
RETRY_FIRST_SECONDS = 0.1
"""A refused (409, 5xx) or unreachable intake is tried again after 0.1 s, 0.2 s, ... as webhooks are."""


@dataclass(frozen=True)
class Bounce:
    """What a failed delivery reports: the RFC 3463 status, its SMTP reply, the DSN's action."""

    status: str
    diagnostic: str
    action: str


HARD = Bounce("5.1.1", "550 5.1.1 The email account that you tried to reach does not exist", "failed")
SOFT = Bounce("4.2.2", "452 4.2.2 The recipient's mailbox is full, try again later", "delayed")


@dataclass(frozen=True)
class BounceConfig:
    """Which recipients bounce, and where the notifications go (None: only kept in the mailbox)."""

    hard_domains: tuple[str, ...] = (HARD_DOMAIN,)
    soft_domains: tuple[str, ...] = (SOFT_DOMAIN,)
    intake_url: str | None = None
    secret: str | None = None

    def bounce_for(self, recipient: str) -> Bounce | None:
        """The bounce a recipient's domain asks for, if any."""
        domain = recipient.rpartition("@")[2].lower()
        if domain in self.hard_domains:
            return HARD
        return SOFT if domain in self.soft_domains else None


def _status_part(recipient: str, bounce: Bounce) -> MIMEBase:
    """The machine-readable part: the per-message fields, then the recipient's."""
    per_message, per_recipient = Message(), Message()
    per_message["Reporting-MTA"] = f"dns; {REPORTING_MTA}"
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Action"] = bounce.action
    per_recipient["Status"] = bounce.status
    per_recipient["Diagnostic-Code"] = f"smtp; {bounce.diagnostic}"
    part = MIMEBase("message", "delivery-status")
    part.set_payload([per_message, per_recipient])
    return part


def _returned_headers(original: bytes) -> MIMEText:
    """The bounced message's headers (text/rfc822-headers), as relays return them."""
    headers = BytesHeaderParser().parsebytes(original)
    text = "".join(f"{name}: {value}\n" for name, value in headers.items())
    return MIMEText(text, "rfc822-headers")


def notification(return_path: str, recipient: str, bounce: Bounce, original: bytes) -> bytes:
    """The DSN of one recipient's failed (or delayed) delivery, addressed to the envelope sender."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = f"Mail Delivery System <MAILER-DAEMON@{REPORTING_MTA}>"
    report["To"] = return_path
    report["Subject"] = "Undelivered Mail Returned to Sender" if bounce.action == "failed" else "Delayed Mail"
    report["Date"] = formatdate(localtime=False)
    report["Message-ID"] = make_msgid(domain=REPORTING_MTA)
    report["Auto-Submitted"] = "auto-replied"
    human = f"Your message could not be delivered to one recipient.\n\n{bounce.diagnostic}\n"
    report.attach(MIMEText(human, "plain"))
    report.attach(_status_part(recipient, bounce))
    report.attach(_returned_headers(original))
    return report.as_bytes()


def signature(secret: str, body: bytes) -> str:
    """The intake's signature header value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _retryable(status: int | None) -> bool:
    return status is None or status == 409 or status >= 500


def post(config: BounceConfig, dsn: bytes) -> int | None:
    """Hand the DSN to the API's intake, again while it asks for a retry (409: the email is still being
    recorded as sent; 5xx) or cannot be reached; its last HTTP status (None: not configured/unreachable)."""
    if not config.intake_url or not config.intake_url.startswith(("http://", "https://")):
        return None
    status = None
    for attempt in range(POST_ATTEMPTS):
        status = _post_once(config, config.intake_url, dsn)
        if not _retryable(status):
            return status
        time.sleep(RETRY_FIRST_SECONDS * 2**attempt)
    return status


def _post_once(config: BounceConfig, url: str, dsn: bytes) -> int | None:
    """One POST of the DSN; the HTTP status, None when the intake is unreachable."""
    request = urllib.request.Request(url, data=dsn, method="POST")  # noqa: S310 (http(s))
    request.add_header("Content-Type", "message/rfc822")
    if config.secret:
        request.add_header(SIGNATURE_HEADER, signature(config.secret, dsn))
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        logger.warning("bounce intake refused the notification", extra={"status": error.code})
        return int(error.code)
    except OSError as error:
        logger.warning("bounce intake unreachable", extra={"error": type(error).__name__})
        return None
