"""Helpers for the compliance tests: a pinned clock, accounts with chosen numbers, outbound messages."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.conversations.models import Contact, EmailBounce, InboundMessage, OutboundAttempt, OutboundMessage
from api.core.dependencies import current_time
from tests.api.sms_helpers import inbound, message_sid, outbound
from tests.api.table_helpers import empty_tables
from tests.factories import create_account, debtor_payload

MONDAY_NOON_NEW_YORK = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
"""12:00 in New York, 09:00 in Los Angeles (standard time), a Monday."""
NEW_YORK = "+12125550147"
LOS_ANGELES = "+14155550123"
TOLL_FREE = "+18005550100"
"""A number that says nothing about where its owner is: every +1 zone, Guam to Newfoundland."""
MAINLAND_US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
)
"""The zones of the US mainland and Alaska, which the time-zone property tests all sample."""


def pin_clock(client: TestClient, when: datetime, ticking: bool = False) -> None:
    """Make the API's clock (current_time) read `when` until pinned again; `ticking` lets it run on."""
    app: FastAPI = client.app  # type: ignore[assignment]
    started = datetime.now(UTC)
    if ticking:
        moment: Callable[[], datetime] = lambda: when + (datetime.now(UTC) - started)  # noqa: E731
    else:
        moment = lambda: when  # noqa: E731
    app.dependency_overrides[current_time] = moment


def account_with(client: TestClient, phone: str, time_zone: str = "America/New_York", **fields: Any) -> str:
    """An account whose debtor has this number and recorded time zone; returns its id."""
    debtor = debtor_payload(phone=phone, timezone=time_zone)
    return str(create_account(client, debtor=debtor, **fields)["id"])


def send(client: TestClient, when: datetime, phone: str, **fields: Any) -> dict[str, Any]:
    """Queue a message to `phone` at `when` (kind "reminder" unless given); returns the outbox answer."""
    pin_clock(client, when)
    return outbound(client, to=phone, **{"kind": "reminder", **fields})


def debtor_writes(client: TestClient, when: datetime, phone: str, body: str = "hi") -> str:
    """The debtor texts us at `when`; returns the message's MessageSid (what a reply's in_reply_to names)."""
    pin_clock(client, when)
    sid = message_sid()
    inbound(client, phone, body, sid=sid)
    return sid


def empty_messaging_tables(database_url: str) -> None:
    """Tests share one database per backend; messaging tests start without earlier messages or contacts."""
    empty_tables(database_url, EmailBounce, OutboundAttempt, OutboundMessage, InboundMessage, Contact)


def outbound_row(session: Session, message_id: str) -> OutboundMessage:
    """The outbox row as it is now in the database."""
    row = session.get(OutboundMessage, message_id, populate_existing=True)
    assert row is not None
    return row


def mark_sent(session: Session, message_id: str, at: datetime) -> None:
    """Record the message as sent at `at` (what the frequency caps count)."""
    row = outbound_row(session, message_id)
    row.status, row.sent_at = "sent", at
    session.commit()
