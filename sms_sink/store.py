"""What the sink has seen: every message per phone number, in memory and bounded, with change waits."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal

Direction = Literal["inbound", "outbound"]


@dataclass(frozen=True)
class Recorded:
    """One create request the REST API received, answered or refused."""

    account_sid: str
    params: dict[str, str]
    authorized: bool
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SmsMessage:
    """One text of a thread: the phone's (inbound) or one sent to it (outbound)."""

    sid: str
    direction: Direction
    number: str
    body: str
    status: str
    created_at: datetime
    revision: int
    created_revision: int
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The message as the page and the demo read it."""
        return {
            "sid": self.sid,
            "direction": self.direction,
            "body": self.body,
            "status": self.status,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "revision": self.revision,
            "created_revision": self.created_revision,
        }


class MessageStore:
    """Messages by sid and the REST requests, each capped at `limit` (the oldest go first)."""

    def __init__(self, limit: int = 5000) -> None:
        self._limit = limit
        self._messages: OrderedDict[str, SmsMessage] = OrderedDict()
        self._requests: deque[Recorded] = deque(maxlen=limit)
        self._revision = 0
        self._changed = threading.Condition()

    @property
    def requests(self) -> list[Recorded]:
        """The REST requests, oldest first."""
        with self._changed:
            return list(self._requests)

    def record_request(self, recorded: Recorded) -> None:
        """Remember one REST request."""
        with self._changed:
            self._requests.append(recorded)

    def add(self, sid: str, direction: Direction, number: str, body: str, status: str) -> SmsMessage:
        """Store a new message of `number`'s thread."""
        with self._changed:
            self._revision += 1
            revision = self._revision
            message = SmsMessage(sid, direction, number, body, status, _now(), revision, revision)
            self._messages[sid] = message
            while len(self._messages) > self._limit:
                self._messages.popitem(last=False)
            self._changed.notify_all()
            return message

    def update(self, sid: str, status: str, error: str | None = None) -> SmsMessage | None:
        """Change a message's status (None when it is unknown or already evicted)."""
        with self._changed:
            message = self._messages.get(sid)
            if message is None:
                return None
            self._revision += 1
            message = replace(message, status=status, error=error, revision=self._revision)
            self._messages[sid] = message
            self._changed.notify_all()
            return message

    def get(self, sid: str) -> SmsMessage | None:
        """One message by sid."""
        with self._changed:
            return self._messages.get(sid)

    def numbers(self) -> list[str]:
        """Every phone number with a thread, most recent first."""
        with self._changed:
            return list(dict.fromkeys(m.number for m in reversed(self._messages.values())))

    def changes(self, number: str, since: int = 0, wait_seconds: float = 0.0) -> tuple[int, list[SmsMessage]]:
        """The revision now and `number`'s messages changed after `since`, waiting up to `wait_seconds`.

        A long poll: the page and the demo hold one of these open instead of polling on a timer.
        """
        with self._changed:
            self._changed.wait_for(lambda: bool(self._changed_since(number, since)), timeout=wait_seconds)
            return self._revision, self._changed_since(number, since)

    def _changed_since(self, number: str, since: int) -> list[SmsMessage]:
        return [m for m in self._messages.values() if m.number == number and m.revision > since]


def _now() -> datetime:
    return datetime.now(timezone.utc)
