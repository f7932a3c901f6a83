"""A stand-in run by the Procfile (sms_sink, mail_sink) serves until SIGTERM/SIGINT, then stops cleanly."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from shared.local_server import serve_until, stop_event


class _Server:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def restored_signals() -> Iterator[None]:
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_sigint_sets_the_stop_event(restored_signals: None, signum: int) -> None:
    stop = stop_event()

    os.kill(os.getpid(), signum)

    assert stop.wait(timeout=10)


def test_the_server_is_stopped_once_the_event_is_set_and_the_banner_was_printed(
    capsys: pytest.CaptureFixture[str], restored_signals: None
) -> None:
    stop, server = stop_event(), _Server()
    stop.set()

    assert serve_until(stop, server, "Sink: listening on 127.0.0.1:1") == 0

    assert server.stopped
    assert capsys.readouterr().out == "Sink: listening on 127.0.0.1:1\n"
