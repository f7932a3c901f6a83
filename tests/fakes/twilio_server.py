"""A fake Twilio REST API on localhost, for the real twilio client to talk to in tests.

Implements POST /2010-04-01/Accounts/{AccountSid}/Messages.json as Twilio does (basic auth, form body,
201 with a Message resource), records every request, and can be told to fail the next N requests with
an HTTP status (429, 500, ...) or to drop the connection (a network error). Standard library only, so
both the bot and the API environments can import it.

    with FakeTwilio(account_sid, auth_token) as twilio:
        client.api.base_url = twilio.url
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_DROP = -1
FAKE_ACCOUNT_SID = "AC" + "0" * 32
FAKE_AUTH_TOKEN = "fake-auth-token"


@dataclass
class Recorded:
    """One request the fake received."""

    account_sid: str
    params: dict[str, str]
    authorized: bool
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeTwilio:
    """The fake server: start it, point a client at `url`, read `sent` / `requests` afterwards."""

    def __init__(self, account_sid: str = FAKE_ACCOUNT_SID, auth_token: str = FAKE_AUTH_TOKEN) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.requests: list[Recorded] = []
        self._failures: deque[tuple[int, int | None]] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- control -----------------------------------------------------------------------------------
    def fail_next(self, status: int, times: int = 1, code: int | None = None) -> None:
        """Answer the next `times` message requests with `status` (and Twilio error `code`)."""
        with self._lock:
            self._failures.extend([(status, code)] * times)

    def drop_next(self, times: int = 1) -> None:
        """Close the connection without answering the next `times` message requests."""
        with self._lock:
            self._failures.extend([(_DROP, None)] * times)

    @property
    def sent(self) -> list[Recorded]:
        """Requests answered with 201: the messages 'Twilio' accepted."""
        with self._lock:
            return [r for r in self.requests if r.status == 201]

    def sent_to(self, number: str) -> list[str]:
        """Bodies accepted for one recipient, in order."""
        return [r.params.get("Body", "") for r in self.sent if r.params.get("To") == number]

    # --- lifecycle ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL to give the twilio client (`client.api.base_url`)."""
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> FakeTwilio:
        """Serve on 127.0.0.1 (a free port by default) in a background thread."""
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # --- used by the handler -----------------------------------------------------------------------
    def _authorized(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return header == f"Basic {expected}"

    def _next_failure(self) -> tuple[int, int | None] | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)


class _Handler(BaseHTTPRequestHandler):
    owner: FakeTwilio
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines would put phone numbers in the test output."""

    def do_GET(self) -> None:
        self._json(200, {"status": "ok"}) if self.path == "/health" else self._json(404, {"status": 404})

    def do_POST(self) -> None:
        match = _MESSAGES.match(self.path.split("?")[0])
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        if match is None:
            self._json(404, {"code": 20404, "message": "The requested resource was not found", "status": 404})
            return
        params = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        self._answer(match.group("sid"), params)

    def _answer(self, sid: str, params: dict[str, str]) -> None:
        owner = self.owner
        authorized = owner._authorized(self.headers.get("Authorization")) and sid == owner.account_sid
        failure = owner._next_failure() if authorized else None
        status = 401 if not authorized else (failure[0] if failure else 201)
        owner._record(Recorded(sid, params, authorized, status, dict(self.headers.items())))
        if status == _DROP:
            self.close_connection = True
            self.connection.close()
            return
        if status == 201:
            self._json(201, _message_resource(sid, params))
            return
        code = (failure[1] if failure else None) or (20003 if status == 401 else 20500)
        self._json(status, {"code": code, "message": f"fake error {status}", "status": status})

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _message_resource(account_sid: str, params: dict[str, str]) -> dict[str, Any]:
    """A Message resource as Twilio returns it on create."""
    sid = "SM" + uuid.uuid4().hex
    return {
        "sid": sid,
        "account_sid": account_sid,
        "to": params.get("To"),
        "from": params.get("From"),
        "messaging_service_sid": params.get("MessagingServiceSid"),
        "body": params.get("Body"),
        "status": "queued",
        "num_segments": "1",
        "num_media": "0",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "error_code": None,
        "error_message": None,
        "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
    }


def main() -> None:
    """Run the fake standalone (local development: point TWILIO_API_BASE_URL at it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--account-sid", default=FAKE_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=FAKE_AUTH_TOKEN)
    args = parser.parse_args()
    fake = FakeTwilio(args.account_sid, args.auth_token).start(args.port)
    print(f"fake Twilio at {fake.url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
