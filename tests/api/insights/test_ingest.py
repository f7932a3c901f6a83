"""The ingest: Rasa's broker rows into conversations, turns and outcomes; idempotent, resumable, and no
identity fact, phone, card or SSN of a debtor's message ever reaches the review tables."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.conversations.models import Contact
from api.core.config import Settings
from api.core.db import get_engine
from api.handoffs.models import Handoff
from api.insights import ingest
from api.insights.ingest import events_url
from api.insights.models import IngestCursor, ReviewConversation, ReviewTurn
from tests.api.insights.conftest import NOW, Ingest
from tests.api.insights.rasa_events import EVENTS, Broker, action, bot, paying_conversation, slot, user
from tests.api.row_factories import active_plan
from tests.factories import create_account


def _conversation(session: Session, sender: str) -> ReviewConversation:
    return session.scalars(select(ReviewConversation).where(ReviewConversation.sender_id == sender)).one()


def test_a_paying_conversation_becomes_turns_and_outcomes(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    broker.publish("+15550001111", *paying_conversation())

    report = ingested()

    conversation = _conversation(session, "+15550001111")
    assert report.events == len(paying_conversation())
    assert conversation.channel == "sms" and conversation.debtor_turns == 5
    outcomes = {"verified", "balance_seen", "offered", "plan_made"}
    assert all(getattr(conversation, name) for name in outcomes)
    assert not any(getattr(conversation, name) for name in ("fallback", "handoff", "opted_out", "abandoned"))
    assert conversation.distress_max == 1 and conversation.account_id == "acc-1"
    debtor = [turn for turn in conversation.turns if turn.sender == "debtor"]
    assert (debtor[0].intent, debtor[0].confidence) == ("greet", 0.91)
    assert [turn.response for turn in conversation.turns if turn.sender == "bot"][-1] == "utter_plan_created"


def test_fallbacks_and_low_confidence_are_gaps_with_the_best_other_guess(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    ranking = [("nlu_fallback", 0.6), ("check_balance", 0.41), ("greet", 0.1)]
    broker.publish(
        "web-1",
        user("whats the damage", "nlu_fallback", 0.6, ranking=ranking, channel="webchat"),
        action("action_default_fallback"),
        bot("Sorry, I did not get that.", "utter_default"),
        user("how much do i owe", "check_balance", 0.45, channel="webchat"),
    )

    ingested()

    conversation = _conversation(session, "web-1")
    gaps = [(turn.intent, turn.best_guess) for turn in conversation.turns if turn.gap]
    assert conversation.fallback and conversation.channel == "webchat"
    assert gaps == [("nlu_fallback", "check_balance"), ("check_balance", "check_balance")]


def test_ingest_is_resumable_and_idempotent_by_event_id(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    events = paying_conversation()
    broker.publish("s-1", *events[:6])
    ingested()
    broker.publish("s-1", *events[6:])

    second = ingested()
    session.execute(update(IngestCursor).values(last_event_id=0))  # a lost high-water mark
    session.commit()
    third = ingested()

    turns = session.scalars(select(ReviewTurn)).all()
    assert second.events == len(events) - 6 and third.events == len(events)
    assert len(turns) == len({turn.event_id for turn in turns}) == 12
    assert _conversation(session, "s-1").debtor_turns == 5


def test_no_identity_fact_phone_card_or_ssn_reaches_the_review_tables(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    secrets = [
        "03/14/1985",
        "20001",
        "555-867-5309",
        "4111 1111 1111 1111",
        "123-45-6789",
        "ACME-1001",
        "jane.doe@example.com",
        "Jane Doe",
        "1985",
    ]
    broker.publish(
        "+15558675309",
        slot("requested_slot", "account_ref"),
        user("ACME-1001", "inform_identity", entities=[{"entity": "account_ref", "value": "ACME-1001"}]),
        slot("requested_slot", "dob"),
        user("it's march 14 1985", "inform_identity"),
        slot("requested_slot", "zip_code"),
        user("20001", "inform_identity"),
        slot("requested_slot", None),
        user("born 03/14/1985, zip 20001", "inform_identity", 0.4),
        user("call me on 555-867-5309 please", "contact_preferences"),
        user("my card is 4111 1111 1111 1111", "make_payment"),
        user("ssn 123-45-6789", "inform_identity", 0.3),
        user("email me at jane.doe@example.com", "contact_preferences"),
        user("my name is Jane Doe", "inform_identity", 0.5),
        user("i can pay 50 a month", "offer_payment"),
    )

    ingested()

    dump = " ".join(
        str(value)
        for table in ("insights_turns", "insights_conversations")
        for row in session.execute(text(f"SELECT * FROM {table}")).tuples()  # noqa: S608 (our table names)
        for value in row
    )
    # As words: an id's hex or a timestamp's microseconds may hold "1985" by chance (CI saw it once).
    leaked = [
        secret
        for secret in secrets
        if re.search(rf"(?<![0-9a-z]){re.escape(secret)}(?![0-9a-z])", dump, re.I)
    ]
    assert leaked == []
    assert "i can pay 50 a month" in dump  # ordinary messages stay readable


def test_silent_conversations_without_an_agreement_are_abandoned(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    broker.publish("quiet", user("hi", "greet"), bot("Hello", "utter_introduction"))
    broker.publish("paid", *paying_conversation())

    ingested(NOW + timedelta(hours=1))

    assert _conversation(session, "quiet").abandoned and not _conversation(session, "paid").abandoned


def test_a_handoff_the_api_recorded_counts_even_without_its_slot(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    session.add(Handoff(conversation_id="h-1", channel="sms", reason="dispute", priority=2, status="queued"))
    session.commit()
    broker.publish("h-1", user("this is not my debt", "dispute_debt"))

    ingested()

    assert _conversation(session, "h-1").handoff
    session.execute(text("DELETE FROM handoffs"))
    session.commit()


def test_rasa_postgresql_urls_are_read_with_psycopg_3() -> None:
    assert events_url("postgresql://rasa:pw@db:5432/events") == "postgresql+psycopg://rasa:pw@db:5432/events"
    assert events_url("sqlite:///var/rasa_events.db") == "sqlite:///var/rasa_events.db"


def test_an_sms_stop_and_a_plan_the_api_recorded_count_as_outcomes(
    client: TestClient, broker: Broker, ingested: Ingest, session: Session
) -> None:
    account = create_account(client)
    session.add(Contact(channel="sms", address="+12025550123", conversation_id="stop-1", opted_out=True))
    broker.publish("stop-1", user("i can pay 50 a month", "offer_payment"), slot("account_id", account["id"]))
    session.add(active_plan(account["id"], datetime.fromtimestamp(broker.clock + 60, UTC), Decimal(600)))
    session.commit()

    ingested()

    conversation = _conversation(session, "stop-1")
    assert conversation.opted_out and conversation.plan_made
    session.execute(text("DELETE FROM payment_plans"))
    session.execute(text("DELETE FROM contacts"))
    session.commit()


def test_a_postgresql_broker_as_rasa_is_given_it_is_ingested(
    postgres_databases: Callable[[], str], insights_settings: Settings, session: Session
) -> None:
    url = postgres_databases()
    engine = create_engine(url, poolclass=NullPool)
    EVENTS.metadata.create_all(engine)
    rasa_url = url.replace("postgresql+psycopg://", "postgresql://")  # Rasa's own dialect name
    Broker(engine, rasa_url).publish("pg-1", *paying_conversation())
    engine.dispose()

    ingest.run_pass(insights_settings.model_copy(update={"EVENT_BROKER_URL": rasa_url}), session, NOW)

    assert _conversation(session, "pg-1").plan_made


def test_an_unreadable_row_is_skipped_not_a_blocker(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    with broker.engine.begin() as connection:
        connection.execute(EVENTS.insert().values(sender_id="bad", data="{not json"))
    broker.publish("good", user("hi", "greet"))

    report = ingested()

    assert report.events == 2 and _conversation(session, "good").debtor_turns == 1


def test_the_two_stage_fallback_counts_as_a_fallback(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    broker.publish(
        "two-stage",
        user("hmm the thing", "check_balance", 0.7),
        action("action_default_ask_affirmation"),
        bot("I want to get this right. Did you mean one of these?", "utter_ask_affirmation"),
    )

    ingested()

    assert _conversation(session, "two-stage").fallback


def _most_parameters(engine: Engine, run: Callable[[], object]) -> int:
    """The most bound parameters one query or update carried while `run` ran (not the ORM's INSERTs, whose
    rows SQLAlchemy batches in pages of a bounded size)."""
    counts: list[int] = []

    def record(_conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, many: bool) -> None:
        if not sql.lstrip().upper().startswith("INSERT"):
            counts.extend(len(row) for row in (parameters if many else [parameters]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return max(counts, default=0)


def test_no_statement_of_a_pass_grows_with_the_conversations_or_events(
    broker: Broker, ingested: Ingest, session: Session, database_url: str
) -> None:
    """Issue 15: one bound value per conversation or event made every pass prepare a new, larger statement,
    which the driver's statement cache kept: the worker's memory grew with every conversation."""
    broker.publish("few-0", *paying_conversation())
    few = _most_parameters(get_engine(database_url), ingested)
    for index in range(40):
        broker.publish(f"many-{index}", *paying_conversation())

    many = _most_parameters(get_engine(database_url), ingested)

    assert _conversation(session, "many-39").plan_made
    assert many <= few
