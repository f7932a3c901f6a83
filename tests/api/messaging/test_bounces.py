"""Email bounces: each email's VERP Return-Path, the signed intake (DSN or provider JSON), hard bounces
(undelivered, address undeliverable, an account event, the gate's suppression), soft bounces (queued
again under the retry policy), duplicates counted once, and no address in any log line.

The DSNs are the mail sink's own: it accepts mail to *@bounce.invalid (or *@soft-bounce.invalid) and
returns a multipart/report to the email's envelope sender."""

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from api.conversations.models import Contact, EmailBounce, OutboundMessage
from api.core.config import Settings
from api.messaging import bounces
from mail_sink.bounce import BounceConfig
from mail_sink.server import MailSink, free_port
from tests.api.conftest import BOUNCE_SECRET
from tests.api.messaging.conftest import EMAIL_AT, debtor_account, email_pass, queue_email

SECRET = BOUNCE_SECRET
INTAKE = "/webhooks/email/bounce"
HARD = "nobody@bounce.invalid"
SOFT = "full@soft-bounce.invalid"


def _post(client: TestClient, body: bytes, kind: str = "message/rfc822", secret: str = SECRET) -> Any:
    headers = {"Content-Type": kind, bounces.SIGNATURE_HEADER: bounces.body_signature(secret, body)}
    return client.post(INTAKE, content=body, headers=headers)


def _bounced_email(
    client: TestClient, session: Session, settings: Settings, sink: MailSink, address: str
) -> tuple[str, bytes]:
    """An email to `address` sent through the sink; its outbox id and the DSN the sink returned."""
    message_id = queue_email(client, debtor_account(client, address))["id"]
    assert email_pass(session, settings).sent == 1
    [dsn] = sink.store.wait_for(1)
    assert dsn.recipients == (bounces.return_path(settings, message_id),)
    return message_id, dsn.raw


def _row(session: Session, message_id: str) -> OutboundMessage:
    row = session.get(OutboundMessage, message_id, populate_existing=True)
    assert row is not None
    return row


def test_each_email_has_its_own_signed_return_path(email_settings: Settings) -> None:
    message_id = "0b7e3c1e-4a55-4f7e-9d2c-5a1e2b3c4d5e"

    address = bounces.return_path(email_settings, message_id)

    assert address.startswith(f"bounces+{message_id}.") and address.endswith("@bounces.acme-recovery.example")
    assert bounces.message_id_of(email_settings, address) == message_id
    forged = address.replace(message_id, "1b7e3c1e-4a55-4f7e-9d2c-5a1e2b3c4d5e")
    assert bounces.message_id_of(email_settings, forged) is None


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "forged"])
def test_a_report_without_the_right_signature_is_refused(
    email_client: TestClient, signature: str | None
) -> None:
    headers = {"Content-Type": "application/json"} | (
        {bounces.SIGNATURE_HEADER: signature} if signature else {}
    )

    response = email_client.post(INTAKE, content=b"[]", headers=headers)

    assert response.status_code == 403


def test_a_hard_bounce_fails_the_email_marks_the_address_and_the_gate_stops_the_next(
    email_client: TestClient,
    session: Session,
    email_settings: Settings,
    mail_sink: MailSink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    message_id, dsn = _bounced_email(email_client, session, email_settings, mail_sink, HARD)

    response = _post(email_client, dsn)

    assert (response.status_code, response.json()) == (200, {"hard": 1})
    message = _row(session, message_id)
    assert (message.status, message.error_code) == ("undelivered", "bounce:5.1.1")
    contact = session.scalars(select(Contact).where(Contact.address == HARD)).one()
    assert (contact.undeliverable_at is not None, contact.undeliverable_status) == (True, "5.1.1")
    [event] = session.scalars(select(AccountEvent).where(AccountEvent.type == "contact.undeliverable")).all()
    assert event.data == {"channel": "email", "status": "5.1.1"}
    following = queue_email(email_client, message.account_id or "")
    assert (following["status"], following["reasons"]) == ("blocked", ["email_undeliverable"])
    ours = [record for record in caplog.records if record.name.startswith(("api", "mail_sink"))]
    assert ours and not [record for record in ours if "nobody" in _logged(record)]


def _logged(record: logging.LogRecord) -> str:
    """A log line with its structured fields."""
    return f"{record.getMessage()} {record.__dict__}"


def test_the_same_report_delivered_twice_counts_once(
    email_client: TestClient, session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    _, dsn = _bounced_email(email_client, session, email_settings, mail_sink, HARD)

    first, again = _post(email_client, dsn), _post(email_client, dsn)

    assert (first.json(), again.json()) == ({"hard": 1}, {"duplicate": 1})
    assert session.scalar(select(func.count()).select_from(EmailBounce)) == 1
    events = (
        select(func.count()).select_from(AccountEvent).where(AccountEvent.type == "contact.undeliverable")
    )
    assert session.scalar(events) == 1


def test_a_soft_bounce_queues_the_email_again_after_the_backoff(
    email_client: TestClient, session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    message_id, dsn = _bounced_email(email_client, session, email_settings, mail_sink, SOFT)

    assert _post(email_client, dsn).json() == {"soft": 1}

    message = _row(session, message_id)
    assert (message.status, message.error_code, message.attempts) == ("queued", "bounce:4.2.2", 1)
    assert message.next_attempt_at is not None and message.next_attempt_at > EMAIL_AT
    contact = session.scalars(select(Contact).where(Contact.address == SOFT)).one()
    assert contact.undeliverable_at is None
    assert email_pass(session, email_settings, message.next_attempt_at + timedelta(seconds=1)).sent == 1
    assert _row(session, message_id).attempts == 2


def test_a_providers_json_events_are_read_too(
    email_client: TestClient, session: Session, email_settings: Settings, mail_sink: MailSink
) -> None:
    message_id, _ = _bounced_email(email_client, session, email_settings, mail_sink, HARD)
    path = bounces.return_path(email_settings, message_id)
    events = [
        {"event_id": "evt-1", "return_path": path, "status": "5.1.1"},
        {"sg_event_id": "evt-2", "envelope_from": path, "type": "soft"},
        {"id": "evt-3", "return_path": "bounces+someone-else@elsewhere.example", "status": "5.1.1"},
    ]

    response = _post(email_client, json.dumps(events).encode(), "application/json")

    assert response.json() == {"hard": 1, "soft": 1, "unknown": 1}
    assert _row(session, message_id).status == "undelivered"  # the soft report cannot undo a hard one


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"not a report", "message/rfc822"),
        (b"{", "application/json"),
        (b'[{"status": "5.1.1"}]', "application/json"),
    ],
)
def test_a_report_the_intake_cannot_read_is_a_400(email_client: TestClient, body: bytes, kind: str) -> None:
    assert _post(email_client, body, kind).status_code == 400


def test_a_delivered_notice_changes_nothing(email_client: TestClient) -> None:
    dsn = (
        b"Message-ID: <ok@sink>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\ndelivered\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
        b"Final-Recipient: rfc822; a@b.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--b--\r\n"
    )

    assert _post(email_client, dsn).json() == {}


class ServedApp:
    """The app served by uvicorn on a loopback port in a thread (the sink posts to it over HTTP)."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "ServedApp":
        self.thread.start()
        while not self.server.started:  # startup handshake, not a timed assertion
            if not self.thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def intake_port() -> int:
    return free_port()


@pytest.fixture
def posting_sink(intake_port: int) -> Iterator[MailSink]:
    """The sink, posting its bounces to the intake of the app the test serves on `intake_port`."""
    url = f"http://127.0.0.1:{intake_port}{INTAKE}"
    with MailSink(bounces=BounceConfig(intake_url=url, secret=SECRET)) as sink:
        yield sink


def test_the_whole_loop_the_sink_bounces_and_posts_the_dsn_to_the_intake(
    email_app: Any,
    email_client: TestClient,
    session: Session,
    email_settings: Settings,
    posting_sink: MailSink,
    intake_port: int,
) -> None:
    settings = email_settings.model_copy(update={"SMTP_PORT": posting_sink.smtp_port})
    with ServedApp(email_app, intake_port):
        message_id, _ = _bounced_email(email_client, session, settings, posting_sink, HARD)

    assert (_row(session, message_id).status, _row(session, message_id).error_code) == (
        "undelivered",
        "bounce:5.1.1",
    )
    assert session.scalars(select(EmailBounce.message_id)).all() == [message_id]
