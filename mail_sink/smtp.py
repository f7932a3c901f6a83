"""The sink's SMTP side: an aiosmtpd handler that keeps each mail, or answers with an injected failure;
mail to an undeliverable domain is accepted and then bounced (mail_sink.bounce)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from mail_sink.bounce import BounceConfig, notification, post
from mail_sink.store import MailStore

logger = logging.getLogger(__name__)

ACCEPTED = "250 Message accepted for delivery"
STAGES = ("RCPT", "DATA")


class SinkHandler:
    """aiosmtpd handler: RCPT and DATA answer 250, unless a failure was queued for that stage."""

    def __init__(self, store: MailStore, bounces: BounceConfig | None = None) -> None:
        self.store = store
        self.bounces = bounces or BounceConfig()
        self._failures: dict[str, deque[str]] = {stage: deque() for stage in STAGES}
        self._lock = threading.Lock()

    def fail_next(self, reply: str, times: int = 1, stage: str = "DATA") -> None:
        """Answer the next `times` commands of `stage` with `reply`, e.g. "451 4.3.0 Try again later"."""
        with self._lock:
            self._failures[stage].extend([reply] * times)

    def _failure(self, stage: str) -> str | None:
        with self._lock:
            queued = self._failures[stage]
            return queued.popleft() if queued else None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        """Accept the recipient (or fail as told)."""
        failure = self._failure("RCPT")
        if failure is not None:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Keep the mail (or fail as told); logs its id only, never an address."""
        failure = self._failure("DATA")
        if failure is not None:
            return failure
        raw: Any = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else str(raw).encode()
        sender = str(envelope.mail_from or "")
        delivered = [rcpt for rcpt in envelope.rcpt_tos if self.bounces.bounce_for(rcpt) is None]
        if delivered:
            mail = self.store.add(sender, tuple(delivered), data)
            logger.info("mail received", extra={"mail_id": mail.id})
        loop = asyncio.get_running_loop()
        for recipient in envelope.rcpt_tos:
            # after the 250, as a relay does: the sender records the mail as sent before the bounce comes
            loop.run_in_executor(None, self._bounce, sender, recipient, data)
        return ACCEPTED

    def _bounce(self, sender: str, recipient: str, data: bytes) -> None:
        """Return a DSN for a recipient at an undeliverable domain: posted to the intake (retried while it
        asks to), then kept in the mailbox, so whoever sees it there knows the intake has had it."""
        bounce = self.bounces.bounce_for(recipient)
        if bounce is None or not sender:  # no bounce for a bounce (null sender)
            return
        dsn = notification(sender, recipient, bounce, data)
        status = post(self.bounces, dsn)
        mail = self.store.add("", (sender,), dsn)
        logger.info("bounce returned", extra={"mail_id": mail.id, "status": bounce.status, "intake": status})
