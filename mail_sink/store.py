"""The mail the sink received, in memory: thread-safe, bounded, each mail parsed on demand."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cached_property
from typing import Any, cast

DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class StoredMail:
    """One mail as it arrived: the envelope and the raw bytes; the parsed parts are derived."""

    id: int
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes
    received_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @cached_property
    def message(self) -> EmailMessage:
        """The parsed message (modern email policy)."""
        return message_from_bytes(self.raw, policy=policy.default)

    @property
    def subject(self) -> str:
        """The decoded Subject header."""
        return str(self.message.get("Subject", ""))

    def header(self, name: str) -> str | None:
        """One header, decoded, or None."""
        value = self.message.get(name)
        return None if value is None else str(value)

    def part(self, subtype: str) -> str | None:
        """The text/<subtype> body ("plain" or "html") with the wire's CRLF line ends as \\n, or None."""
        found = self.message.get_body(preferencelist=(subtype,))
        return None if found is None else str(cast(EmailMessage, found).get_content()).replace("\r\n", "\n")

    def summary(self) -> dict[str, Any]:
        """The JSON view of the mail."""
        return {
            "id": self.id,
            "received_at": self.received_at.isoformat(),
            "mail_from": self.mail_from,
            "recipients": list(self.recipients),
            "subject": self.subject,
            "headers": {name: str(value) for name, value in self.message.items()},
            "text": self.part("plain"),
            "html": self.part("html"),
        }


class MailStore:
    """The last `limit` mails; `wait_for(n)` blocks until n have arrived (tests, demos)."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._mails: deque[StoredMail] = deque(maxlen=limit)
        self._ids = itertools.count(1)
        self._arrived = threading.Condition()
        self._total = 0

    def add(self, mail_from: str, recipients: tuple[str, ...], raw: bytes) -> StoredMail:
        """Keep one mail."""
        with self._arrived:
            mail = StoredMail(next(self._ids), mail_from, recipients, raw)
            self._mails.append(mail)
            self._total += 1
            self._arrived.notify_all()
        return mail

    def all(self) -> list[StoredMail]:
        """Every mail kept, oldest first."""
        with self._arrived:
            return list(self._mails)

    def get(self, mail_id: int) -> StoredMail | None:
        """The mail with this id, if still kept."""
        return next((mail for mail in self.all() if mail.id == mail_id), None)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[StoredMail]:
        """Block until `count` mails arrived in all (or the timeout); returns the mails kept."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._total >= count, timeout=timeout)
            return list(self._mails)

    def clear(self) -> None:
        """Forget every mail."""
        with self._arrived:
            self._mails.clear()
            self._total = 0
