"""The fake Twilio of the tests: the shipped SMS sink (sms_sink/) with failure injection added.

Records every create request as the sink does (`requests`, `sent`, `sent_to`), and can be told to fail the
next N requests with an HTTP status (429, 500, ...) and Twilio error code, or to drop the connection (a
network error). Status callbacks are off: tests post the delivery reports they mean to test themselves.

    with FakeTwilio(account_sid, auth_token) as twilio:
        client.api.base_url = twilio.url
"""

from __future__ import annotations

import threading
from collections import deque

from sms_sink.config import SinkConfig
from sms_sink.server import Failure, SmsSink
from sms_sink.store import Recorded

__all__ = ["FAKE_ACCOUNT_SID", "FAKE_AUTH_TOKEN", "FakeTwilio", "Recorded"]

FAKE_ACCOUNT_SID = "AC" + "0" * 32
FAKE_AUTH_TOKEN = "fake-auth-token"
# Inbound texts are not what these tests send through the fake: nothing listens here.
NO_WEBHOOK = "http://127.0.0.1:9"


class FakeTwilio(SmsSink):
    """The sink without status callbacks, plus `fail_next` / `drop_next`."""

    def __init__(self, account_sid: str = FAKE_ACCOUNT_SID, auth_token: str = FAKE_AUTH_TOKEN) -> None:
        super().__init__(SinkConfig(account_sid, auth_token, NO_WEBHOOK, NO_WEBHOOK, status_callbacks=False))
        self._failures: deque[Failure] = deque()
        self._failures_lock = threading.Lock()

    def fail_next(self, status: int, times: int = 1, code: int | None = None) -> None:
        """Answer the next `times` message requests with `status` (and Twilio error `code`)."""
        with self._failures_lock:
            self._failures.extend([Failure(status, code)] * times)

    def drop_next(self, times: int = 1) -> None:
        """Close the connection without answering the next `times` message requests."""
        with self._failures_lock:
            self._failures.extend([Failure(-1, drop=True)] * times)

    def next_failure(self) -> Failure | None:
        """The injected failure for this request, if any is left."""
        with self._failures_lock:
            return self._failures.popleft() if self._failures else None
