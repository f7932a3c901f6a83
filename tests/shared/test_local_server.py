"""The loopback server base the SMS sink and the tests' fakes share."""

from __future__ import annotations

import json
import urllib.request

from shared.local_server import LocalHandler, LocalServer


class _Echo(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.started = self.stopped = 0

    def on_start(self) -> None:
        self.started += 1

    def on_stop(self) -> None:
        self.stopped += 1


class _EchoHandler(LocalHandler[_Echo]):
    def do_POST(self) -> None:
        self.send_json(200, {"got": self.read_body().decode(), "started": self.owner.started})


_Echo.handler = _EchoHandler


def test_a_local_server_answers_on_a_free_loopback_port_and_runs_its_hooks() -> None:
    with _Echo() as server:
        assert server.url.startswith("http://127.0.0.1:")
        request = urllib.request.Request(server.url, data=b"hello", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            answer = json.loads(response.read())
            assert response.headers["X-Content-Type-Options"] == "nosniff"

    assert answer == {"got": "hello", "started": 1}
    assert server.stopped == 1
