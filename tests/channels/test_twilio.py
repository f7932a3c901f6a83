"""The Twilio SMS channel: signatures, dedup, keywords, what reaches on_new_message, bad input, replies."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from channels.exceptions import ChannelConfigError
from channels.inbound import MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG_REPLY
from channels.pii import PII_REMOVED_REPLY
from channels.twilio import EMPTY_TWIML, MEDIA_ONLY_REPLY, SmsOutputChannel, TwilioInput
from shared.twilio_form import FormParams
from tests.channels.conftest import WEBHOOK_PATH, ApiServer, Sms, make_channel, serve
from tests.factories import phone_number
from tests.fakes.twilio_server import FakeTwilio

VECTORS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "eval-data"
    / "twilio_webhook"
    / ("request_validator_vectors.json")
)
CREDENTIALS = {
    "account_sid": "AC123",
    "auth_token": "token",
    "public_base_url": "https://sms.example.org",
    "api_url": "http://127.0.0.1:8000",
    "api_token": "api-token",
}


def _is_twiml(response: Any) -> bool:
    return (
        response.status_code == 200
        and response.text == EMPTY_TWIML
        and "xml" in response.headers["content-type"]
    )


async def _conversation(sms: Sms, phone: str) -> str:
    await sms.text(phone, "hello")
    return str(sms.agent.messages[-1].sender_id)


# --- credentials ---


def test_the_channel_is_mounted_where_rasa_users_expect_it() -> None:
    channel = TwilioInput.from_credentials(CREDENTIALS)

    assert channel.name() == channel.url_prefix() == "twilio"


@pytest.mark.parametrize("missing", ["account_sid", "auth_token", "api_url", "api_token", "public_base_url"])
def test_missing_credentials_fail_loudly_and_name_the_key(missing: str) -> None:
    with pytest.raises(ChannelConfigError, match=missing):
        TwilioInput.from_credentials({**CREDENTIALS, missing: ""})


def test_an_unexpanded_environment_variable_fails_loudly() -> None:
    with pytest.raises(ChannelConfigError, match="auth_token"):
        TwilioInput.from_credentials({**CREDENTIALS, "auth_token": "${TWILIO_AUTH_TOKEN}"})


def test_no_credentials_at_all_fail_loudly() -> None:
    with pytest.raises(ChannelConfigError):
        TwilioInput.from_credentials(None)


def test_credentials_yml_configures_the_channel_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.shared.utils.io import read_config_file

    for name, value in {
        "TWILIO_ACCOUNT_SID": "AC9",
        "TWILIO_AUTH_TOKEN": "tok",
        "PUBLIC_BASE_URL": "https://x",
        "ACCOUNTS_API_URL": "http://api",
        "API_TOKEN": "t",
        "TWILIO_ACK_PORT": "5006",
        "RASA_INTERFACE": "127.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)
    root = Path(__file__).resolve().parents[2]

    section = read_config_file(root / "credentials.yml")["channels.twilio.TwilioInput"]
    channel = TwilioInput.from_credentials(section)

    assert (channel.config.account_sid, channel.config.auth_token, channel.config.public_base_url) == (
        "AC9",
        "tok",
        "https://x",
    )
    assert (channel.config.ack_port, channel.config.ack_host) == (5006, "127.0.0.1")


# --- signatures ---


def test_the_published_signature_vectors_validate_with_the_channels_validator() -> None:
    if not VECTORS.exists():
        pytest.skip("signature vectors not present")
    data = json.loads(VECTORS.read_text())
    channel = TwilioInput.from_credentials({**CREDENTIALS, "auth_token": data["auth_token"]})
    for vector in (v for v in data["vectors"] if "body" not in v):
        params = FormParams()
        for key, value in vector.get("params_list") or vector["params"].items():
            params.setdefault(key, []).append(value)
        assert channel._validator.validate(vector["url"], params, vector["expected_signature"]), vector[
            "name"
        ]


async def test_a_vector_signed_request_passes_the_webhooks_signature_check(api_server: ApiServer) -> None:
    if not VECTORS.exists():
        pytest.skip("signature vectors not present")
    data = json.loads(VECTORS.read_text())
    vector = data["vectors"][0]
    channel = make_channel(
        api_server, auth_token=data["auth_token"], webhook_url="https://mycompany.com/myapp.php"
    )
    async for sms in serve(channel, api_server):
        response = await sms.post(
            vector["params"], signature=vector["expected_signature"], query="?foo=1&bar=2"
        )
        forged = await sms.post(
            vector["params"], signature="AAAA" + vector["expected_signature"][4:], query="?foo=1&bar=2"
        )

        # Past the signature, the vector's params lack our AccountSid: refused, but for that reason.
        assert (response.status_code, response.text) == (403, "unknown account")
        assert (forged.status_code, forged.text) == (403, "invalid signature")


@pytest.mark.parametrize("case", ["unsigned", "forged", "other token", "internal url", "tampered"])
async def test_unsigned_or_forged_requests_get_403_and_nothing_is_processed(sms: Sms, case: str) -> None:
    params = sms.params(phone_number(), "hello")
    signature = {
        "unsigned": None,
        "forged": "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        "other token": sms.sign(params, token="someone-elses-token"),
        "internal url": sms.sign(params, url=f"{sms.url}{WEBHOOK_PATH}"),
        "tampered": sms.sign({**params, "Body": "something else"}),
    }[case]

    response = await sms.post(params, signature=signature)
    await sms.channel.drain()

    assert (response.status_code, response.text) == (403, "invalid signature")
    assert sms.agent.messages == []
    # Nothing was stored: the same MessageSid, properly signed, is new.
    assert _is_twiml(await sms.post(params))
    await sms.channel.drain()
    assert len(sms.agent.messages) == 1


async def test_a_request_for_another_twilio_account_is_403(sms: Sms) -> None:
    response = await sms.post(sms.params(phone_number(), AccountSid="AC" + "9" * 32))

    assert (response.status_code, response.text) == (403, "unknown account")


async def test_the_health_route_answers(sms: Sms) -> None:
    response = await sms.http.get(f"{sms.url}/webhooks/twilio/")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


# --- what reaches on_new_message ---


async def test_a_message_reaches_rasa_with_an_opaque_conversation_id_and_the_account(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    account_id = api_server.create_account(phone)
    params = sms.params(phone, "  what do I owe?  ")

    response = await sms.post(params)
    await sms.channel.drain()

    assert _is_twiml(response)
    [message] = sms.agent.messages
    assert message.text == "what do I owe?"
    assert message.sender_id.startswith("c-") and phone[2:] not in message.sender_id
    assert message.input_channel == "twilio"
    assert message.message_id == params["MessageSid"]
    assert message.metadata == {
        "account_id": account_id,
        "channel": "sms",
        "message_sid": params["MessageSid"],
    }
    assert isinstance(message.output_channel, SmsOutputChannel)


async def test_an_unknown_number_reaches_rasa_without_an_account(sms: Sms) -> None:
    await sms.text(phone_number(), "hi")

    assert sms.agent.messages[0].metadata["account_id"] is None


async def test_the_same_number_keeps_its_conversation(sms: Sms) -> None:
    phone = phone_number()

    await sms.text(phone, "one")
    await sms.text(phone, "two")

    assert sms.agent.messages[0].sender_id == sms.agent.messages[1].sender_id


async def test_a_twilio_retry_of_the_same_message_sid_is_processed_once(sms: Sms) -> None:
    params = sms.params(phone_number(), "hello")

    first, retry = await sms.post(params), await sms.post(params)
    await sms.channel.drain()

    assert _is_twiml(first) and _is_twiml(retry)
    assert len(sms.agent.messages) == 1


async def test_twilio_is_acknowledged_before_the_conversation_runs(sms: Sms) -> None:
    sms.agent.gate = asyncio.Event()  # the "NLU" cannot finish until we say so

    response = await sms.post(sms.params(phone_number(), "hello"))

    assert _is_twiml(response) and sms.agent.messages == []
    sms.agent.gate.set()
    await sms.channel.drain()
    assert len(sms.agent.messages) == 1


async def test_the_api_being_down_is_a_503_not_a_500(api_server: ApiServer) -> None:
    channel = make_channel(api_server, api_url="http://127.0.0.1:9")
    async for sms in serve(channel, api_server):
        response = await sms.post(sms.params(phone_number(), "hello"))

        assert response.status_code == 503
        assert sms.agent.messages == []


# --- keywords ---


@pytest.mark.parametrize(
    "keyword", ["STOP", "stop", " StopAll ", "UNSUBSCRIBE", "cancel", "END", "Quit", "revoke", "OPTOUT"]
)
async def test_stop_keywords_never_reach_rasa_and_queue_one_confirmation(
    sms: Sms, api_server: ApiServer, keyword: str
) -> None:
    phone = phone_number()
    conversation = await _conversation(sms, phone)

    response = await sms.text(phone, keyword)

    assert _is_twiml(response)
    assert [m.text for m in sms.agent.messages] == ["hello"]
    [confirmation] = api_server.outbox(conversation)
    assert (confirmation["purpose"], confirmation["status"]) == ("opt_out_confirmation", "queued")


async def test_after_stop_only_the_confirmation_reaches_twilio_until_start(
    sms: Sms, api_server: ApiServer, fake_twilio: FakeTwilio
) -> None:
    phone = phone_number()
    sms.agent.replies = [{"text": "Here is what I can tell you."}]
    await sms.text(phone, "hello")
    api_server.run_worker(fake_twilio)
    await sms.text(phone, "STOP")
    await sms.text(phone, "anything else?")  # the bot answers, the gate blocks it
    await sms.text(phone, "HELP")
    with api_server.client() as client:
        reminder = client.post(
            "/api/v1/messages/outbound",
            json={"channel": "sms", "to": phone, "kind": "reminder", "body": "Reminder"},
        ).json()
    api_server.run_worker(fake_twilio)
    await sms.text(phone, "START")
    api_server.run_worker(fake_twilio)

    bodies = fake_twilio.sent_to(phone)
    assert bodies[0] == "Here is what I can tell you."
    assert "unsubscribed" in bodies[1]
    assert "subscribed to our texts again" in bodies[2]
    assert len(bodies) == 3
    assert reminder["status"] == "blocked"


async def test_help_answers_without_rasa(sms: Sms, api_server: ApiServer) -> None:
    phone = phone_number()
    conversation = await _conversation(sms, phone)

    await sms.text(phone, "help")

    assert len(sms.agent.messages) == 1
    [answer] = api_server.outbox(conversation)
    assert answer["purpose"] == "help" and "STOP" in answer["body"]


# --- replies ---


async def test_each_reply_is_posted_to_the_outbound_path(sms: Sms, api_server: ApiServer) -> None:
    sms.agent.replies = [{"text": "First."}, {"text": "Second \u2019quoted\u2019."}]
    phone = phone_number()

    conversation = await _conversation(sms, phone)

    sent = api_server.outbox(conversation)
    assert [(m["kind"], m["body"], m["status"]) for m in sent] == [
        ("reply", "First.", "queued"),
        ("reply", "Second 'quoted'.", "queued"),
    ]
    assert sent[0]["in_reply_to"] == sms.agent.messages[0].message_id


async def test_a_long_reply_is_split_between_words_within_the_segment_cap(
    sms: Sms, api_server: ApiServer
) -> None:
    from channels.sms_format import segment_count

    text = " ".join(f"word{i}" for i in range(300))
    sms.agent.replies = [{"text": text}]

    conversation = await _conversation(sms, phone_number())

    bodies = [m["body"] for m in api_server.outbox(conversation)]
    assert len(bodies) > 1
    assert all(segment_count(body) <= 3 for body in bodies)
    assert " ".join(bodies).split() == text.split()


async def test_buttons_become_numbered_options_and_a_number_comes_back_as_the_payload(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    sms.agent.replies = [
        {
            "text": "How would you like to pay?",
            "buttons": [
                {"title": "Pay now", "payload": "/pay_now"},
                {"title": "Set up a plan", "payload": "/plan"},
            ],
        }
    ]
    conversation = await _conversation(sms, phone)
    sms.agent.replies = []

    await sms.text(phone, "2")

    [offer] = api_server.outbox(conversation)
    assert offer["body"] == "How would you like to pay?\nReply 1 for Pay now, 2 for Set up a plan."
    assert sms.agent.messages[-1].text == "/plan"


async def test_custom_payloads_without_text_are_not_texted(sms: Sms, api_server: ApiServer) -> None:
    sms.agent.replies = [{"custom": {"handoff": True}}]

    conversation = await _conversation(sms, phone_number())

    assert api_server.outbox(conversation) == []


# --- bad input ---


@pytest.mark.parametrize(
    ("case", "fields", "status", "reason", "reaches_rasa"),
    [
        ("empty body", {"Body": ""}, 200, EMPTY_TWIML, False),
        ("blank body", {"Body": "   \n "}, 200, EMPTY_TWIML, False),
        ("no body field", {"Body": None}, 200, EMPTY_TWIML, False),
        ("missing From", {"From": None}, 400, "missing From", False),
        ("short-code From", {"From": "12345"}, 400, "From is not a phone number", False),
        ("emoji only", {"Body": "\U0001f44d\U0001f64f"}, 200, EMPTY_TWIML, True),
        ("garbage NumMedia", {"Body": "hi", "NumMedia": "lots"}, 200, EMPTY_TWIML, True),
        ("ten thousand characters", {"Body": "word " * 2000}, 200, EMPTY_TWIML, False),
    ],
)
async def test_bad_input_has_a_defined_outcome(
    sms: Sms, case: str, fields: dict[str, str | None], status: int, reason: str, reaches_rasa: bool
) -> None:
    params = sms.params(phone_number())
    for key, value in fields.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value

    response = await sms.post(params)
    await sms.channel.drain()

    assert (response.status_code, response.text) == (status, reason)
    assert bool(sms.agent.messages) == reaches_rasa
    # It was kept: a retry of the same MessageSid is recognised as a duplicate.
    retry = await sms.post(params)
    assert _is_twiml(retry)


async def test_a_missing_message_sid_is_400(sms: Sms) -> None:
    params = sms.params(phone_number())
    del params["MessageSid"]

    response = await sms.post(params)

    assert (response.status_code, response.text) == (400, "missing MessageSid")


async def test_a_body_over_the_cap_gets_the_polite_reply_and_never_reaches_the_nlu(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    conversation = await _conversation(sms, phone)

    response = await sms.text(phone, "word " * 2000)

    assert _is_twiml(response)
    assert [message.text for message in sms.agent.messages] == ["hello"]
    [reply] = api_server.outbox(conversation)
    assert (reply["body"], reply["purpose"]) == (MESSAGE_TOO_LONG_REPLY, "no_collection_content")


async def test_a_body_at_the_cap_reaches_the_nlu_whole(sms: Sms) -> None:
    await sms.text(phone_number(), "x" * MAX_MESSAGE_CHARS)

    assert [len(message.text) for message in sms.agent.messages] == [MAX_MESSAGE_CHARS]


async def test_a_two_megabyte_request_is_413_and_nothing_is_kept(sms: Sms) -> None:
    params = sms.params(phone_number(), "word " * 400_000)

    response = await sms.post(params)
    await sms.channel.drain()

    assert response.status_code == 413 and sms.agent.messages == []
    # Nothing was stored: the same MessageSid with a short body is taken as a new message.
    await sms.text(params["From"], "hello", MessageSid=params["MessageSid"])
    assert [message.text for message in sms.agent.messages] == ["hello"]


async def test_invalid_utf8_is_replaced_not_fatal(sms: Sms) -> None:
    params = sms.params(phone_number(), "caf\ufffd ok")  # what %FF decodes to, as the signer saw it
    raw = urlencode({k: v for k, v in params.items() if k != "Body"}).encode() + b"&Body=caf%FF+ok"

    response = await sms.post(params, raw=raw)
    await sms.channel.drain()

    assert _is_twiml(response)
    assert sms.agent.messages[0].text == "caf\ufffd ok"


async def test_a_picture_without_text_gets_a_polite_reply_and_is_kept(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    conversation = await _conversation(sms, phone)
    media = {
        "NumMedia": "1",
        "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME",
        "MediaContentType0": "image/jpeg",
    }

    response = await sms.text(phone, "", **media)

    assert _is_twiml(response)
    assert len(sms.agent.messages) == 1
    [reply] = api_server.outbox(conversation)
    assert reply["body"] == MEDIA_ONLY_REPLY


async def test_a_picture_with_text_reaches_rasa_as_text(sms: Sms) -> None:
    await sms.text(
        phone_number(),
        "here is my receipt",
        NumMedia="1",
        MediaUrl0="https://x/y",
        MediaContentType0="image/png",
    )

    assert sms.agent.messages[0].text == "here is my receipt"


# --- privacy ---


async def test_no_log_record_of_inbound_handling_holds_the_phone_number(
    sms: Sms, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    phone = phone_number()
    sms.agent.replies = [{"text": "Hello there", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]

    for body in ("hello", "1", "STOP", "START", "HELP", ""):
        await sms.text(phone, body)
    await sms.post(sms.params(phone, "forged"), signature="bad")
    await sms.text(phone, None, NumMedia="1", MediaUrl0="https://x/y")

    logged = " ".join(record.getMessage() + repr(vars(record)) for record in caplog.records)
    assert caplog.records  # something was logged (httpx requests at least)
    for form in (phone, phone.lstrip("+"), phone[2:], f"{phone[2:5]}-{phone[5:8]}"):
        assert form not in logged


async def test_the_acknowledgement_is_fast(sms: Sms) -> None:
    latencies = []
    for _ in range(20):
        started = time.perf_counter()
        response = await sms.post(sms.params(phone_number(), "hello"))
        latencies.append(time.perf_counter() - started)
        assert _is_twiml(response)
    await sms.channel.drain()

    assert sorted(latencies)[len(latencies) // 2] < 0.2


# --- purposes the compliance gate lets through on a paused or stopped account ---


async def _outbox_of_a_disputed_debtor(
    sms: Sms, api_server: ApiServer, replies: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A debtor whose dispute paused collection texts "hello" and the bot answers `replies`; the outbox."""
    phone = phone_number()
    account_id = api_server.create_account(phone)
    with api_server.client() as client:
        dispute = {"reason": "not_mine", "text": "not my debt"}
        assert client.post(f"/api/v1/accounts/{account_id}/disputes", json=dispute).status_code == 201
    sms.agent.replies = replies
    return list(api_server.outbox(await _conversation(sms, phone)))


async def test_the_validation_notice_reaches_a_debtor_whose_dispute_paused_collection(
    sms: Sms, api_server: ApiServer
) -> None:
    """Reg F 1006.38(d)(2): collection pauses until validation is sent, so the notice itself must go."""
    replies = [
        {"text": "To protect your privacy ... date of birth?", "utter_action": "utter_ask_dob"},
        {
            "text": "Acme Recovery Services is a debt collector. ...",
            "utter_action": "utter_validation_notice",
        },
        {"text": "Your balance is $100.00.", "utter_action": "utter_balance"},
    ]

    outbox = await _outbox_of_a_disputed_debtor(sms, api_server, replies)

    sent = [(m["purpose"], m["status"], m["reasons"]) for m in outbox]
    assert sent == [
        ("no_collection_content", "queued", []),
        ("validation_notice", "queued", []),
        (None, "blocked", ["dispute_pending_validation"]),
    ]


async def test_an_action_may_declare_a_purpose_and_nothing_else_is_forwarded(
    sms: Sms, api_server: ApiServer
) -> None:
    """Only the purposes a client may declare reach the API; "help" or "opt_out_confirmation" are its own."""
    replies = [
        {"text": "We have noted that.", "purpose": "flag_confirmation"},
        {"text": "Reply STOP to opt out.", "purpose": "opt_out_confirmation"},
    ]

    outbox = await _outbox_of_a_disputed_debtor(sms, api_server, replies)

    sent = [(m["purpose"], m["status"]) for m in outbox]
    assert sent == [("flag_confirmation", "queued"), (None, "blocked")]


async def test_a_card_number_texted_never_reaches_rasa_and_the_debtor_is_pointed_to_the_secure_link(
    sms: Sms, api_server: ApiServer
) -> None:
    """Issue 7: the SMS body is redacted for the API's inbox and, separately, for Rasa's tracker."""
    phone = phone_number()
    api_server.create_account(phone)

    await sms.text(phone, "pay with 4111-1111-1111-1111 please")

    [message] = sms.agent.messages
    assert message.text == "pay with [card number removed] please"
    [notice] = api_server.outbox(str(message.sender_id))
    assert notice["body"] == PII_REMOVED_REPLY and notice["purpose"] == "no_collection_content"


async def test_a_text_that_was_only_a_card_number_gets_the_notice_and_nothing_else(
    sms: Sms, api_server: ApiServer
) -> None:
    """ "[card number removed]" alone had been read as an opt-out (0.89), and the debtor's texts stopped."""
    phone = phone_number()
    api_server.create_account(phone)
    await sms.text(phone, "hi")

    await sms.text(phone, "4111 1111 1111 1111")

    [message] = sms.agent.messages
    assert message.text == "hi"
    [notice] = api_server.outbox(str(message.sender_id))
    assert notice["body"] == PII_REMOVED_REPLY and notice["purpose"] == "no_collection_content"
