"""POST /api/v1/contacts/opt-out and /opt-in: the contract the actions' natural-language opt-out uses."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from api.conversations.models import OutboundMessage
from tests.api.sms_helpers import OPT_IN, OPT_OUT, inbound, outbound
from tests.factories import create_account, debtor_payload, phone_number


def test_opt_out_by_conversation_records_it_and_queues_one_confirmation(sms_client: TestClient) -> None:
    conversation = inbound(sms_client, phone_number())["conversation_id"]

    response = sms_client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "sms"})

    assert response.status_code == 200
    body = response.json()
    assert (body["conversation_id"], body["channel"], body["opted_out"], body["changed"]) == (
        conversation,
        "sms",
        True,
        True,
    )
    assert body["confirmation"]["status"] == "queued"


def test_a_repeated_opt_out_changes_nothing_and_confirms_nothing(sms_client: TestClient) -> None:
    conversation = inbound(sms_client, phone_number())["conversation_id"]
    sms_client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "sms"})

    again = sms_client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "sms"}).json()

    assert (again["opted_out"], again["changed"], again["confirmation"]) == (True, False, None)


def test_opt_out_by_phone_works_before_any_conversation(sms_client: TestClient) -> None:
    phone = phone_number()

    body = sms_client.post(OPT_OUT, json={"phone": phone, "channel": "sms", "source": "agent"}).json()

    assert body["opted_out"] is True
    assert outbound(sms_client, to=phone)["status"] == "blocked"


def test_the_opt_out_goes_on_the_accounts_event_record(sms_client: TestClient, session: Session) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))

    inbound(sms_client, phone, "STOP")
    inbound(sms_client, phone, "START")

    events = session.scalars(select(AccountEvent).where(AccountEvent.account_id == account["id"])).all()
    recorded = [(e.type, e.data) for e in events if e.type.startswith("contact.")]
    assert recorded == [
        ("contact.opted_out", {"channel": "sms", "source": "keyword"}),
        ("contact.opted_in", {"channel": "sms", "source": "keyword"}),
    ]


def test_a_webchat_opt_out_is_recorded_without_an_sms(sms_client: TestClient) -> None:
    body = sms_client.post(OPT_OUT, json={"conversation_id": "socket-session-1", "channel": "webchat"}).json()

    assert (body["opted_out"], body["changed"], body["confirmation"]) == (True, True, None)
    again = sms_client.post(OPT_IN, json={"conversation_id": "socket-session-1", "channel": "webchat"}).json()
    assert (again["opted_out"], again["changed"]) == (False, True)


def test_an_unknown_sms_conversation_is_404(sms_client: TestClient) -> None:
    response = sms_client.post(OPT_OUT, json={"conversation_id": "c-nope", "channel": "sms"})

    assert response.status_code == 404


def test_exactly_one_of_conversation_and_phone(sms_client: TestClient) -> None:
    for body in (
        {"channel": "sms"},
        {"channel": "sms", "conversation_id": "c", "phone": phone_number()},
        {"channel": "webchat", "phone": phone_number()},
    ):
        assert sms_client.post(OPT_OUT, json=body).status_code == 422


def test_contacts_require_the_service_token(anonymous_client: TestClient) -> None:
    response = anonymous_client.post(OPT_OUT, json={"conversation_id": "c", "channel": "sms"})

    assert response.status_code == 401


def test_an_opt_out_in_words_is_confirmed_in_answer_to_that_message(
    sms_client: TestClient, session: Session
) -> None:
    conversation = inbound(sms_client, phone_number())["conversation_id"]
    body = {"conversation_id": conversation, "channel": "sms", "in_reply_to": "SMstop"}

    answer = sms_client.post(OPT_OUT, json=body).json()

    confirmation = session.get(OutboundMessage, answer["confirmation"]["id"])
    assert confirmation is not None and confirmation.in_reply_to == "SMstop"
