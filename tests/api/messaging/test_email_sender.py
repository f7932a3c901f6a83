"""The email sender: a real smtplib client against aiosmtpd (the mail sink) started by the test."""

import logging
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.compliance.client_rules import CFPB_TIME_BARRED_DISCLOSURE, MINI_MIRANDA
from api.core.config import Settings
from api.main import create_app
from api.worker import run
from mail_sink.server import MailSink, free_port
from tests.api.compliance_helpers import outbound_row as _row
from tests.api.compliance_helpers import pin_clock
from tests.api.conftest import API_PUBLIC_URL, AUTH
from tests.api.messaging.conftest import (
    EMAIL_AT,
    backs_off_twice_then_sends,
    debtor_account,
    email_pass,
    queue_email,
)

ADDRESS = "jordan.rivera@example.com"


def _sent(
    client: TestClient, session: Session, settings: Settings, sink: MailSink, **fields: Any
) -> EmailMessage:
    """Queue one email to a fresh debtor, run a pass, return the mail the sink got."""
    account = debtor_account(client, ADDRESS, debtor=fields.pop("debtor", None), **fields.pop("account", {}))
    queue_email(client, account, **fields)
    assert email_pass(session, settings).sent == 1
    [mail] = sink.store.wait_for(1)
    return mail.message


def _parts(mime: EmailMessage) -> tuple[str, str]:
    text, html = (mime.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    return str(text.get_content()), str(html.get_content())


def test_an_email_goes_over_smtp_as_multipart_alternative_with_one_click_unsubscribe(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink
) -> None:
    account = debtor_account(email_client, ADDRESS.upper())
    queued = queue_email(email_client, account, subject="Your payment is due Friday")

    report = email_pass(session, email_settings)

    assert (queued["status"], report.sent) == ("queued", 1)
    [mail] = mail_sink.store.wait_for(1)
    mime = mail.message
    assert mail.recipients == (ADDRESS,)
    assert mime.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mime.iter_parts()] == ["text/plain", "text/html"]
    assert mime["Subject"] == "Your payment is due Friday"
    assert mime["To"] == ADDRESS
    assert mime["Message-ID"].startswith(f"<{queued['id']}@")
    assert mime["List-Unsubscribe"].startswith(f"<{API_PUBLIC_URL}/unsubscribe/")
    assert mime["List-Unsubscribe"].endswith(">")
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = _row(session, queued["id"])
    assert (row.status, row.attempts, row.next_attempt_at, row.sent_at) == (
        "sent",
        1,
        None,
        EMAIL_AT + timedelta(seconds=1),
    )
    assert [(a.outcome, a.http_status) for a in row.attempt_log] == [("sent", 250)]


def test_debtor_supplied_values_are_escaped_in_the_html_part(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink
) -> None:
    mime = _sent(
        email_client,
        session,
        email_settings,
        mail_sink,
        debtor={"first_name": '<img src=x onerror="alert(1)">'},
        body='You wrote: "<script>alert(2)</script>" & asked for a plan.',
    )

    text, html = _parts(mime)

    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "Dear &lt;img src=x onerror=&#34;alert(1)&#34;&gt;," in html
    assert "&amp; asked for a plan" in html
    assert '"<script>alert(2)</script>" & asked' in text  # plain text is not HTML: kept as written


def test_the_disclosures_identity_postal_address_and_unsubscribe_link_are_in_both_parts(
    email_settings: Settings, session: Session, mail_sink: MailSink
) -> None:
    rules = {"time_barred_disclosure": CFPB_TIME_BARRED_DISCLOSURE}
    timed = email_settings.model_copy(update={"COMPLIANCE_DEFAULT_CLIENT": rules})
    with TestClient(create_app(timed), headers=AUTH) as client:
        pin_clock(client, EMAIL_AT)
        body = "We would like to help you settle this."
        mime = _sent(client, session, timed, mail_sink, body=body, account={"time_barred": True})

    text, html = _parts(mime)

    for part in (text, html):
        assert "Important information" in part
        assert MINI_MIRANDA in part
        assert "we will not sue you for it" in part
        assert timed.COLLECTOR_NAME in part and timed.COLLECTOR_ADDRESS in part
        assert f"{API_PUBLIC_URL}/unsubscribe/" in part
    assert text.count(MINI_MIRANDA) == 1
    assert text.index("We would like to help you settle this.") < text.index("Important information")


@pytest.mark.parametrize("reply", ["421 4.7.0 Try again later", "451 4.3.0 Mailbox busy"])
def test_transient_smtp_answers_are_retried_with_exponential_backoff(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink, reply: str
) -> None:
    message_id = queue_email(email_client, debtor_account(email_client, ADDRESS))["id"]
    mail_sink.handler.fail_next(reply, times=2)
    code = int(reply[:3])

    backs_off_twice_then_sends(
        lambda at: email_pass(session, email_settings, at),
        lambda: _row(session, message_id).next_attempt_at,
        EMAIL_AT + timedelta(seconds=1),
    )

    row = _row(session, message_id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert [(a.outcome, a.http_status, a.error_code) for a in row.attempt_log] == [
        ("retry", code, f"smtp_{code}"),
        ("retry", code, f"smtp_{code}"),
        ("sent", 250, None),
    ]
    assert len(mail_sink.store.all()) == 1


@pytest.mark.parametrize(("stage", "code"), [("RCPT", 550), ("DATA", 554)])
def test_permanent_smtp_answers_fail_the_message_without_retrying(
    email_client: TestClient,
    email_settings: Settings,
    session: Session,
    mail_sink: MailSink,
    stage: str,
    code: int,
) -> None:
    message_id = queue_email(email_client, debtor_account(email_client, ADDRESS))["id"]
    mail_sink.handler.fail_next(f"{code} 5.1.1 <{ADDRESS}>: no such user", stage=stage)

    report = email_pass(session, email_settings)
    again = email_pass(session, email_settings, EMAIL_AT + timedelta(hours=1))

    assert (report.failed, again.handled) == (1, 0)
    row = _row(session, message_id)
    assert (row.status, row.error_code, row.next_attempt_at) == ("failed", f"smtp_{code}", None)
    assert mail_sink.store.all() == []


def test_an_unreachable_relay_is_retried_until_the_attempts_run_out(
    email_client: TestClient, email_settings: Settings, session: Session
) -> None:
    nowhere = email_settings.model_copy(update={"SMTP_PORT": free_port(), "OUTBOX_MAX_ATTEMPTS": 2})
    message_id = queue_email(email_client, debtor_account(email_client, ADDRESS))["id"]
    start = EMAIL_AT + timedelta(seconds=1)

    first = email_pass(session, nowhere, start)
    second = email_pass(session, nowhere, start + timedelta(seconds=2))

    assert (first.retry, second.failed) == (1, 1)
    row = _row(session, message_id)
    assert (row.status, row.error_code) == ("failed", "retries_exhausted")
    assert [a.error_code for a in row.attempt_log] == ["ConnectionRefusedError", "ConnectionRefusedError"]


def test_the_address_is_never_logged(
    email_client: TestClient,
    email_settings: Settings,
    session: Session,
    mail_sink: MailSink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    account = debtor_account(email_client, ADDRESS)
    queue_email(email_client, account)
    queue_email(email_client, account, body="A second one.")
    mail_sink.handler.fail_next(f"451 4.2.0 <{ADDRESS}> mailbox busy")
    mail_sink.handler.fail_next(f"550 5.1.1 <{ADDRESS}> unknown", stage="RCPT")

    email_pass(session, email_settings)
    email_pass(session, email_settings, EMAIL_AT + timedelta(minutes=5))

    ours = [record for record in caplog.records if record.name.split(".")[0] in ("api", "mail_sink")]
    assert {"email send failed", "email refused"} <= {record.getMessage() for record in ours}
    for record in ours:
        assert ADDRESS not in record.getMessage()
        assert not any(ADDRESS in str(value) for value in vars(record).values())


def test_an_email_queued_for_a_debtor_without_an_address_or_account_is_refused(
    email_client: TestClient,
) -> None:
    no_address = debtor_account(email_client, email=None)

    queue_email(email_client, no_address, expect=422)
    queue_email(email_client, "no-such-account", expect=404)
    response = email_client.post(
        "/api/v1/messages/outbound",
        json={"channel": "email", "to": "+12025550143", "body": "x", "kind": "reply"},
    )
    assert response.status_code == 422


def test_a_repeated_idempotency_key_queues_one_email(email_client: TestClient) -> None:
    account = debtor_account(email_client, ADDRESS)

    first = queue_email(email_client, account, idempotency_key="campaign-1:step-1:acct")
    second = queue_email(email_client, account, idempotency_key="campaign-1:step-1:acct")

    assert second == {**first, "duplicate": True}


def test_forbidden_language_in_the_subject_blocks_the_email(email_client: TestClient) -> None:
    account = debtor_account(email_client, ADDRESS)

    blocked = queue_email(email_client, account, subject="You will be arrested")

    assert blocked["status"] == "blocked"
    assert any(reason.startswith("forbidden_language") for reason in blocked["reasons"])


ZONES = (
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Auckland",
)


def _zone_at_midday() -> str:
    """A time zone where it is between 10:00 and 18:00 now (the worker sends at the real time)."""
    now = datetime.now(UTC)
    return next(zone for zone in ZONES if 10 <= now.astimezone(ZoneInfo(zone)).hour < 18)


def test_the_worker_sends_email_when_smtp_is_set_even_without_twilio(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink
) -> None:
    account = debtor_account(email_client, ADDRESS, debtor={"timezone": _zone_at_midday()})
    pin_clock(email_client, datetime.now(UTC))
    message_id = queue_email(email_client, account)["id"]

    run(email_settings, once=True, stop=threading.Event(), send_sms=False)

    assert _row(session, message_id).status == "sent"
    assert [mail.recipients for mail in mail_sink.store.wait_for(1)] == [(ADDRESS,)]


@pytest.mark.parametrize("address", ["first,second@example.com", "<first>@example.com"])
def test_an_address_that_is_not_one_mailbox_fails_without_reaching_the_relay(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink, address: str
) -> None:
    message_id = queue_email(email_client, debtor_account(email_client, address))["id"]

    report = email_pass(session, email_settings)

    assert report.failed == 1
    row = _row(session, message_id)
    assert (row.status, row.error_code) == ("failed", "invalid_address")
    assert mail_sink.store.all() == []


def test_1006_6_b_1_no_email_outside_the_debtors_contact_hours(email_client: TestClient) -> None:
    account = debtor_account(email_client, ADDRESS)
    pin_clock(email_client, EMAIL_AT + timedelta(hours=11))  # 23:00 in New York

    late = queue_email(email_client, account)

    assert (late["status"], late["reasons"]) == ("blocked", ["outside_contact_hours"])


def test_bot_initiated_emails_are_capped_per_address_and_7_days(
    email_settings: Settings, session: Session, mail_sink: MailSink
) -> None:
    capped = email_settings.model_copy(update={"EMAIL_MAX_BOT_INITIATED_PER_7_DAYS": 1})
    with TestClient(create_app(capped), headers=AUTH) as client:
        pin_clock(client, EMAIL_AT)
        account = debtor_account(client, ADDRESS)
        queue_email(client, account)
        assert email_pass(session, capped).sent == 1
        pin_clock(client, EMAIL_AT + timedelta(days=1))

        second = queue_email(client, account, body="Another one.")

    assert (second["status"], second["reasons"]) == ("blocked", ["frequency_cap_reached"])
