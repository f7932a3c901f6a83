"""GDPR Art. 15 (access) and Art. 17 (erasure) for a debtor, across the database and Rasa's tracker stores.

Real Redis (db 14) and Rasa's SQL `events` table, on SQLite and PostgreSQL.
"""

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts.models import Account, ContactPreference, Debtor
from api.conversations.models import Contact, InboundMessage, OutboundMessage
from api.core.config import Settings
from api.handoffs.models import HandoffEntry
from api.privacy.dependencies import tracker_stores
from api.privacy.tracker_stores import RedisTrackerStore, SqlTrackerStore
from tests.api.handoff_helpers import Staff, create_handoff
from tests.api.settings_helpers import api_settings
from tests.api.sms_helpers import OPT_OUT, inbound, outbound
from tests.api.tracker_helpers import (
    REDIS_URL,
    save_redis,
    save_sql,
    session_events,
)
from tests.factories import create_account, debtor_payload, phone_number

CARD = "4111 1111 1111 1111"
SAID_BY_DEBTOR = "Jordan here, I can pay on Friday"


@pytest.fixture
def settings(database_url: str, redis_store: RedisTrackerStore, sql_store: SqlTrackerStore) -> Settings:
    """The test settings, with Rasa's tracker stores in Redis db 14 and the test database."""
    return api_settings(
        database_url,
        TRACKER_STORE_REDIS_URL=REDIS_URL,
        TRACKER_STORE_SQL_URL=database_url,
    )


@dataclass(frozen=True)
class History:
    """A debtor who texted, chatted on the web, was handed to a person and disputed the debt."""

    phone: str
    account_id: str
    debtor_id: str
    sms_conversation: str
    webchat_conversation: str


@pytest.fixture
def history(client: TestClient, redis_client: "redis.Redis", sql_store: SqlTrackerStore) -> History:
    """A debtor with an SMS and a web chat in every store, a handoff and a dispute."""
    return debtor_with_history(client, redis_client, sql_store)


def debtor_with_history(
    client: TestClient, redis_client: "redis.Redis", sql_store: SqlTrackerStore
) -> History:
    phone = phone_number()
    account = create_account(client, debtor=debtor_payload(phone=phone))
    sms = inbound(client, phone, SAID_BY_DEBTOR)
    sms_conversation = sms["conversation_id"]
    outbound(client, conversation_id=sms_conversation, account_id=account["id"], body="Thanks, Jordan.")
    webchat = f"{uuid.uuid4().hex}"
    transcript = [{"sender": "debtor", "text": SAID_BY_DEBTOR}, {"sender": "bot", "text": "One moment."}]
    create_handoff(client, conversation_id=webchat, account_id=account["id"], transcript=transcript)
    dispute = {"reason": "wrong_amount", "text": "Jordan Rivera: I paid half already"}
    assert client.post(f"/api/v1/accounts/{account['id']}/disputes", json=dispute).status_code == 201
    now = time.time()
    for conversation in (sms_conversation, webchat):
        save_redis(redis_client, conversation, session_events(now, SAID_BY_DEBTOR))
        save_sql(sql_store, conversation, session_events(now, SAID_BY_DEBTOR))
    return History(phone, account["id"], account["debtor_id"], sms_conversation, webchat)


def _export(client: TestClient, account_id: str, **kwargs: Any) -> Any:
    return client.get(f"/api/v1/accounts/{account_id}/subject-access", **kwargs)


def _erase(client: TestClient, account_id: str, **kwargs: Any) -> Any:
    return client.post(f"/api/v1/accounts/{account_id}/erasure", **kwargs)


def test_art15_export_holds_everything_we_hold_including_rasa_tracker_events(
    client: TestClient, history: History
) -> None:
    """GDPR Art. 15(1) and (3): a copy of the personal data, from every place it is kept."""

    response = _export(client, history.account_id)

    assert response.status_code == 200, response.text
    exported = response.json()
    assert exported["debtor"]["phone"] == history.phone
    assert "dob_hash" not in exported["debtor"] and "keyed hashes" in exported["debtor"]["identity_facts"]
    (account,) = exported["accounts"]
    assert account["id"] == history.account_id and account["total"] == "1320.40"
    assert account["disputes"][0]["text"] == "Jordan Rivera: I paid half already"
    assert account["audit"]["verified"] is True
    types = [event["type"] for event in account["audit"]["events"]]
    assert types == ["account.created", "handoff.created", "dispute.opened"]
    assert exported["messages"]["inbound"][0]["body"] == SAID_BY_DEBTOR
    assert exported["messages"]["outbound"][0]["body"].startswith("Thanks, Jordan.")
    assert exported["handoffs"][0]["transcript"][0]["text"] == SAID_BY_DEBTOR
    conversations = {c["conversation_id"]: c["tracker_events"] for c in exported["conversations"]}
    assert set(conversations) == {history.sms_conversation, history.webchat_conversation}
    for stores in conversations.values():
        for store in ("redis", "sql"):
            assert SAID_BY_DEBTOR in [event.get("text") for event in stores[store]]


def test_art15_export_holds_the_media_the_debtor_refused_and_preferred(
    client: TestClient, history: History, session: Session
) -> None:
    preference = ContactPreference(
        debtor_id=history.debtor_id,
        inconvenient_weekdays=[6],
        inconvenient_hours=[],
        refused_channels=["sms"],
        preferred_channel="email",
    )
    session.add(preference)
    session.commit()

    [exported] = _export(client, history.account_id).json()["contact_preferences"]

    assert (exported["refused_channels"], exported["preferred_channel"]) == (["sms"], "email")


def test_a_webchat_conversation_that_verified_against_the_account_is_exported_and_erased(
    client: TestClient, redis_client: "redis.Redis", redis_store: RedisTrackerStore, history: History
) -> None:
    """A chat is tied to the debtor only by its identity verification; Art. 15 and 17 still reach it."""
    chat = uuid.uuid4().hex
    facts = {"dob": "1985-03-14", "zip_code": "20001", "conversation_id": chat}
    assert client.post(f"/api/v1/accounts/{history.account_id}/verify", json=facts).json()["verified"]
    save_redis(redis_client, chat, session_events(time.time(), SAID_BY_DEBTOR))

    exported = _export(client, history.account_id).json()
    _erase(client, history.account_id)

    assert chat in [conversation["conversation_id"] for conversation in exported["conversations"]]
    assert redis_store.events(chat) == []


def test_art15_export_is_recorded_on_the_account_event_record(client: TestClient, history: History) -> None:
    """GDPR Art. 5(2) accountability: who exported is on the tamper-evident record."""

    _export(client, history.account_id)

    events = client.get(f"/api/v1/accounts/{history.account_id}/events").json()
    assert events[-1]["type"] == "subject.access_exported"
    assert events[-1]["data"] == {"requested_by": "service"}


def test_art15_export_and_art17_erasure_need_the_service_token_or_an_admin(
    anonymous_client: TestClient, client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    """Art. 32 security of processing: only the service and admins reach a debtor's whole file."""
    account = create_account(client)

    assert _export(anonymous_client, account["id"]).status_code == 401
    assert _erase(anonymous_client, account["id"]).status_code == 401
    for role in ("agent", "supervisor", "marketing"):
        assert _export(anonymous_client, account["id"], headers=staff[role].headers).status_code == 403
        assert _erase(anonymous_client, account["id"], headers=staff[role].headers).status_code == 403
    assert _export(anonymous_client, account["id"], headers=staff["admin"].headers).status_code == 200
    audited = session.execute(text("SELECT action, staff_id FROM staff_audit")).all()
    assert ("subject.access_exported", staff["admin"].id) in [tuple(row) for row in audited]


def _personal_data_left(session: Session, history: History) -> list[str]:
    """Every place in the accounts database where the debtor's number, name or words remain."""
    session.expire_all()
    debtor = session.get(Debtor, history.debtor_id)
    assert debtor is not None
    found = []
    if history.phone in (debtor.phone,) or debtor.first_name or debtor.last_name or debtor.email:
        found.append("debtor")
    for table, columns in (
        ("inbound_messages", "body, from_address"),
        ("outbound_messages", "body, to_address"),
        ("handoff_entries", "text"),
        ("handoffs", "summary"),
        ("disputes", "text"),
        ("contacts", "address"),
    ):
        for values in session.execute(text(f"SELECT {columns} FROM {table}")).all():  # noqa: S608
            if any(v and (history.phone in str(v) or "Jordan" in str(v)) for v in values):
                found.append(table)
    return found


def test_art17_erasure_removes_personal_data_from_database_tracker_stores_and_transcripts(
    client: TestClient,
    session: Session,
    redis_store: RedisTrackerStore,
    sql_store: SqlTrackerStore,
    history: History,
) -> None:
    """GDPR Art. 17(1): erased without undue delay, everywhere: database, Redis and SQL trackers."""

    response = _erase(client, history.account_id)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["already_erased"] is False and body["conversations"] == 2
    assert body["tracker_events_deleted"] == {"redis": 8, "sql": 8}
    assert _personal_data_left(session, history) == []
    for conversation in (history.sms_conversation, history.webchat_conversation):
        assert redis_store.events(conversation) == [] and sql_store.events(conversation) == []
    assert session.scalars(select(HandoffEntry)).all() == []
    assert client.post("/api/v1/accounts/lookup", json={"phone": history.phone}).status_code == 404


def test_art17_erasure_keeps_the_debt_and_a_verified_audit_chain_ending_in_the_erasure(
    client: TestClient, session: Session, history: History
) -> None:
    """Art. 17(3)(b),(e) and Reg F 1006.100: the debt's bare facts and the record stay, without PII."""

    _erase(client, history.account_id)

    session.expire_all()
    account = session.get(Account, history.account_id)
    assert account is not None and str(account.total) == "1320.40"
    verification = audit.verify(session, account)
    assert verification.verified
    last = audit.chain(session, account.id)[-1]
    assert last.type == "subject.erased"
    assert last.data == {"requested_by": "service", "conversations": 2, "tracker_events_deleted": 16}
    outbound_rows = session.scalars(select(OutboundMessage).where(OutboundMessage.account_id == account.id))
    assert [(m.status, m.body) for m in outbound_rows] == [("queued", "")]


def test_art17_erasure_keeps_an_sms_opt_out_so_the_stop_is_still_honoured(
    client: TestClient, session: Session, history: History
) -> None:
    """Reg F 1006.6(e) / TCPA: the opt-out outlives the erasure (a legal obligation, Art. 17(3)(b))."""
    client.post(OPT_OUT, json={"conversation_id": history.sms_conversation, "channel": "sms"})

    _erase(client, history.account_id)

    session.expire_all()
    contact = session.scalars(select(Contact).where(Contact.address == history.phone)).one()
    assert contact.opted_out is True
    blocked = outbound(client, to=history.phone, body="Hello again", kind="reminder")
    assert blocked["status"] == "blocked" and "opted_out" in blocked["reasons"]


def test_art17_erasure_is_idempotent_and_removes_what_rasa_wrote_since(
    client: TestClient,
    session: Session,
    redis_client: "redis.Redis",
    redis_store: RedisTrackerStore,
    history: History,
) -> None:
    """Repeating an erasure is safe: one erasure event, and a conversation Rasa saved meanwhile goes too."""
    first = _erase(client, history.account_id).json()
    save_redis(redis_client, history.webchat_conversation, session_events(time.time(), SAID_BY_DEBTOR))

    second = _erase(client, history.account_id)

    assert second.status_code == 200
    assert second.json()["already_erased"] is True
    assert second.json()["erased_at"] == first["erased_at"]
    assert second.json()["tracker_events_deleted"] == {"redis": 4, "sql": 0}
    assert redis_store.events(history.webchat_conversation) == []
    types = [e["type"] for e in client.get(f"/api/v1/accounts/{history.account_id}/events").json()]
    assert types.count("subject.erased") == 1


def test_art17_erasure_with_a_tracker_store_unreachable_changes_nothing(
    client: TestClient, settings: Settings, session: Session, redis_client: "redis.Redis", history: History
) -> None:
    """All or nothing: a 503 leaves the debtor as they were, so the request can be repeated."""
    app = client.app
    dead = RedisTrackerStore(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2), "debtbot")
    app.dependency_overrides[tracker_stores] = lambda: [dead]  # type: ignore[attr-defined]

    response = _erase(client, history.account_id)

    assert response.status_code == 503
    session.expire_all()
    assert session.get(Debtor, history.debtor_id).erased_at is None  # type: ignore[union-attr]
    stored = session.scalars(select(InboundMessage.body).where(InboundMessage.from_address == history.phone))
    assert list(stored) == [SAID_BY_DEBTOR]
    assert json.loads(redis_client.get(f"debtbot:tracker:{history.sms_conversation}") or b"{}")["events"]


def test_art17_erasure_covers_emails_and_keeps_an_email_unsubscribe(
    client: TestClient, session: Session, redis_client: "redis.Redis", sql_store: SqlTrackerStore
) -> None:
    """Art. 17 for the email channel: subject, body and address go; the unsubscribe stays honoured."""
    history = debtor_with_history(client, redis_client, sql_store)
    email = {"account_id": history.account_id, "subject": "Jordan, a reminder", "body": "Hello Jordan"}
    queued = client.post("/api/v1/messages/email", json=email).json()
    conversation = session.get(OutboundMessage, queued["id"]).conversation_id  # type: ignore[union-attr]
    client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "email"})

    body = _erase(client, history.account_id).json()

    session.expire_all()
    row = session.get(OutboundMessage, queued["id"])
    assert row is not None and (row.subject, row.body, row.to_address) == (None, "", "")
    assert body["conversations"] == 3
    contact = session.scalars(select(Contact).where(Contact.conversation_id == conversation)).one()
    assert contact.opted_out is True
