"""The sink over HTTP: the real twilio client sends to it, it reports delivery, it texts Rasa as Twilio."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from sms_sink.config import WEBHOOK_PATH
from sms_sink.server import SmsSink
from tests.fakes.twilio_server import FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN
from tests.sms_sink.conftest import PUBLIC_BASE_URL, FormReceiver, sink_config

PHONE = "+12025550143"
OUR_NUMBER = "+15005550006"


def client_for(sink: SmsSink, token: str = FAKE_AUTH_TOKEN) -> Client:
    client = Client(FAKE_ACCOUNT_SID, token)
    client.api.base_url = sink.url
    return client


def http(url: str, payload: Any = None, content_type: str = "application/json") -> tuple[int, Any, str]:
    """GET, or POST `payload` as JSON (labelled `content_type`); status, headers and text."""
    if payload is None:
        response = httpx.get(url, timeout=10)
    else:
        content = json.dumps(payload).encode()
        response = httpx.post(url, content=content, headers={"Content-Type": content_type}, timeout=10)
    return response.status_code, response.headers, response.text


# --- the REST API the worker talks to ---


def test_a_message_the_twilio_client_creates_is_recorded_for_its_recipient(sink: SmsSink) -> None:
    message = client_for(sink).messages.create(to=PHONE, from_=OUR_NUMBER, body="Your balance is $1,320.40")

    assert message.sid.startswith("SM") and message.status == "queued"
    assert sink.sent_to(PHONE) == ["Your balance is $1,320.40"]
    [recorded] = sink.store.changes(PHONE)[1]
    assert (recorded.sid, recorded.direction, recorded.body) == (message.sid, "outbound", message.body)


def test_a_wrong_auth_token_is_refused_as_twilio_refuses_it(sink: SmsSink) -> None:
    with pytest.raises(TwilioRestException) as refused:
        client_for(sink, token="wrong").messages.create(to=PHONE, from_=OUR_NUMBER, body="hi")

    assert (refused.value.status, refused.value.code) == (401, 20003)
    assert sink.sent == [] and [r.authorized for r in sink.requests] == [False]
    assert sink.store.changes(PHONE)[1] == []


def test_a_message_without_a_recipient_is_refused_with_twilios_code(sink: SmsSink) -> None:
    with pytest.raises(TwilioRestException) as refused:
        client_for(sink).messages.create(to="", from_=OUR_NUMBER, body="hi")

    assert (refused.value.status, refused.value.code) == (400, 21604)


def test_delivery_is_reported_sent_then_delivered_signed_over_the_callback_url(
    sink: SmsSink, receiver: FormReceiver
) -> None:
    callback = f"{receiver.url}/api/v1/twilio/status?source=sink"
    message = client_for(sink).messages.create(
        to=PHONE, from_=OUR_NUMBER, body="hello", status_callback=callback
    )

    reports = receiver.wait_for(2)

    assert [r.params["MessageStatus"] for r in reports] == ["sent", "delivered"]
    validator = RequestValidator(FAKE_AUTH_TOKEN)
    for report in reports:
        assert report.path == "/api/v1/twilio/status?source=sink"
        assert report.params["MessageSid"] == message.sid and report.params["To"] == PHONE
        assert validator.validate(callback, report.params, report.headers["X-Twilio-Signature"])
    assert sink.wait_for_status_reports()
    assert sink.store.changes(PHONE)[1][0].status == "delivered"


def test_without_a_status_callback_the_message_still_goes_delivered(sink: SmsSink) -> None:
    client_for(sink).messages.create(to=PHONE, from_=OUR_NUMBER, body="hello")

    assert sink.wait_for_status_reports()
    assert [m.status for m in sink.store.changes(PHONE)[1]] == ["delivered"]


# --- the phone side: texts posted to Rasa's Twilio webhook ---


def test_a_text_is_posted_to_rasas_webhook_signed_over_the_public_url(
    sink: SmsSink, receiver: FormReceiver
) -> None:
    message = sink.text_from_phone(PHONE, "I want to pay")

    [posted] = receiver.wait_for(1)
    assert posted.path == WEBHOOK_PATH
    assert posted.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert (posted.params["From"], posted.params["To"], posted.params["Body"]) == (
        PHONE,
        OUR_NUMBER,
        "I want to pay",
    )
    assert posted.params["AccountSid"] == FAKE_ACCOUNT_SID and posted.params["MessageSid"] == message.sid
    signed_url = PUBLIC_BASE_URL + WEBHOOK_PATH
    assert RequestValidator(FAKE_AUTH_TOKEN).validate(
        signed_url, posted.params, posted.headers["X-Twilio-Signature"]
    )
    assert (message.direction, message.status, message.error) == ("inbound", "received", None)


def test_a_refused_signature_is_explained_in_terms_of_the_settings() -> None:
    rasa = FormReceiver(status=403, text="invalid signature")
    with SmsSink(sink_config(rasa.url)) as sink:
        message = sink.text_from_phone(PHONE, "hi")
    rasa.close()

    assert message.status == "failed"
    assert (
        message.error is not None and "PUBLIC_BASE_URL" in message.error and PUBLIC_BASE_URL in message.error
    )


def test_an_unreachable_rasa_is_named_in_the_failure() -> None:
    with SmsSink(sink_config("http://127.0.0.1:9")) as sink:
        message = sink.text_from_phone(PHONE, "hi")

    assert message.status == "failed"
    assert message.error is not None and "not reachable at http://127.0.0.1:9" in message.error


# --- the page's JSON ---


def test_the_page_sends_a_text_and_reads_the_thread_with_its_reply(
    sink: SmsSink, receiver: FormReceiver
) -> None:
    status, _, body = http(f"{sink.url}/api/send", {"from": PHONE, "body": "hi"})
    sent = json.loads(body)["message"]
    client_for(sink).messages.create(to=PHONE, from_=OUR_NUMBER, body="Hello! How can I help?")

    query = urlencode({"number": PHONE, "since": 0, "wait": 5})
    thread = json.loads(http(f"{sink.url}/api/messages?{query}")[2])

    assert status == 200 and sent["status"] == "received"
    assert [(m["direction"], m["body"]) for m in thread["messages"]] == [
        ("inbound", "hi"),
        ("outbound", "Hello! How can I help?"),
    ]
    assert thread["revision"] >= 2


def test_a_text_rasa_refused_is_answered_502_with_the_reason() -> None:
    rasa = FormReceiver(status=400, text="From is not a phone number")
    with SmsSink(sink_config(rasa.url)) as sink:
        status, _, body = http(f"{sink.url}/api/send", {"from": "me", "body": "hi"})
    rasa.close()

    assert status == 502
    assert json.loads(body)["message"]["error"] == "Rasa answered 400: From is not a phone number"


@pytest.mark.parametrize(
    "payload", [{"from": PHONE}, {"from": "", "body": "hi"}, {"from": PHONE, "body": "x" * 1601}, ["hi"]]
)
def test_a_malformed_text_is_refused_and_not_posted(
    sink: SmsSink, receiver: FormReceiver, payload: Any
) -> None:
    status, _, _ = http(f"{sink.url}/api/send", payload)

    assert status == 400 and receiver.posts == []


def test_a_form_post_cannot_text_the_bot(sink: SmsSink, receiver: FormReceiver) -> None:
    status, _, _ = http(
        f"{sink.url}/api/send", {"from": PHONE, "body": "hi"}, "application/x-www-form-urlencoded"
    )

    assert status == 415 and receiver.posts == []


@pytest.mark.parametrize("query", ["since=0", "number=%2B1&since=-1", "number=%2B1&wait=soon"])
def test_a_thread_query_needs_a_number_and_a_revision(sink: SmsSink, query: str) -> None:
    assert http(f"{sink.url}/api/messages?{query}")[0] == 400


# --- the page ---


def test_the_page_defaults_to_the_demo_debtor_and_loads_nothing_from_elsewhere(sink: SmsSink) -> None:
    status, headers, html = http(f"{sink.url}/")

    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert 'value="+12025550143"' in html
    assert (
        'src="/static/phone.js"' in html
        and "http://cdn" not in html
        and "https://" not in html.split("<body")[0]
    )
    assert http(f"{sink.url}/static/phone.js")[0] == 200
    assert http(f"{sink.url}/static/../server.py")[0] == 404


def test_the_page_escapes_what_it_shows(receiver: FormReceiver) -> None:
    with SmsSink(sink_config(receiver.url, our_number="<script>alert(1)</script>")) as sink:
        sink.store.add("SM1", "inbound", '"><img src=x onerror=alert(1)>', "hi", "received")
        html = http(f"{sink.url}/")[2]

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
