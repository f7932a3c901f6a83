"""Retention (GDPR Art. 5(1)(e) storage limitation): conversations past RETENTION_CONVERSATION_DAYS go."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import worker
from api.conversations.models import InboundMessage, OutboundAttempt, OutboundMessage
from api.core.config import Settings
from api.core.models import new_id
from api.handoffs.models import Handoff, HandoffEntry
from api.privacy import retention
from api.privacy.tracker_stores import RedisTrackerStore, SqlTrackerStore
from tests.api.row_factories import sms_row
from tests.api.settings_helpers import api_settings
from tests.api.table_helpers import empty_tables
from tests.api.tracker_helpers import REDIS_URL, save_redis, save_sql, session_events

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
OLD, RECENT = NOW - timedelta(days=100), NOW - timedelta(days=5)


@pytest.fixture(autouse=True)
def _empty_messages(database_url: str) -> Iterator[None]:
    """These tests write messages without accounts: leave none behind for the other tests."""
    yield
    empty_tables(database_url, OutboundAttempt, OutboundMessage, InboundMessage)


def _settings(database_url: str, **overrides: object) -> Settings:
    return api_settings(
        database_url,
        TRACKER_STORE_REDIS_URL=REDIS_URL,
        TRACKER_STORE_SQL_URL=database_url,
        **overrides,
    )


def _inbound(session: Session, at: datetime, body: str) -> str:
    message = InboundMessage(channel="sms", message_sid=f"SM{new_id()}", body=body, received_at=at)
    session.add(message)
    session.commit()
    return message.id


def _outbound(session: Session, at: datetime, status: str) -> str:
    message = sms_row(status=status, created_at=at)
    session.add(message)
    session.commit()
    return message.id


def _handoff(session: Session, at: datetime, status: str) -> str:
    handoff = Handoff(
        conversation_id=f"c-{new_id()}",
        channel="webchat",
        reason="request_human",
        priority=4,
        status=status,
        summary="Asked for a person",
        created_at=at,
        updated_at=at,
    )
    handoff.entries = [HandoffEntry(kind="debtor", text="I lost my job", at=at)]
    session.add(handoff)
    session.commit()
    return handoff.id


def test_conversations_older_than_the_retention_age_are_deleted_everywhere(
    database_url: str,
    session: Session,
    redis_client: "redis.Redis",
    redis_store: RedisTrackerStore,
    sql_store: SqlTrackerStore,
) -> None:
    """Tracker sessions, message bodies and finished handoffs' transcripts older than 90 days go."""
    for sender, at in (("c-old", OLD), ("c-recent", RECENT)):
        save_redis(redis_client, sender, session_events(at.timestamp(), "hello"))
        save_sql(sql_store, sender, session_events(at.timestamp(), "hello"))
    old_in, recent_in = _inbound(session, OLD, "I can pay"), _inbound(session, RECENT, "I can pay")
    old_sent, old_queued = _outbound(session, OLD, "delivered"), _outbound(session, OLD, "queued")
    old_closed, old_open = _handoff(session, OLD, "closed"), _handoff(session, OLD, "claimed")

    report = retention.run_once(_settings(database_url, RETENTION_CONVERSATION_DAYS=90), NOW)

    assert report is not None and report.tracker_events == {"redis": 4, "sql": 4}
    assert redis_store.events("c-old") == [] and sql_store.events("c-old") == []
    assert len(redis_store.events("c-recent")) == 4 and len(sql_store.events("c-recent")) == 4
    session.expire_all()
    body = {m.id: m.body for m in session.scalars(select(InboundMessage))}
    assert body[old_in] == "" and body[recent_in] == "I can pay"
    sent = {m.id: m.body for m in session.scalars(select(OutboundMessage))}
    assert sent[old_sent] == "" and sent[old_queued] == "Your plan"  # a queued message still has to go
    transcripts = {h.id: len(h.entries) for h in session.scalars(select(Handoff))}
    assert transcripts[old_closed] == 0 and transcripts[old_open] == 1  # a person still works the open one


def test_retention_does_nothing_until_an_age_is_configured(database_url: str, session: Session) -> None:
    message = _inbound(session, OLD, "I can pay")

    assert retention.run_once(_settings(database_url), NOW) is None
    assert retention.start_in_background(_settings(database_url), threading.Event()) is None
    session.expire_all()
    assert session.get(InboundMessage, message).body == "I can pay"  # type: ignore[union-attr]


def test_the_worker_runs_retention_periodically_until_stopped(database_url: str) -> None:
    settings, stop, passes = _settings(database_url, RETENTION_CONVERSATION_DAYS=30), threading.Event(), []

    def one_pass(_: Settings, now: datetime) -> None:
        passes.append(now)
        if len(passes) == 2:
            stop.set()

    retention.run_periodically(
        settings.model_copy(update={"RETENTION_INTERVAL_SECONDS": 0.001}), stop, one_pass
    )

    assert len(passes) == 2


def test_the_worker_process_starts_the_retention_job(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    started: list[Settings] = []
    monkeypatch.setattr(
        worker, "get_settings", lambda: _settings(database_url, RETENTION_CONVERSATION_DAYS=30)
    )
    monkeypatch.setattr(worker, "start_in_background", lambda settings, stop: started.append(settings))

    assert worker.main([]) == 2  # Twilio is not configured: the sender refuses to start
    assert started and started[0].RETENTION_CONVERSATION_DAYS == 30


def test_retention_runs_once_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, database_url: str, session: Session
) -> None:
    message = _inbound(session, datetime.now(UTC) - timedelta(days=40), "I can pay")
    monkeypatch.setattr(retention, "get_settings", lambda: _settings(database_url))

    assert retention.main([]) == 2
    assert retention.main(["--days", "30"]) == 0
    session.expire_all()
    assert session.get(InboundMessage, message).body == ""  # type: ignore[union-attr]
