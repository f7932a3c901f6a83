"""POST /api/v1/twilio/status: signed delivery reports update the outbox, forged ones change nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.messaging.sender import SenderConfig, send_pending
from api.messaging.twilio import make_client
from tests.api.conftest import API_PUBLIC_URL
from tests.api.sms_helpers import STATUS, inbound, outbound, signed_form
from tests.factories import phone_number
from tests.fakes.twilio_server import FakeTwilio

CALLBACK_URL = API_PUBLIC_URL + STATUS


def _sent(client: TestClient, session: Session, settings: Settings) -> OutboundMessage:
    conversation = inbound(client, phone_number())["conversation_id"]
    message_id = outbound(client, conversation_id=conversation)["id"]
    later = datetime.now(UTC) + timedelta(seconds=1)
    send_pending(session, make_client(settings), later, SenderConfig.from_settings(settings))
    row = session.get(OutboundMessage, message_id, populate_existing=True)
    assert row is not None and row.status == "sent"
    return row


def _report(client: TestClient, token: str, params: dict[str, str], url: str = CALLBACK_URL) -> int:
    body, headers = signed_form(url, params, token)
    return client.post(STATUS, content=body, headers=headers).status_code


def _status(session: Session, row: OutboundMessage) -> tuple[str, str | None]:
    session.refresh(row)
    return row.status, row.error_code


def _params(row: OutboundMessage, status: str, **extra: str) -> dict[str, str]:
    return {"MessageSid": str(row.provider_sid), "MessageStatus": status, "AccountSid": "AC0", **extra}


def test_a_delivered_report_marks_the_message_delivered(
    sms_client: TestClient, session: Session, sms_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    row = _sent(sms_client, session, sms_settings)

    assert _report(sms_client, fake_twilio.auth_token, _params(row, "delivered")) == 204

    assert _status(session, row) == ("delivered", None)
    assert [a.outcome for a in row.attempt_log] == ["sent", "status:delivered"]


def test_an_undelivered_report_keeps_the_carrier_error_code(
    sms_client: TestClient, session: Session, sms_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    row = _sent(sms_client, session, sms_settings)

    _report(sms_client, fake_twilio.auth_token, _params(row, "undelivered", ErrorCode="30003"))

    assert _status(session, row) == ("undelivered", "30003")


def test_a_late_sent_report_does_not_undo_delivered(
    sms_client: TestClient, session: Session, sms_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    row = _sent(sms_client, session, sms_settings)

    for status in ("delivered", "sent", "queued"):
        _report(sms_client, fake_twilio.auth_token, _params(row, status))

    assert _status(session, row) == ("delivered", None)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twilio-Signature": ""},
        {"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
    ],
    ids=["unsigned", "empty", "forged"],
)
def test_unsigned_or_forged_reports_are_403_and_change_nothing(
    sms_client: TestClient,
    session: Session,
    sms_settings: Settings,
    headers: dict[str, str],
) -> None:
    row = _sent(sms_client, session, sms_settings)
    body, _ = signed_form(CALLBACK_URL, _params(row, "delivered"), "x")

    response = sms_client.post(
        STATUS, content=body, headers={"Content-Type": "application/x-www-form-urlencoded", **headers}
    )

    assert response.status_code == 403
    assert _status(session, row) == ("sent", None)


def test_a_report_signed_with_another_token_is_403(
    sms_client: TestClient, session: Session, sms_settings: Settings
) -> None:
    row = _sent(sms_client, session, sms_settings)

    assert _report(sms_client, "not-our-auth-token", _params(row, "delivered")) == 403


def test_the_signature_is_checked_against_the_public_url_not_the_proxied_one(
    sms_client: TestClient, session: Session, sms_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    row = _sent(sms_client, session, sms_settings)
    internal_url = f"http://testserver{STATUS}"

    assert _report(sms_client, fake_twilio.auth_token, _params(row, "delivered"), url=internal_url) == 403
    assert _report(sms_client, fake_twilio.auth_token, _params(row, "delivered")) == 204


def test_a_tampered_parameter_breaks_the_signature(
    sms_client: TestClient, session: Session, sms_settings: Settings, fake_twilio: FakeTwilio
) -> None:
    row = _sent(sms_client, session, sms_settings)
    _, headers = signed_form(CALLBACK_URL, _params(row, "failed"), fake_twilio.auth_token)
    body, _ = signed_form(CALLBACK_URL, _params(row, "delivered"), fake_twilio.auth_token)

    assert sms_client.post(STATUS, content=body, headers=headers).status_code == 403


def test_a_report_about_an_unknown_message_is_acknowledged(
    sms_client: TestClient, fake_twilio: FakeTwilio
) -> None:
    params = {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"}

    assert _report(sms_client, fake_twilio.auth_token, params) == 204


def test_without_twilio_settings_the_callback_is_unavailable(client: TestClient) -> None:
    response = client.post(STATUS, content="MessageSid=SM1&MessageStatus=sent")

    assert response.status_code == 503
