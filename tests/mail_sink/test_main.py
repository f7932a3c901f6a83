"""`python -m mail_sink`, as the Procfile starts it: both ports serve until SIGTERM, which exits 0."""

import smtplib
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from mail_sink.server import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def process() -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    smtp_port, http_port = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "mail_sink",
        "--smtp-port",
        str(smtp_port),
        "--http-port",
        str(http_port),
    ]
    child = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    yield child, smtp_port, http_port
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)


def test_the_command_serves_smtp_and_the_mailbox_until_terminated(
    process: tuple[subprocess.Popen[str], int, int],
) -> None:
    child, smtp_port, http_port = process
    assert child.stdout is not None
    banner = child.stdout.readline()  # printed once both servers listen
    assert f"SMTP on 127.0.0.1:{smtp_port}" in banner and f":{http_port}/" in banner

    mime = EmailMessage()
    mime["From"], mime["To"], mime["Subject"] = "a@example.org", "b@example.org", "Hello sink"
    mime.set_content("hi")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
        smtp.send_message(mime)
    with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/", timeout=5) as page:
        assert "Hello sink" in page.read().decode()

    child.terminate()
    assert child.wait(timeout=10) == 0
