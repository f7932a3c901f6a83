"""Rasa 3.6's tracker stores as the API reads and prunes them (real Redis db 14; SQLite and PostgreSQL)."""

import json
import time

import redis

from api.privacy.tracker_stores import RedisTrackerStore, SqlTrackerStore, expired_prefix, redis_key_prefix
from tests.api.tracker_helpers import DAY, save_redis, save_sql, session_events

CUTOFF = 1_700_000_000.0


def test_the_redis_key_is_rasas_own_prefix_then_the_sender_id() -> None:
    """rasa/core/tracker_store.py: an alphanumeric key_prefix becomes `<prefix>:tracker:`."""
    assert redis_key_prefix("debtbot") == "debtbot:tracker:"
    assert redis_key_prefix(None) == "tracker:"
    assert redis_key_prefix("not-alnum") == "tracker:"


def test_only_whole_sessions_that_ended_before_the_cutoff_expire() -> None:
    old = session_events(CUTOFF - 3 * DAY, "hello")
    straddling = session_events(CUTOFF - 10, "still talking")
    straddling[-1]["timestamp"] = CUTOFF + 5
    new = session_events(CUTOFF + DAY, "hi again")

    assert expired_prefix(old + straddling + new, CUTOFF) == len(old)
    assert expired_prefix(old, CUTOFF) == len(old)
    assert expired_prefix(new, CUTOFF) == 0
    assert expired_prefix([{"event": "user", "text": "undated"}], CUTOFF) == 0


def test_redis_prune_rewrites_a_conversation_without_its_old_sessions_and_keeps_its_expiry(
    redis_client: "redis.Redis", redis_store: RedisTrackerStore
) -> None:
    old, new = session_events(CUTOFF - 2 * DAY, "old"), session_events(CUTOFF + 1, "new")
    save_redis(redis_client, "c-mixed", old + new, ttl=3600)
    save_redis(redis_client, "c-stale", session_events(CUTOFF - DAY, "stale"))

    removed = redis_store.prune(CUTOFF)

    assert removed == len(old) + 4
    assert [e.get("text") for e in redis_store.events("c-mixed") if e["event"] == "user"] == ["new"]
    assert json.loads(redis_client.get("debtbot:tracker:c-mixed") or b"{}")["name"] == "c-mixed"
    assert 0 < redis_client.ttl("debtbot:tracker:c-mixed") <= 3600
    assert redis_client.exists("debtbot:tracker:c-stale") == 0


def test_sql_prune_deletes_the_rows_of_old_sessions_only(sql_store: SqlTrackerStore) -> None:
    old, new = session_events(CUTOFF - 2 * DAY, "old"), session_events(CUTOFF + 1, "new")
    save_sql(sql_store, "c-mixed", old + new)
    save_sql(sql_store, "c-fresh", session_events(time.time(), "fresh"))

    removed = sql_store.prune(CUTOFF)

    assert removed == len(old)
    assert sql_store.events("c-mixed") == new
    assert len(sql_store.events("c-fresh")) == 4


def test_delete_removes_a_whole_conversation_from_both_stores(
    redis_client: "redis.Redis", redis_store: RedisTrackerStore, sql_store: SqlTrackerStore
) -> None:
    events = session_events(time.time(), "my card is 4111 1111 1111 1111")
    save_redis(redis_client, "c-gone", events)
    save_sql(sql_store, "c-gone", events)

    assert redis_store.delete("c-gone") == 4 and sql_store.delete("c-gone") == 4
    assert redis_store.events("c-gone") == [] and sql_store.events("c-gone") == []
