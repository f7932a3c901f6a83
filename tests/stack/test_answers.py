"""`stack.services.answers`: how the benches (and anything starting an API of its own) wait for /health."""

from __future__ import annotations

from shared.local_server import LocalHandler, LocalServer
from stack.services import answers, free_port


class _Health(LocalServer):
    pass


class _HealthHandler(LocalHandler[_Health]):
    def do_GET(self) -> None:
        self.send_json(200 if self.path == "/health" else 404, {})


_Health.handler = _HealthHandler


def test_a_server_that_answers_200_is_ready() -> None:
    with _Health() as server:
        assert answers(f"{server.url}/health", seconds=10)


def test_nothing_listening_is_not_ready_once_the_time_is_up() -> None:
    assert not answers(f"http://127.0.0.1:{free_port()}/health", seconds=0.5)


def test_an_error_status_is_not_ready() -> None:
    with _Health() as server:
        assert not answers(f"{server.url}/missing", seconds=0.5)
