"""GDPR for the review: erasure deletes a debtor's review conversations and the event broker's copy of
their events; the broker table is read, erased and pruned like a tracker store (api.privacy)."""

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.core.config import Settings
from api.insights import ingest
from api.insights.models import ReviewConversation, ReviewTurn
from api.main import create_app
from api.privacy.tracker_stores import EventBrokerStore, from_settings
from tests.api.conftest import AUTH
from tests.api.insights.conftest import NOW
from tests.api.insights.rasa_events import T0, Broker, paying_conversation, slot, user
from tests.factories import create_account


def test_the_broker_table_is_a_store_privacy_reads_erases_and_prunes(broker: Broker) -> None:
    broker.publish("a", user("hi", "greet"), user("again", "greet"))
    broker.publish("b", user("hello", "greet"))
    store = EventBrokerStore(create_engine(broker.url, poolclass=NullPool))

    assert [event["text"] for event in store.events("a")] == ["hi", "again"]
    assert store.delete("a") == 2 and store.events("a") == []
    assert store.prune(T0 + 100) == 1 and store.events("b") == []


def test_the_configured_broker_is_one_of_privacys_stores(insights_settings: Settings) -> None:
    assert [store.name for store in from_settings(insights_settings)] == ["event_broker"]


def test_erasure_deletes_the_debtors_review_conversations_and_no_others(
    insights_settings: Settings, client: TestClient, broker: Broker, session: Session
) -> None:
    account = create_account(client)
    broker.publish("web-erase", user("hi", "greet", channel="webchat"), slot("account_id", account["id"]))
    broker.publish("someone-else", *paying_conversation())
    ingest.run_pass(insights_settings, session, NOW)

    with TestClient(create_app(insights_settings), headers=AUTH) as api:
        response = api.post(f"/api/v1/accounts/{account['id']}/erasure")

    assert response.status_code == 200, response.text
    senders = session.scalars(select(ReviewConversation.sender_id)).all()
    assert senders == ["someone-else"] and session.scalar(select(func.count()).select_from(ReviewTurn)) == 12
