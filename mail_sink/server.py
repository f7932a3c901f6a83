"""The sink: aiosmtpd's SMTP server (its own thread and event loop) and an HTTP server to read mail back.

GET /                     the mailbox page, newest first
GET /messages/{id}        one mail: headers, the plain text, the HTML (sandboxed), its unsubscribe link
GET /messages/{id}.eml    the raw message
GET /api/messages         every mail kept, as JSON
GET /health               {"status": "ok"}
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from mail_sink import page
from mail_sink.bounce import BounceConfig
from mail_sink.smtp import SinkHandler
from mail_sink.store import DEFAULT_LIMIT, MailStore

logger = logging.getLogger(__name__)

MESSAGE_PATH = re.compile(r"^/messages/(?P<id>\d+)(?P<eml>\.eml)?$")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (aiosmtpd's controller must be told its port before it starts)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class MailSink:
    """Start it, send mail to `smtp_port`, read `store` (or the page at `http_url`); `stop` ends both."""

    def __init__(self, limit: int = DEFAULT_LIMIT, bounces: BounceConfig | None = None) -> None:
        self.store = MailStore(limit)
        self.handler = SinkHandler(self.store, bounces)
        self._controller: Controller | None = None
        self._http: ThreadingHTTPServer | None = None
        self.host = "127.0.0.1"
        self.smtp_port = 0

    def start(self, smtp_port: int = 0, http_port: int = 0, host: str = "127.0.0.1") -> MailSink:
        """Listen for SMTP and HTTP (port 0: a free one)."""
        self.host, self.smtp_port = host, smtp_port or free_port(host)
        self._controller = Controller(self.handler, hostname=host, port=self.smtp_port)
        self._controller.start()
        self._http = ThreadingHTTPServer((host, http_port), _handler_class(self.store))
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, args=(0.1,), daemon=True).start()
        return self

    @property
    def http_url(self) -> str:
        """Where the mailbox page is served."""
        if self._http is None:
            raise RuntimeError("the sink is not started")
        return f"http://{self.host}:{self._http.server_address[1]}"

    def stop(self) -> None:
        """Stop both servers."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def __enter__(self) -> MailSink:
        return self.start() if self._controller is None else self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _handler_class(store: MailStore) -> type[BaseHTTPRequestHandler]:
    """The HTTP handler bound to one store."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: paths are all the access log would say."""

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/health":
                self._send(200, "application/json", json.dumps({"status": "ok"}).encode())
            elif path == "/api/messages":
                body = json.dumps([mail.summary() for mail in store.all()]).encode()
                self._send(200, "application/json", body)
            elif path == "/":
                self._html(200, page.mailbox(list(reversed(store.all()))))
            else:
                self._message(path)

        def _message(self, path: str) -> None:
            match = MESSAGE_PATH.match(path)
            mail = store.get(int(match["id"])) if match else None
            if match is None or mail is None:
                self._html(404, page.not_found())
            elif match["eml"]:
                self._send(200, "message/rfc822", mail.raw)
            else:
                self._html(200, page.message(mail))

        def _html(self, status: int, text: str) -> None:
            self._send(status, "text/html; charset=utf-8", text.encode(), page.HEADERS)

        def _send(self, status: int, kind: str, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
