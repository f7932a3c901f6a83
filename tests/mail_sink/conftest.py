"""A mail sink on free ports for each test.

The sink runs in the API's environment (aiosmtpd is pinned there only): under the bot's environment,
which `make test-bot` uses for everything outside tests/api, this directory is not collected.
"""

from collections.abc import Iterator
from importlib.util import find_spec
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mail_sink.server import MailSink

collect_ignore_glob = [] if find_spec("aiosmtpd") else ["test_*.py"]


@pytest.fixture
def sink() -> Iterator["MailSink"]:
    """The sink, SMTP and HTTP on free localhost ports."""
    from mail_sink.server import MailSink

    with MailSink() as running:
        yield running
