"""POST /api/v1/contacts/wrong-number: the number is flagged as not the debtor's, one apology goes out,
the compliance gate blocks everything after it with its own reason, the account's record notes it (no
number), and the number binds no account any more."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from api.conversations.models import OutboundMessage
from tests.api.sms_helpers import inbound, outbound
from tests.factories import create_account, debtor_payload, phone_number

WRONG_NUMBER = "/api/v1/contacts/wrong-number"


def flag(client: TestClient, conversation_id: str) -> dict[str, object]:
    response = client.post(WRONG_NUMBER, json={"conversation_id": conversation_id, "channel": "sms"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_wrong_number_gets_one_apology_and_nothing_after_it(
    sms_client: TestClient, session: Session
) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone, "wrong number")["conversation_id"]

    body = flag(sms_client, conversation)

    assert (body["opted_out"], body["changed"]) == (True, True)
    confirmation = session.get(OutboundMessage, body["confirmation"]["id"])  # type: ignore[index]
    assert confirmation is not None and confirmation.status == "queued"
    assert "wrong number" in confirmation.body and "will not text it again" in confirmation.body
    later = outbound(sms_client, to=phone)
    assert (later["status"], later["reasons"]) == ("blocked", ["wrong_number"])


def test_flagging_twice_apologises_once(sms_client: TestClient, session: Session) -> None:
    conversation = inbound(sms_client, phone_number(), "wrong #")["conversation_id"]
    flag(sms_client, conversation)

    again = flag(sms_client, conversation)

    assert (again["changed"], again["confirmation"]) == (False, None)
    sent = session.scalars(select(OutboundMessage).where(OutboundMessage.conversation_id == conversation))
    assert len(list(sent)) == 1


def test_the_account_record_notes_the_wrong_number_without_it(
    sms_client: TestClient, session: Session
) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))
    conversation = inbound(sms_client, phone, "you have the wrong number")["conversation_id"]

    flag(sms_client, conversation)

    events = session.scalars(select(AccountEvent).where(AccountEvent.account_id == account["id"])).all()
    [event] = [e for e in events if e.type == "contact.wrong_number"]
    assert event.data == {"channel": "sms", "source": "wrong_number"}
    assert phone not in str([e.data for e in events])


def test_the_number_binds_no_account_once_flagged(sms_client: TestClient) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))
    first = inbound(sms_client, phone, "who is this")
    assert first["account_id"] == account["id"]

    flag(sms_client, first["conversation_id"])

    assert inbound(sms_client, phone, "hello?")["account_id"] is None


def test_start_from_the_number_lifts_the_flag(sms_client: TestClient) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone, "wrong number")["conversation_id"]
    flag(sms_client, conversation)

    assert inbound(sms_client, phone, "START")["opted_out"] is False


def test_the_apology_answers_the_message_that_said_so(sms_client: TestClient, session: Session) -> None:
    conversation = inbound(sms_client, phone_number(), "u have the wrong number")["conversation_id"]
    body = {"conversation_id": conversation, "channel": "sms", "in_reply_to": "SMwrong"}

    answer = sms_client.post(WRONG_NUMBER, json=body).json()

    confirmation = session.get(OutboundMessage, answer["confirmation"]["id"])
    assert confirmation is not None and confirmation.in_reply_to == "SMwrong"
