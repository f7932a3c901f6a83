"""Twilio's wire format as the sink writes it: signatures twilio's own validator accepts, resources, forms."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from twilio.request_validator import RequestValidator

from sms_sink.wire import (
    BODY_REQUIRED,
    FROM_REQUIRED,
    TO_REQUIRED,
    create_error,
    inbound_params,
    message_resource,
    message_sid,
    segments,
    signature,
    status_params,
)

TOKEN = "12345"
URL = "https://sms.example.org/webhooks/twilio/webhook"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"Body": "hi", "From": "+12025550143", "To": "+15005550006"},
        {"Body": "café ☕ & <b>", "Empty": "", "Zeta": "z", "alpha": "a"},
        {"Body": "a=b&c=d", "NumMedia": "0"},
    ],
)
def test_the_signature_is_the_one_twilios_validator_expects(params: dict[str, str]) -> None:
    computed = signature(TOKEN, URL, params)

    assert computed == RequestValidator(TOKEN).compute_signature(URL, params)
    assert RequestValidator(TOKEN).validate(URL, params, computed)


def test_a_signature_over_another_url_or_token_does_not_validate() -> None:
    params = {"Body": "hi"}

    assert not RequestValidator(TOKEN).validate(
        URL, params, signature(TOKEN, "http://localhost:5005/x", params)
    )
    assert not RequestValidator(TOKEN).validate(URL, params, signature("other", URL, params))


def test_a_message_resource_is_what_the_twilio_client_reads() -> None:
    sid = message_sid()
    params = {"To": "+12025550143", "From": "+15005550006", "Body": "Hello"}

    resource = message_resource(sid, "AC1", params, datetime(2026, 12, 4, 9, 30, tzinfo=timezone.utc))

    assert sid.startswith("SM") and len(sid) == 34
    assert resource["sid"] == sid and resource["status"] == "queued"
    assert (resource["to"], resource["from"], resource["body"]) == ("+12025550143", "+15005550006", "Hello")
    assert resource["date_created"] == "Fri, 04 Dec 2026 09:30:00 +0000"
    assert resource["uri"] == f"/2010-04-01/Accounts/AC1/Messages/{sid}.json"


def test_a_message_through_a_messaging_service_is_accepted_not_queued() -> None:
    params = {"To": "+12025550143", "MessagingServiceSid": "MG1", "Body": "Hello"}

    assert message_resource(message_sid(), "AC1", params, datetime.now(timezone.utc))["status"] == "accepted"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"From": "+15005550006", "Body": "x"}, TO_REQUIRED),
        ({"To": "+12025550143", "Body": "x"}, FROM_REQUIRED),
        ({"To": "+12025550143", "From": "+15005550006"}, BODY_REQUIRED),
        ({"To": "+12025550143", "MessagingServiceSid": "MG1", "Body": "x"}, None),
    ],
)
def test_a_create_missing_a_required_field_is_refused_with_twilios_code(
    params: dict[str, str], code: int | None
) -> None:
    error = create_error(params)

    assert (error["code"] if error else None) == code


@pytest.mark.parametrize(("body", "count"), [("a" * 160, 1), ("a" * 161, 2), ("é" * 70, 1), ("é" * 71, 2)])
def test_segments_follow_the_gsm_and_ucs2_limits(body: str, count: int) -> None:
    assert segments(body) == count


def test_the_inbound_form_carries_the_fields_the_channel_reads() -> None:
    params = inbound_params("SM1", "AC1", "+12025550143", "+15005550006", "hi", service="MG1")

    assert params["MessageSid"] == params["SmsMessageSid"] == "SM1"
    assert (params["AccountSid"], params["From"], params["To"], params["Body"]) == (
        "AC1",
        "+12025550143",
        "+15005550006",
        "hi",
    )
    assert (params["NumMedia"], params["MessagingServiceSid"]) == ("0", "MG1")


def test_a_status_form_names_the_message_and_its_status() -> None:
    created = {"To": "+12025550143", "From": "+15005550006", "Body": "secret"}

    params = status_params("SM1", "AC1", created, "delivered")

    assert params["MessageSid"] == "SM1" and params["MessageStatus"] == params["SmsStatus"] == "delivered"
    assert "Body" not in params
