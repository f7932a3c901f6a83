"""Rasa's tracker stores as Rasa 3.6 lays them out, in real Redis (db 14) and in the test databases."""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, insert

from api.core.db import get_engine
from api.privacy.tracker_stores import RedisTrackerStore, SqlTrackerStore
from tests.conftest import require_service

REDIS_DB = 14
"""Not used by anything else (integration tests use 13, development 0 and 1)."""
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
KEY_PREFIX = "debtbot"
DAY = 86_400.0

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
"""Rasa 3.6's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent)."""


def session_events(started: float, *texts: str) -> list[dict[str, Any]]:
    """One conversation session as Rasa records it: session start, then user turns and bot answers."""
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_session_start", "timestamp": started},
        {"event": "session_started", "timestamp": started + 0.1},
    ]
    for index, said in enumerate(texts):
        at = started + 1 + index
        events.append({"event": "user", "text": said, "timestamp": at, "parse_data": {"text": said}})
        events.append({"event": "bot", "text": "Thanks.", "timestamp": at + 0.5})
    return events


@pytest.fixture
def redis_client() -> Iterator["redis.Redis"]:
    """Real Redis, database 14, emptied before and after."""
    require_service("Redis", "127.0.0.1", 6379)
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def redis_store(redis_client: "redis.Redis") -> RedisTrackerStore:
    """The store the production profile's Rasa writes (key_prefix debtbot)."""
    return RedisTrackerStore(redis_client, KEY_PREFIX)


@pytest.fixture
def sql_store(database_url: str) -> Iterator[SqlTrackerStore]:
    """Rasa's `events` table in the test database (SQLite and PostgreSQL), dropped afterwards."""
    engine = get_engine(database_url)
    _metadata.create_all(engine)
    yield SqlTrackerStore(engine)
    _metadata.drop_all(engine)


def save_redis(
    client: "redis.Redis", sender_id: str, events: list[dict[str, Any]], ttl: int | None = None
) -> None:
    """Write a conversation the way RedisTrackerStore.save does."""
    key = f"{KEY_PREFIX}:tracker:{sender_id}"
    client.set(key, json.dumps({"events": events, "name": sender_id}), ex=ttl)


def save_sql(store: SqlTrackerStore, sender_id: str, events: list[dict[str, Any]]) -> None:
    """Insert a conversation's events the way SQLTrackerStore.save does."""
    rows = [
        {
            "sender_id": sender_id,
            "type_name": event["event"],
            "timestamp": event.get("timestamp", time.time()),
            "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": event.get("name"),
            "data": json.dumps(event),
        }
        for event in events
    ]
    with store.engine.begin() as connection:
        connection.execute(insert(EVENTS), rows)
