"""POST /api/v1/messages/outbound: the one outbound path, with the compliance gate in front of it."""

import pytest
from fastapi.testclient import TestClient

from tests.api.compliance_helpers import MONDAY_NOON_NEW_YORK, pin_clock
from tests.api.sms_helpers import OPT_IN, OPT_OUT, OUTBOUND, inbound, outbound
from tests.factories import phone_number

KINDS = ["reply", "agent", "reminder", "system"]


@pytest.fixture(autouse=True)
def _daytime(sms_client: TestClient) -> None:
    """Reminders are bot-initiated: keep them inside contact hours whatever the time of the run."""
    pin_clock(sms_client, MONDAY_NOON_NEW_YORK, ticking=True)


def _conversation(client: TestClient) -> tuple[str, str]:
    phone = phone_number()
    return phone, inbound(client, phone)["conversation_id"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_message_to_a_subscribed_number_is_queued(sms_client: TestClient, kind: str) -> None:
    _, conversation = _conversation(sms_client)

    result = outbound(sms_client, conversation_id=conversation, kind=kind)

    assert (result["status"], result["reasons"], result["duplicate"]) == ("queued", [], False)


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_of_any_kind_goes_to_a_number_that_opted_out(sms_client: TestClient, kind: str) -> None:
    phone, conversation = _conversation(sms_client)
    inbound(sms_client, phone, "STOP")

    by_conversation = outbound(sms_client, conversation_id=conversation, kind=kind)
    by_number = outbound(sms_client, to=phone, kind=kind)

    for result in (by_conversation, by_number):
        assert (result["status"], result["reasons"]) == ("blocked", ["opted_out"])


def test_an_opt_out_in_words_blocks_every_later_message(sms_client: TestClient) -> None:
    _, conversation = _conversation(sms_client)
    sms_client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "sms"})

    assert outbound(sms_client, conversation_id=conversation, kind="reminder")["status"] == "blocked"


def test_after_start_messages_flow_again(sms_client: TestClient) -> None:
    phone, conversation = _conversation(sms_client)
    inbound(sms_client, phone, "STOP")
    inbound(sms_client, phone, "START")

    assert outbound(sms_client, conversation_id=conversation)["status"] == "queued"


def test_clients_cannot_forge_the_opt_out_confirmation(sms_client: TestClient) -> None:
    phone, conversation = _conversation(sms_client)
    inbound(sms_client, phone, "STOP")

    response = sms_client.post(
        OUTBOUND,
        json={
            "channel": "sms",
            "conversation_id": conversation,
            "body": "x",
            "kind": "system",
            "purpose": "opt_out_confirmation",
        },
    )

    assert response.status_code == 422


def test_a_blocked_message_is_kept_with_its_reasons(sms_client: TestClient) -> None:
    phone, conversation = _conversation(sms_client)
    inbound(sms_client, phone, "STOP")
    blocked = outbound(sms_client, conversation_id=conversation, body="Your payment is due")

    detail = sms_client.get(f"{OUTBOUND}/{blocked['id']}").json()

    assert (detail["status"], detail["reasons"], detail["body"]) == (
        "blocked",
        ["opted_out"],
        "Your payment is due",
    )
    assert "to" not in detail and phone not in str(detail)


def test_the_same_idempotency_key_queues_once(sms_client: TestClient) -> None:
    _, conversation = _conversation(sms_client)

    first = outbound(sms_client, conversation_id=conversation, idempotency_key="reply:SM1:0")
    again = outbound(sms_client, conversation_id=conversation, idempotency_key="reply:SM1:0")

    assert again["id"] == first["id"] and again["duplicate"] is True
    listed = sms_client.get(OUTBOUND, params={"conversation_id": conversation}).json()
    assert len(listed) == 1


def test_a_message_by_number_alone_creates_the_contact(sms_client: TestClient) -> None:
    phone = phone_number()

    result = outbound(sms_client, to=phone, kind="reminder")

    assert result["status"] == "queued"
    assert inbound(sms_client, phone)["conversation_id"]


def test_an_unknown_conversation_is_404(sms_client: TestClient) -> None:
    outbound(sms_client, expect=404, conversation_id="c-unknown")


def test_to_and_conversation_id_must_name_the_same_number(sms_client: TestClient) -> None:
    _, conversation = _conversation(sms_client)

    outbound(sms_client, expect=422, conversation_id=conversation, to=phone_number())


@pytest.mark.parametrize(
    "fields",
    [
        {},  # no recipient
        {"to": "not a phone"},
        {"to": "+12025550143", "body": ""},
        {"to": "+12025550143", "body": "x" * 1601},
        {"to": "+12025550143", "kind": "marketing"},
        {"to": "+12025550143", "channel": "email"},
    ],
)
def test_invalid_requests_are_422(sms_client: TestClient, fields: dict[str, str]) -> None:
    outbound(sms_client, expect=422, **fields)


def test_outbound_requires_the_service_token(anonymous_client: TestClient) -> None:
    response = anonymous_client.post(
        OUTBOUND, json={"channel": "sms", "to": "+12025550143", "body": "x", "kind": "reply"}
    )

    assert response.status_code == 401


def test_opt_in_by_phone_lifts_an_opt_out(sms_client: TestClient) -> None:
    phone, conversation = _conversation(sms_client)
    inbound(sms_client, phone, "STOP")

    result = sms_client.post(OPT_IN, json={"phone": phone, "channel": "sms", "source": "agent"}).json()

    assert (result["opted_out"], result["changed"]) == (False, True)
    assert outbound(sms_client, conversation_id=conversation)["status"] == "queued"
