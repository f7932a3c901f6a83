"""A threaded HTTP server on loopback for the local stand-ins: the SMS sink and the tests' fakes.

`LocalServer` owns the lifecycle (start on a free port in a background thread, `url`, stop, `with`);
`LocalHandler` answers JSON or bytes and never logs a request line (they carry tokens and phone numbers).
A subclass names its handler class; each request's handler reaches the server object as `self.owner`.
`stop_event` and `serve_until` are the process side of a stand-in run by the Procfile (`python -m sms_sink`,
`python -m mail_sink`): log to stderr, serve until SIGTERM/SIGINT, stop cleanly.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, Protocol, TypeVar

Owner = TypeVar("Owner", bound="LocalServer")
Server = TypeVar("Server", bound="LocalServer")


class LocalHandler(BaseHTTPRequestHandler, Generic[Owner]):
    """HTTP/1.1 handler with JSON helpers; silent."""

    owner: Owner
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry tokens and phone numbers."""

    def read_body(self) -> bytes:
        """The request body (Content-Length bytes)."""
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def drop(self) -> None:
        """Close the connection without an answer (a network failure, as the client sees it)."""
        self.close_connection = True
        self.connection.close()

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Answer with a JSON body."""
        self.send_bytes(status, json.dumps(body).encode(), "application/json", headers or {})

    def send_bytes(self, status: int, data: bytes, content_type: str, headers: dict[str, str]) -> None:
        """Answer with a body of the given type and extra headers."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class LocalServer:
    """Start it, give its `url` to the client under test, stop it (or use it as a context manager)."""

    handler: ClassVar[type[LocalHandler[Any]]]
    thread_name: ClassVar[str] = "local-server"

    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """http://host:port of the running server."""
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self: Server, port: int = 0, host: str = "127.0.0.1") -> Server:
        """Serve on `host` (a free port by default) in a background thread; returns self."""
        handler = type("Handler", (self.handler,), {"owner": self})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.on_start()
        # A short poll interval makes stop() quick; the serving thread idles in select() meanwhile.
        args = (0.1,)
        threading.Thread(
            target=self._server.serve_forever, args=args, name=self.thread_name, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.on_stop()

    def on_start(self) -> None:
        """Hook: start what the server needs beside its HTTP thread."""

    def on_stop(self) -> None:
        """Hook: stop what `on_start` started."""

    def __enter__(self: Server) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


class Stoppable(Protocol):
    """A started server: what `serve_until` stops."""

    def stop(self) -> None: ...


def stop_event() -> threading.Event:
    """Log lines to stderr and an event that SIGTERM or SIGINT sets (the process runs until then)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def serve_until(stop: threading.Event, server: Stoppable, banner: str) -> int:
    """Print where the started server listens, wait for the stop signal, stop it; exit status 0."""
    print(banner, flush=True)
    stop.wait()
    server.stop()
    return 0
