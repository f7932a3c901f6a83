"""The sink's HTTP server: Twilio's Messages API for the worker, the phone page and its JSON for people.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json   create a message, as Twilio (basic auth, form)
GET  /                                                  the phone page
GET  /api/messages?number=...&since=N&wait=S            a thread's changes after revision N (long poll)
POST /api/send {"from": "+1...", "body": "..."}         text the bot from that number (signed webhook)
GET  /health                                            {"status": "ok"}
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

from shared.local_server import LocalHandler, LocalServer
from sms_sink import page
from sms_sink.config import SinkConfig
from sms_sink.delivery import Answer, StatusReporter, post_signed
from sms_sink.exceptions import DeliveryError
from sms_sink.store import MessageStore, Recorded, SmsMessage
from sms_sink.wire import (
    AUTHENTICATE,
    create_error,
    error_body,
    inbound_params,
    message_resource,
    message_sid,
    status_params,
)

logger = logging.getLogger(__name__)

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
MAX_REQUEST_BYTES = 1_000_000
MAX_TEXT_CHARS = 1600  # Twilio's limit for one (concatenated) message
MAX_WAIT_SECONDS = 25.0
DELIVERY_STATUSES = ("sent", "delivered")


@dataclass(frozen=True)
class Failure:
    """An answer given instead of 201: an HTTP error with a Twilio code, or a dropped connection."""

    status: int
    code: int | None = None
    drop: bool = False


@dataclass(frozen=True)
class Reply:
    """What the REST API answers a create; `body` None closes the connection without an answer."""

    status: int
    body: dict[str, Any] | None


class SmsSink(LocalServer):
    """The sink: start it, point the twilio client at `url`, read `requests` / `sent_to()` afterwards."""

    thread_name = "sms-sink"

    def __init__(self, config: SinkConfig) -> None:
        super().__init__()
        self.config = config
        self.store = MessageStore(config.history_limit)
        self._reporter = StatusReporter(config.auth_token, config.callback_delay_seconds, self._apply_status)

    @property
    def account_sid(self) -> str:
        """The account the sink accepts."""
        return self.config.account_sid

    @property
    def auth_token(self) -> str:
        """The auth token the sink checks and signs with."""
        return self.config.auth_token

    # --- what the worker sent ------------------------------------------------------------------------
    @property
    def requests(self) -> list[Recorded]:
        """Every create request, answered or refused, oldest first."""
        return self.store.requests

    @property
    def sent(self) -> list[Recorded]:
        """Requests answered with 201: the messages 'Twilio' accepted."""
        return [r for r in self.requests if r.status == 201]

    def sent_to(self, number: str) -> list[str]:
        """Bodies accepted for one recipient, in order."""
        return [r.params.get("Body", "") for r in self.sent if r.params.get("To") == number]

    def next_failure(self) -> Failure | None:
        """The failure to answer the next authorized create with; the sink itself never fails one."""
        return None

    # --- the Twilio REST API -------------------------------------------------------------------------
    def create_message(
        self, account_sid: str, authorization: str | None, params: dict[str, str], headers: dict[str, str]
    ) -> Reply:
        """Answer POST .../Messages.json as Twilio does, and record the request."""
        authorized = self._authorized(authorization) and account_sid == self.account_sid
        failure = self.next_failure() if authorized else None
        reply = self._create_reply(authorized, failure, params)
        self.store.record_request(Recorded(account_sid, params, authorized, reply.status, headers))
        if reply.status == 201 and reply.body is not None:
            self._accept(reply.body, params)
        return reply

    def _create_reply(self, authorized: bool, failure: Failure | None, params: dict[str, str]) -> Reply:
        if not authorized:
            return Reply(401, error_body(401, AUTHENTICATE, "Authenticate"))
        if failure is not None:
            body = None if failure.drop else error_body(failure.status, failure.code or 20500, "sink failure")
            return Reply(failure.status, body)
        refused = create_error(params)
        if refused is not None:
            return Reply(400, refused)
        now = datetime.now(timezone.utc)
        return Reply(201, message_resource(message_sid(), self.account_sid, params, now))

    def _accept(self, resource: dict[str, Any], params: dict[str, str]) -> None:
        sid = str(resource["sid"])
        self.store.add(sid, "outbound", params["To"], params.get("Body", ""), str(resource["status"]))
        logger.info("message recorded", extra={"sid": sid})
        if self.config.status_callbacks:
            form = status_params(sid, self.account_sid, params, DELIVERY_STATUSES[0])
            self._reporter.report(sid, DELIVERY_STATUSES, params.get("StatusCallback"), form)

    def _authorized(self, header: str | None) -> bool:
        credentials = f"{self.account_sid}:{self.auth_token}".encode()
        expected = "Basic " + base64.b64encode(credentials).decode()
        return hmac.compare_digest((header or "").encode(), expected.encode())

    def _apply_status(self, sid: str, status: str) -> None:
        self.store.update(sid, status)

    def wait_for_status_reports(self, timeout: float = 10.0) -> bool:
        """Wait until every status change is applied and its callback posted; False on timeout."""
        return self._reporter.wait_idle(timeout)

    # --- the phone -----------------------------------------------------------------------------------
    def text_from_phone(self, number: str, body: str) -> SmsMessage:
        """Post a text from `number` to PUBLIC_BASE_URL + path, signed as Twilio would; the stored result."""
        config = self.config
        message = self.store.add(message_sid(), "inbound", number, body, "sending")
        params = inbound_params(
            message.sid, config.account_sid, number, config.our_number, body, config.messaging_service_sid
        )
        try:
            answer = post_signed(config.webhook_url, config.signed_webhook_url, params, config.auth_token)
        except DeliveryError as error:
            return self._inbound_result(message, f"Rasa is not reachable at {config.webhook_url} ({error})")
        return self._inbound_result(message, None if answer.status == 200 else self._refusal(answer))

    def _inbound_result(self, message: SmsMessage, error: str | None) -> SmsMessage:
        status = "failed" if error else "received"
        if error:
            logger.warning("webhook post failed", extra={"sid": message.sid})
        # None only when a flood of newer messages evicted this one meanwhile.
        return self.store.update(message.sid, status, error) or replace(message, status=status, error=error)

    def _refusal(self, answer: Answer) -> str:
        config = self.config
        if answer.status == 403 and "signature" in answer.text:
            return (
                f"Rasa refused the signature: it must be started with this TWILIO_AUTH_TOKEN and with "
                f"PUBLIC_BASE_URL {config.public_base_url}"
            )
        if answer.status == 403:
            return f"Rasa's Twilio channel expects another account than {config.account_sid}"
        if answer.status in (
            404,
            405,
        ):  # 405: Rasa's own port, which serves the webhook only without ack_port
            return f"no Twilio webhook at {config.webhook_url} (PUBLIC_BASE_URL must reach TWILIO_ACK_PORT)"
        return f"Rasa answered {answer.status}: {answer.text.strip()}"

    def thread(self, number: str, since: int, wait_seconds: float) -> dict[str, Any]:
        """The JSON of /api/messages: the revision now and the thread's messages changed after `since`."""
        revision, messages = self.store.changes(number, since, min(wait_seconds, MAX_WAIT_SECONDS))
        return {"revision": revision, "messages": [m.to_json() for m in messages]}

    # --- lifecycle -----------------------------------------------------------------------------------
    def on_start(self) -> None:
        """The status reporter runs beside the HTTP server."""
        self._reporter.start()

    def on_stop(self) -> None:
        """Stop the status reporter."""
        self._reporter.stop()


class _Handler(LocalHandler[SmsSink]):
    server_version = "sms_sink"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/":
            self._page()
        elif parts.path == "/health":
            self.send_json(200, {"status": "ok"})
        elif parts.path == "/api/messages":
            self._messages(parse_qs(parts.query))
        elif parts.path.startswith("/static/") and (found := page.static_file(parts.path[8:])):
            self.send_bytes(200, found[0], found[1], {"Cache-Control": "no-cache"})
        else:
            self.send_json(404, error_body(404, 20404, "The requested resource was not found"))

    def do_POST(self) -> None:
        if int(self.headers.get("Content-Length") or 0) > MAX_REQUEST_BYTES:
            self.close_connection = True
            self.send_json(413, {"error": "request too large"})
            return
        raw = self.read_body()
        path = urlsplit(self.path).path
        match = MESSAGES_PATH.match(path)
        if match is not None:
            self._create(match.group("sid"), raw)
        elif path == "/api/send":
            self._text_from_phone(raw)
        else:
            self.send_json(404, error_body(404, 20404, "The requested resource was not found"))

    def _create(self, account_sid: str, raw: bytes) -> None:
        form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
        params = {key: values[0] for key, values in form.items()}
        headers = dict(self.headers.items())
        reply = self.owner.create_message(account_sid, self.headers.get("Authorization"), params, headers)
        if reply.body is None:
            self.drop()
            return
        self.send_json(reply.status, reply.body)

    def _text_from_phone(self, raw: bytes) -> None:
        # JSON only: a cross-site form cannot send it, so another page cannot text the bot through here.
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self.send_json(415, {"error": "send JSON"})
            return
        text = _phone_text(raw)
        if text is None:
            self.send_json(
                400, {"error": f"send from (a phone number) and body (1-{MAX_TEXT_CHARS} characters)"}
            )
            return
        message = self.owner.text_from_phone(*text)
        self.send_json(200 if message.status == "received" else 502, {"message": message.to_json()})

    def _messages(self, query: dict[str, list[str]]) -> None:
        number = (query.get("number") or [""])[0].strip()
        try:
            since = int((query.get("since") or ["0"])[0])
            wait = float((query.get("wait") or ["0"])[0])
        except ValueError:
            since, wait = -1, 0.0
        if not number or since < 0 or not wait >= 0:
            self.send_json(400, {"error": "number, since >= 0 and wait >= 0 (seconds) please"})
            return
        self.send_json(200, self.owner.thread(number, since, wait))

    def _page(self) -> None:
        html = page.render(self.owner.config, self.owner.store.numbers())
        headers = {"Content-Security-Policy": page.CONTENT_SECURITY_POLICY, "Cache-Control": "no-store"}
        self.send_bytes(200, html.encode(), "text/html; charset=utf-8", headers)


SmsSink.handler = _Handler


def _phone_text(raw: bytes) -> tuple[str, str] | None:
    """(number, body) from the page's JSON, or None when it is not what the page sends."""
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    number, body = payload.get("from"), payload.get("body")
    if not isinstance(number, str) or not isinstance(body, str):
        return None
    number, body = number.strip(), body.strip()
    if not 0 < len(number) <= 32 or not 0 < len(body) <= MAX_TEXT_CHARS:
        return None
    return number, body
