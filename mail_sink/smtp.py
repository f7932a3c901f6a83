"""The sink's SMTP side: an aiosmtpd handler that keeps each mail, or answers with an injected failure."""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from mail_sink.store import MailStore

logger = logging.getLogger(__name__)

ACCEPTED = "250 Message accepted for delivery"
STAGES = ("RCPT", "DATA")


class SinkHandler:
    """aiosmtpd handler: RCPT and DATA answer 250, unless a failure was queued for that stage."""

    def __init__(self, store: MailStore) -> None:
        self.store = store
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
        mail = self.store.add(str(envelope.mail_from or ""), tuple(envelope.rcpt_tos), data)
        logger.info("mail received", extra={"mail_id": mail.id})
        return ACCEPTED
