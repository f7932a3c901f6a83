"""Sink fixtures: a sink on a free port, and a form receiver standing in for Rasa's webhook or a status
callback URL. (The tests of the sink with the real Twilio channel are in tests/channels/.)"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from sms_sink.config import SinkConfig
from sms_sink.server import SmsSink
from tests.fakes.twilio_server import FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN

PUBLIC_BASE_URL = "https://sms.example.org"


@dataclass(frozen=True)
class Posted:
    """One form post the receiver got."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]


class FormReceiver:
    """Records form posts, calls `on_post` with each, and answers `status`; `wait_for(n)` waits for n."""

    def __init__(
        self, status: int = 200, text: str = "", on_post: Callable[[Posted], None] | None = None
    ) -> None:
        self.status, self.text, self.on_post = status, text, on_post
        self.posts: list[Posted] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                params = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                receiver._record(Posted(self.path, params, dict(self.headers.items())))
                data = receiver.text.encode()
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _record(self, posted: Posted) -> None:
        if self.on_post is not None:
            self.on_post(posted)
        with self._arrived:
            self.posts.append(posted)
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Posted]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.posts) >= count, timeout=timeout)
            return list(self.posts)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver() -> Iterator[FormReceiver]:
    """Rasa's webhook or a status callback URL: answers 200 and records."""
    form_receiver = FormReceiver()
    yield form_receiver
    form_receiver.close()


def sink_config(rasa_url: str, **overrides: Any) -> SinkConfig:
    """The sink's settings for a test: the fake account, signing for PUBLIC_BASE_URL, no callback delay."""
    values: dict[str, Any] = {
        "account_sid": FAKE_ACCOUNT_SID,
        "auth_token": FAKE_AUTH_TOKEN,
        "public_base_url": PUBLIC_BASE_URL,
        "webhook_base_url": rasa_url,
        "callback_delay_seconds": 0.0,
        **overrides,
    }
    return SinkConfig(**values)


@pytest.fixture
def sink(receiver: FormReceiver) -> Iterator[SmsSink]:
    """A sink on a free port whose webhook posts go to `receiver`."""
    with SmsSink(sink_config(receiver.url)) as running:
        yield running
