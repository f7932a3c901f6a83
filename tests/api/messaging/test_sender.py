"""The sender worker: send_pending with the real twilio client against a fake Twilio server."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from api.conversations.models import Contact
from api.core.config import Settings
from api.messaging.sender import SenderConfig, SendReport, send_pending
from api.messaging.twilio import make_client
from tests.api.compliance_helpers import outbound_row as _row
from tests.api.conftest import API_PUBLIC_URL, FROM_NUMBER
from tests.api.messaging.conftest import backs_off_twice_then_sends
from tests.api.sms_helpers import OPT_OUT, inbound, outbound
from tests.factories import create_account, debtor_payload, phone_number
from tests.fakes.twilio_server import FakeTwilio

REPO_ROOT = Path(__file__).resolve().parents[3]
API_PYTHON = REPO_ROOT / ".venv" / "api" / "bin" / "python"


def _pass(session: Session, settings: Settings, at: datetime) -> SendReport:
    return send_pending(session, make_client(settings), at, SenderConfig.from_settings(settings))


def _queued(client: TestClient, body: str = "Hello", phone: str | None = None) -> tuple[str, str]:
    phone = phone or phone_number()
    conversation = inbound(client, phone)["conversation_id"]
    return phone, outbound(client, conversation_id=conversation, body=body)["id"]


def _failing(client: TestClient, fake_twilio: FakeTwilio, times: int) -> str:
    """Queue a message that Twilio answers with a 500 the next `times` tries; its id."""
    _, message_id = _queued(client)
    fake_twilio.fail_next(500, times=times)
    return message_id


def _now() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=1)


def test_a_queued_message_is_sent_with_a_status_callback(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone, message_id = _queued(sms_client, "Your reply")

    report = _pass(session, sms_settings, _now())

    assert report.sent == 1
    [request] = fake_twilio.sent
    assert request.params == {
        "To": phone,
        "From": FROM_NUMBER,
        "Body": "Your reply",
        "StatusCallback": f"{API_PUBLIC_URL}/api/v1/twilio/status",
    }
    row = _row(session, message_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("sent", 1, None)
    assert row.provider_sid and row.provider_sid.startswith("SM")
    assert [(a.outcome, a.http_status) for a in row.attempt_log] == [("sent", 201)]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_server_errors_are_retried_with_exponential_backoff(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio, status: int
) -> None:
    phone, message_id = _queued(sms_client)
    fake_twilio.fail_next(status, times=2)

    backs_off_twice_then_sends(
        lambda at: _pass(session, sms_settings, at), lambda: _row(session, message_id).next_attempt_at, _now()
    )

    row = _row(session, message_id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert [(a.outcome, a.http_status) for a in row.attempt_log] == [
        ("retry", status),
        ("retry", status),
        ("sent", 201),
    ]
    assert fake_twilio.sent_to(phone) == ["Hello"]


def test_a_network_failure_is_retried(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone, message_id = _queued(sms_client)
    fake_twilio.drop_next()
    start = _now()

    _pass(session, sms_settings, start)
    _pass(session, sms_settings, start + timedelta(seconds=2))

    row = _row(session, message_id)
    assert [(a.outcome, a.error_code) for a in row.attempt_log] == [
        ("retry", "ConnectionError"),
        ("sent", None),
    ]
    assert fake_twilio.sent_to(phone) == ["Hello"]


def test_a_refused_message_fails_without_retry(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    _, message_id = _queued(sms_client)
    fake_twilio.fail_next(400, code=21211)

    report = _pass(session, sms_settings, _now())

    row = _row(session, message_id)
    assert (report.failed, row.status, row.error_code, row.next_attempt_at) == (1, "failed", "21211", None)
    assert _pass(session, sms_settings, _now() + timedelta(hours=1)).handled == 0


def test_when_retries_run_out_the_message_fails_and_every_attempt_is_kept(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    settings = sms_settings.model_copy(update={"OUTBOX_MAX_ATTEMPTS": 3})
    message_id = _failing(sms_client, fake_twilio, times=10)
    later = _now()

    for _ in range(5):
        later += timedelta(hours=1)
        _pass(session, settings, later)

    row = _row(session, message_id)
    assert (row.status, row.error_code, row.attempts) == ("failed", "retries_exhausted", 3)
    assert [a.outcome for a in row.attempt_log] == ["retry", "retry", "failed"]
    assert len(fake_twilio.requests) == 3


def test_the_backoff_doubles_up_to_its_cap(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    settings = sms_settings.model_copy(update={"OUTBOX_BACKOFF_MAX_SECONDS": 5.0})
    message_id = _failing(sms_client, fake_twilio, times=4)
    at, delays = _now(), []

    for _ in range(4):
        _pass(session, settings, at)
        next_at = _row(session, message_id).next_attempt_at
        assert next_at is not None
        delays.append((next_at - at).total_seconds())
        at = next_at

    assert delays == [2.0, 4.0, 5.0, 5.0]


def test_an_opt_out_that_arrives_while_a_message_waits_blocks_it(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone, waiting = _queued(sms_client, "About your balance")
    conversation = inbound(sms_client, phone)["conversation_id"]
    sms_client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "sms"})

    _pass(session, sms_settings, _now())

    assert (_row(session, waiting).status, _row(session, waiting).block_reasons) == ("blocked", ["opted_out"])
    [confirmation] = fake_twilio.sent_to(phone)
    assert "unsubscribed" in confirmation


@pytest.mark.parametrize("kind", ["reply", "agent", "reminder", "system"])
def test_after_stop_the_number_receives_the_confirmation_and_nothing_else(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio, kind: str
) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone, "STOP")["conversation_id"]
    outbound(sms_client, conversation_id=conversation, kind=kind, body="More")
    inbound(sms_client, phone, "HELP")
    inbound(sms_client, phone, "STOP")

    _pass(session, sms_settings, _now())

    [confirmation] = fake_twilio.sent_to(phone)
    assert "Reply START" in confirmation


def test_messages_of_one_conversation_keep_their_order(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone, first = _queued(sms_client, "first")
    _, second = _queued(sms_client, "second", phone=phone)
    other, _ = _queued(sms_client, "other conversation")
    fake_twilio.fail_next(500)
    start = _now()

    _pass(session, sms_settings, start)
    assert (_row(session, first).status, _row(session, second).status) == ("queued", "queued")
    assert fake_twilio.sent_to(other) == ["other conversation"]
    _pass(session, sms_settings, start + timedelta(seconds=2))

    assert fake_twilio.sent_to(phone) == ["first", "second"]


def test_a_number_on_twilios_own_opt_out_list_is_marked_opted_out(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone, _ = _queued(sms_client)
    fake_twilio.fail_next(400, code=21610)

    _pass(session, sms_settings, _now())

    contact = session.query(Contact).filter_by(address=phone).one()
    session.refresh(contact)
    assert (contact.opted_out, contact.opt_out_source) == (True, "provider")
    assert outbound(sms_client, to=phone)["status"] == "blocked"


def test_twilios_opt_out_goes_on_the_accounts_record_and_sends_no_confirmation(
    sms_client: TestClient, sms_settings: Settings, session: Session, fake_twilio: FakeTwilio
) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))
    _queued(sms_client, phone=phone)
    fake_twilio.fail_next(400, code=21610)

    _pass(session, sms_settings, _now())
    _pass(session, sms_settings, _now() + timedelta(seconds=5))

    events = session.scalars(select(AccountEvent).where(AccountEvent.account_id == account["id"])).all()
    recorded = [(e.type, e.data) for e in events if e.type.startswith("contact.")]
    assert recorded == [("contact.opted_out", {"channel": "sms", "source": "provider"})]
    assert fake_twilio.sent_to(phone) == []


def test_the_worker_module_sends_what_is_due_and_exits_with_once(
    sms_client: TestClient, sms_settings: Settings, fake_twilio: FakeTwilio, tmp_path: Path
) -> None:
    phone, _ = _queued(sms_client, "from the worker process")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": sms_settings.DATABASE_URL,
        "API_TOKEN": sms_settings.API_TOKEN.get_secret_value(),
        "SECRET_KEY": sms_settings.SECRET_KEY.get_secret_value(),
        "API_PUBLIC_URL": API_PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": fake_twilio.url,
    }

    done = subprocess.run(
        [str(API_PYTHON), "-m", "api.worker", "--once"],
        cwd=tmp_path,
        env=env,
        timeout=60,
        capture_output=True,
    )

    assert done.returncode == 0, done.stderr.decode()
    assert fake_twilio.sent_to(phone) == ["from the worker process"]
    assert phone not in done.stderr.decode() + done.stdout.decode()


def test_the_worker_refuses_to_start_without_twilio_settings(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "API_TOKEN": "t" * 16,
        "SECRET_KEY": "s" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }

    done = subprocess.run(
        [sys.executable, "-m", "api.worker", "--once"], cwd=tmp_path, env=env, timeout=60, capture_output=True
    )

    assert done.returncode == 2
    assert b"TWILIO_ACCOUNT_SID" in done.stderr
