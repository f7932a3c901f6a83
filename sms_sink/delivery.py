"""The sink's own HTTP posts: signed forms to Rasa's webhook and to status callback URLs."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from sms_sink.exceptions import DeliveryError
from sms_sink.wire import SIGNATURE_HEADER, signature

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Answer:
    """What the other side answered a post."""

    status: int
    text: str


def post_signed(url: str, signed_url: str, params: Mapping[str, str], auth_token: str) -> Answer:
    """POST `params` as a form to `url`, signed as Twilio signs it over `signed_url`."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError("only http(s) URLs are posted to")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        SIGNATURE_HEADER: signature(auth_token, signed_url, params),
        "User-Agent": "TwilioProxy/1.1 (sms_sink)",
    }
    form = urlencode(params).encode()
    request = urllib.request.Request(url, data=form, headers=headers, method="POST")  # noqa: S310 (http(s))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, _text(response.read()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, _text(error.read()))
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(str(getattr(error, "reason", error))) from error


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:500]


@dataclass(frozen=True)
class StatusReport:
    """One status change to report for a message."""

    sid: str
    status: str
    callback_url: str | None
    params: dict[str, str]
    due: float


class StatusReporter:
    """One background thread that applies and posts status changes in order, each after a delay.

    The delay is Twilio's too, and it matters: the worker stores a message's sid only after the create
    call returns, so an immediate "sent" report would name a sid the API does not know yet.
    """

    def __init__(self, auth_token: str, delay_seconds: float, apply: Callable[[str, str], None]) -> None:
        self._auth_token, self._delay, self._apply = auth_token, delay_seconds, apply
        self._queue: deque[StatusReport] = deque()
        self._cond = threading.Condition()
        self._busy = False
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the reporting thread."""
        self._thread = threading.Thread(target=self._run, name="sms-sink-status", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the report in flight; pending ones are dropped."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=TIMEOUT_SECONDS + 1)

    def report(
        self, sid: str, statuses: tuple[str, ...], callback_url: str | None, params: dict[str, str]
    ) -> None:
        """Queue `statuses` for `sid`, one delay apart; `params` builds each form (see wire.status_params)."""
        now = time.monotonic()
        with self._cond:
            for step, status in enumerate(statuses, start=1):
                form = {**params, "MessageStatus": status, "SmsStatus": status}
                self._queue.append(StatusReport(sid, status, callback_url, form, now + step * self._delay))
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued report is applied and posted; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout=timeout)

    def _run(self) -> None:
        while (report := self._next()) is not None:
            try:
                self._deliver(report)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _next(self) -> StatusReport | None:
        with self._cond:
            while not self._stopped:
                if not self._queue:
                    self._cond.wait()
                    continue
                remaining = self._queue[0].due - time.monotonic()
                if remaining <= 0:
                    self._busy = True
                    return self._queue.popleft()
                self._cond.wait(timeout=remaining)
            return None

    def _deliver(self, report: StatusReport) -> None:
        self._apply(report.sid, report.status)
        if not report.callback_url:
            return
        try:
            answer = post_signed(report.callback_url, report.callback_url, report.params, self._auth_token)
        except DeliveryError as error:
            logger.warning("status callback not delivered", extra={"sid": report.sid, "error": str(error)})
            return
        if answer.status >= 300:
            logger.warning("status callback refused", extra={"sid": report.sid, "status": answer.status})
