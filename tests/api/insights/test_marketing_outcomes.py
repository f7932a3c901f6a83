"""Payment link opened, payment made and the satisfaction survey, from broker events and the portal."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.insights.models import ConversationLink, ReviewConversation
from tests.api.collections_helpers import fix_clock, verified_account
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, bot, slot, user

PORTAL_CLOCK = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)
CARD_FORM = {
    "amount": "50.00",
    "name": "Jordan Rivera",
    "card_number": "4111 1111 1111 1111",
    "expiry": "04/28",
    "cvc": "123",
}


def issued_link(client: TestClient) -> str:
    """A genuine payment link of a new account, as the bot's action asks for it."""
    fix_clock(client, PORTAL_CLOCK)
    account_id, grant = verified_account(client)
    response = client.post(f"/api/v1/accounts/{account_id}/payment-links", json={}, headers=grant)
    assert response.status_code == 201, response.text
    return str(response.json()["url"])


def sent_link(broker: Broker, sender: str, url: str) -> None:
    """A conversation where the bot sends a payment link."""
    broker.publish(
        sender,
        user("i want to pay", "make_payment", channel="webchat"),
        bot(f"You can pay securely here: {url} (the link works for 24 hours).", "utter_payment_link"),
    )


def conversation(session: Session, sender: str) -> ReviewConversation:
    return session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == sender)).one()


def test_a_link_the_bot_sent_is_tied_to_its_conversation(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    sent_link(broker, "web-1", issued_link(client))

    ingested()

    found = conversation(session, "web-1")
    assert found.link_sent and not found.link_opened and not found.paid
    assert [row.conversation_id for row in session.scalars(select(ConversationLink))] == [found.id]


def test_opening_the_link_then_paying_are_the_conversations_outcomes(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    url = issued_link(client)
    path = url[url.index("/pay/") :]
    sent_link(broker, "web-2", url)
    ingested()

    assert client.get(path).status_code == 200
    ingested()
    opened = conversation(session, "web-2")
    assert (opened.link_opened, opened.paid) == (True, False)

    assert client.post(path, data=CARD_FORM).status_code == 200
    ingested()
    assert conversation(session, "web-2").paid


def test_a_forged_link_in_a_message_counts_for_nothing(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    url = issued_link(client)
    head, payload, _signature = url.rsplit("/", 1)[1].split(".")
    sent_link(broker, "web-3", url.rsplit("/", 1)[0] + f"/{head}.{payload}.forged")

    ingested()

    assert session.scalars(select(ConversationLink)).all() == []


def test_a_link_opened_in_another_conversation_is_not_this_ones(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    url = issued_link(client)
    sent_link(broker, "web-4", url)
    sent_link(broker, "web-5", issued_link(client))
    ingested()

    client.get(url[url.index("/pay/") :])
    ingested()

    assert conversation(session, "web-4").link_opened
    assert not conversation(session, "web-5").link_opened


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4], 4),
        (["5"], 5),
        ([3.0], 3),
        ([2, None], 2),
        ([9], None),
        ([True], None),
        (["great"], None),
        ([], None),
    ],
)
def test_the_survey_answer_is_the_satisfaction_slot(
    broker: Broker, ingested: Ingest, session: Session, values: list[object], expected: int | None
) -> None:
    broker.publish(
        "survey",
        user("that's all", "goodbye"),
        bot("How did we do? Reply 1-5", "utter_ask_satisfaction"),
        *(slot("satisfaction", value) for value in values),
    )

    ingested()

    assert conversation(session, "survey").satisfaction == expected
