"""A mail sink on free ports for each test."""

from collections.abc import Iterator

import pytest

from mail_sink.server import MailSink


@pytest.fixture
def sink() -> Iterator[MailSink]:
    """The sink, SMTP and HTTP on free localhost ports."""
    with MailSink() as running:
        yield running
