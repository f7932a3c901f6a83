"""A fake of the accounts API's NLG route on localhost, for the bot's fallback generator (channels/nlg.py).

It answers POST /api/v1/nlg in one of four ways: `up` (200 with the reply it was given), `slow` (holds the
request until the test ends, so the caller's timeout decides), `error` (an HTTP status) or `garbage` (200
with a body that is not JSON). `down` is simply a fake that was stopped: nothing listens on its port.
Records every request (headers and JSON body). Standard library only.

    with FakeNlg() as api:
        api.reply({"text": "Hi from the API"})
        ... FallbackNaturalLanguageGenerator(EndpointConfig(api.url + NLG_PATH), domain) ...
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NLG_PATH = "/api/v1/nlg"


@dataclass
class NlgCall:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeNlg:
    """The fake server: `reply`, `hold`, `fail` or `garbage` set how it answers; `calls` records requests."""

    def __init__(self) -> None:
        self.calls: list[NlgCall] = []
        self._mode: tuple[str, Any] = ("up", {"text": "from the fake API"})
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    def reply(self, body: dict[str, Any]) -> None:
        """Answer 200 with `body`."""
        self._mode = ("up", body)

    def hold(self) -> None:
        """Keep every request waiting until the fake stops (a hung API)."""
        self._mode = ("slow", None)

    def fail(self, status: int) -> None:
        """Answer every request with `status`."""
        self._mode = ("error", status)

    def garbage(self) -> None:
        """Answer 200 with a body that is not JSON."""
        self._mode = ("garbage", None)

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeNlg:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop listening (the API is down from now on) and let held requests go."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        mode, value = self._mode
        if mode == "slow":
            self._release.wait()
            return
        if mode == "error":
            _send(handler, value, b'{"detail": "error"}')
        elif mode == "garbage":
            _send(handler, 200, b"<html>not json</html>")
        else:
            _send(handler, 200, json.dumps(value).encode())


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _handler(fake: FakeNlg) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.calls.append(NlgCall(self.path, dict(self.headers.items()), body))
            fake._answer(self)

        def log_message(self, *_: Any) -> None:
            return None

    return Handler
