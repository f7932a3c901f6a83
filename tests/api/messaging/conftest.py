"""Email fixtures: a mail sink (aiosmtpd) on free ports, settings pointing the sender at it, clients."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.core.config import Settings
from api.main import create_app
from api.messaging.email_sender import Mailer, SmtpConfig, send_pending_email
from api.messaging.sender import SenderConfig, SendReport
from tests.api.compliance_helpers import MONDAY_NOON_NEW_YORK, pin_clock
from tests.api.conftest import AUTH
from tests.factories import create_account, debtor_payload, phone_number

EMAIL_AT = MONDAY_NOON_NEW_YORK
"""Emails are bot-initiated: queued and sent inside New York's contact hours."""


@pytest.fixture
def email_app(email_settings: Settings) -> Any:
    """One app for the service client and the debtor's (anonymous) browser."""
    return create_app(email_settings)


@pytest.fixture
def email_client(email_app: Any) -> Iterator[TestClient]:
    """A service client, its clock pinned inside contact hours."""
    with TestClient(email_app, headers=AUTH) as client:
        pin_clock(client, EMAIL_AT)
        yield client


@pytest.fixture
def browser(email_app: Any, email_client: TestClient) -> Iterator[TestClient]:
    """What a debtor's browser or mail client sends: no credentials, no cookies."""
    with TestClient(email_app) as client:
        yield client


def debtor_account(
    client: TestClient,
    email: str | None = "debtor@example.com",
    debtor: dict[str, Any] | None = None,
    **account: Any,
) -> str:
    """An account whose New York debtor has this email address (and a fresh number); returns its id."""
    payload = debtor_payload(**{"phone": phone_number(), "email": email, **(debtor or {})})
    return str(create_account(client, debtor=payload, **account)["id"])


def queue_email(client: TestClient, account_id: str, expect: int = 202, **fields: Any) -> dict[str, Any]:
    """POST /api/v1/messages/email; returns the answer's body."""
    payload = {"account_id": account_id, "subject": "A reminder", "body": "Your payment is due.", **fields}
    response = client.post("/api/v1/messages/email", json=payload)
    assert response.status_code == expect, response.text
    return dict(response.json())


def backs_off_twice_then_sends(
    run_pass: Callable[[datetime], SendReport], next_at: Callable[[], datetime | None], start: datetime
) -> None:
    """A message failing twice: passes at start, +1 s (too early), +2 s and +6 s; it waits 2 s, then 4 s."""
    first = run_pass(start)
    assert next_at() == start + timedelta(seconds=2)
    early = run_pass(start + timedelta(seconds=1))
    second = run_pass(start + timedelta(seconds=2))
    assert next_at() == start + timedelta(seconds=6)
    third = run_pass(start + timedelta(seconds=6))

    assert (first.retry, early.handled, second.retry, third.sent) == (1, 0, 1, 1)


def email_pass(session: Session, settings: Settings, at: datetime | None = None) -> SendReport:
    """One pass of the worker's email sender against the sink."""
    smtp = SmtpConfig.from_settings(settings)
    assert smtp is not None
    when = at or EMAIL_AT + timedelta(seconds=1)
    with Mailer(smtp) as mailer:
        return send_pending_email(session, mailer, when, SenderConfig.from_settings(settings), settings)
