"""POST /api/v1/messages/inbound: stored once per MessageSid, mapped to a conversation and account."""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.conversations.models import Contact, InboundMessage
from tests.api.sms_helpers import INBOUND, inbound, message_sid, outbound, outbox, the_opt_out_confirmation
from tests.factories import create_account, debtor_payload, phone_number


def _stored(session: Session, sid: str) -> InboundMessage:
    row = session.scalars(select(InboundMessage).where(InboundMessage.message_sid == sid)).one()
    session.refresh(row)
    return row


def test_a_message_is_stored_and_mapped_to_the_debtors_account(
    sms_client: TestClient, session: Session
) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))
    sid = message_sid()

    result = inbound(sms_client, phone, "what do I owe?", sid=sid)

    assert result["duplicate"] is False and result["accepted"] is True
    assert result["account_id"] == account["id"]
    assert result["keyword"] is None and result["opted_out"] is False
    row = _stored(session, sid)
    assert (row.from_address, row.body, row.account_id) == (phone, "what do I owe?", account["id"])


def test_the_conversation_id_is_stable_and_opaque(sms_client: TestClient) -> None:
    phone = phone_number()

    first = inbound(sms_client, phone)["conversation_id"]
    second = inbound(sms_client, phone)["conversation_id"]
    other = inbound(sms_client, phone_number())["conversation_id"]

    assert first == second != other
    assert phone.lstrip("+") not in first and phone[-4:] not in first


def test_an_unknown_number_gets_a_conversation_but_no_account(sms_client: TestClient) -> None:
    result = inbound(sms_client, phone_number())

    assert result["conversation_id"] and result["account_id"] is None


def test_a_repeated_message_sid_is_a_duplicate_and_stored_once(
    sms_client: TestClient, session: Session
) -> None:
    phone, sid = phone_number(), message_sid()

    first = inbound(sms_client, phone, "hello", sid=sid)
    again = inbound(sms_client, phone, "hello", sid=sid)

    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert again["conversation_id"] == first["conversation_id"]
    rows = session.scalars(select(InboundMessage).where(InboundMessage.message_sid == sid)).all()
    assert len(rows) == 1


@pytest.mark.parametrize("sender", [None, "", "12345", "not a number"])
def test_a_message_without_a_usable_sender_is_stored_but_not_accepted(
    sms_client: TestClient, session: Session, sender: str | None
) -> None:
    sid = message_sid()

    result = inbound(sms_client, sender, "hello", sid=sid)

    assert (result["accepted"], result["conversation_id"], result["keyword"]) == (False, None, None)
    assert _stored(session, sid).from_address is None


def test_a_ten_thousand_character_body_is_stored_in_full(sms_client: TestClient, session: Session) -> None:
    sid, body = message_sid(), "word " * 2000

    inbound(sms_client, phone_number(), body, sid=sid)

    assert _stored(session, sid).body == body


def test_media_without_text_is_stored_with_its_urls(sms_client: TestClient, session: Session) -> None:
    sid = message_sid()
    media = [{"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"}]

    inbound(sms_client, phone_number(), "", sid=sid, num_media=1, media=media)

    row = _stored(session, sid)
    assert (row.body, row.num_media, row.media) == ("", 1, media)


def test_a_body_over_the_storage_limit_is_refused_with_422(sms_client: TestClient) -> None:
    payload = {"message_sid": message_sid(), "from": phone_number(), "body": "x" * 65_537}

    assert sms_client.post(INBOUND, json=payload).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        "STOP",
        "stop",
        "  Stop  ",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "REVOKE",
        "optout",
        "Stop.",
    ],
)
def test_every_stop_keyword_opts_out_and_queues_one_confirmation(
    sms_client: TestClient, session: Session, body: str
) -> None:
    phone, sid = phone_number(), message_sid()

    result = inbound(sms_client, phone, body, sid=sid)

    assert (result["keyword"], result["opted_out"]) == ("stop", True)
    confirmation = the_opt_out_confirmation(session, result, sid)
    assert "START" in confirmation.body


def test_a_second_stop_sends_no_second_confirmation(sms_client: TestClient, session: Session) -> None:
    phone = phone_number()

    inbound(sms_client, phone, "STOP")
    result = inbound(sms_client, phone, "STOP")

    assert len(outbox(session, result["conversation_id"])) == 1


def test_a_retried_stop_is_not_acted_on_twice(sms_client: TestClient, session: Session) -> None:
    phone, sid = phone_number(), message_sid()

    inbound(sms_client, phone, "STOP", sid=sid)
    inbound(sms_client, phone, "START")
    again = inbound(sms_client, phone, "STOP", sid=sid)

    assert again["duplicate"] is True and again["opted_out"] is False


@pytest.mark.parametrize("body", ["START", "unstop", " Start "])
def test_start_and_unstop_resubscribe_and_confirm(
    sms_client: TestClient, session: Session, body: str
) -> None:
    phone = phone_number()
    inbound(sms_client, phone, "STOP")

    result = inbound(sms_client, phone, body)

    assert (result["keyword"], result["opted_out"]) == ("start", False)
    purposes = [m.purpose for m in outbox(session, result["conversation_id"])]
    assert purposes == ["opt_out_confirmation", "opt_in_confirmation"]
    contact = session.scalars(select(Contact).where(Contact.address == phone)).one()
    session.refresh(contact)
    assert contact.opted_out is False


def test_help_answers_with_company_support_and_opt_out_instructions(
    sms_client: TestClient, session: Session
) -> None:
    result = inbound(sms_client, phone_number(), "help")

    assert result["keyword"] == "help"
    [answer] = outbox(session, result["conversation_id"])
    assert answer.purpose == "help" and answer.status == "queued"
    assert "Acme Recovery Services" in answer.body
    assert "1-800-555-0100" in answer.body
    assert "STOP" in answer.body
    assert "debt" not in answer.body.lower()  # a wrong person may have texted HELP


def test_words_that_merely_contain_a_keyword_are_not_keywords(sms_client: TestClient) -> None:
    for body in ("please stop", "help me pay", "STOP IT", "start a plan"):
        assert inbound(sms_client, phone_number(), body)["keyword"] is None


def test_a_number_reply_maps_to_the_payload_of_the_offered_button(sms_client: TestClient) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone)["conversation_id"]
    buttons = [{"title": "Pay now", "payload": "/pay_now"}, {"title": "Set up a plan", "payload": "/plan"}]
    outbound(sms_client, conversation_id=conversation, body="How?", buttons=buttons)

    assert inbound(sms_client, phone, " 2 ")["button_payload"] == "/plan"


def test_a_typed_button_title_maps_to_its_payload(sms_client: TestClient) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone)["conversation_id"]
    buttons = [
        {"title": "Good", "payload": '/rate_experience{"rating": "4"}'},
        {"title": "Great", "payload": "/r5"},
    ]
    outbound(sms_client, conversation_id=conversation, body="How did we do?", buttons=buttons)

    assert inbound(sms_client, phone, "Great!! \N{THUMBS UP SIGN}")["button_payload"] == "/r5"


def test_offered_buttons_answer_only_the_next_message(sms_client: TestClient) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone)["conversation_id"]
    outbound(
        sms_client, conversation_id=conversation, body="?", buttons=[{"title": "Yes", "payload": "/yes"}]
    )

    assert inbound(sms_client, phone, "3")["button_payload"] is None  # not an offered option
    assert inbound(sms_client, phone, "1")["button_payload"] is None  # the offer is stale now


def test_inbound_requires_the_service_token(anonymous_client: TestClient) -> None:
    payload = {"message_sid": message_sid(), "from": phone_number(), "body": "hi"}

    assert anonymous_client.post(INBOUND, json=payload).status_code == 401


def test_no_log_record_of_inbound_handling_holds_the_phone_number(
    sms_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    phone = phone_number()
    create_account(sms_client, debtor=debtor_payload(phone=phone))

    for body in ("hello", "STOP", "START", "HELP", ""):
        inbound(sms_client, phone, body)
    outbound(sms_client, to=phone, body="A reply")
    sms_client.post(INBOUND, json={"message_sid": message_sid(), "from": phone, "body": "x" * 70_000})

    logged = " ".join(record.getMessage() + repr(vars(record)) for record in caplog.records)
    assert "inbound sms stored" in logged
    for form in (phone, phone.lstrip("+"), phone[2:]):
        assert form not in logged
