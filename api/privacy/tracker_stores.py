"""Rasa's tracker stores, read and pruned directly: Rasa 3.6 has no delete, and the API cannot import Rasa.

Two layouts, both Rasa 3.6's own (rasa/core/tracker_store.py):
- Redis (`RedisTrackerStore`): one key per conversation, `<key_prefix>:tracker:<sender_id>` for an
  alphanumeric prefix (`tracker:<sender_id>` without one), holding `{"name": ..., "events": [...]}` as JSON.
- SQL (`SQLTrackerStore`): one row per event in the table `events` (sender_id, type_name, timestamp,
  intent_name, action_name, data), `data` being the event's JSON.
And the SQL event broker's copy of every event (`SQLEventBroker`: `events` with id, sender_id, data), which
api.insights ingests.

A conversation is made of sessions, each starting with the `action_session_start` action; retention
removes whole sessions whose last event is older than the cutoff, never half of one.
"""

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import redis
from sqlalchemy import Engine, bindparam, inspect, text

from api.core.config import Settings
from api.core.db import get_engine
from api.insights import ingest as insights_ingest

logger = logging.getLogger(__name__)

RASA_DEFAULT_PREFIX = "tracker:"
SESSION_START = "action_session_start"
Event = dict[str, Any]


def redis_key_prefix(key_prefix: str | None) -> str:
    """The prefix Rasa 3.6 puts before a sender id: `<prefix>:tracker:` if alphanumeric, else `tracker:`."""
    if key_prefix and key_prefix.isalnum():
        return f"{key_prefix}:{RASA_DEFAULT_PREFIX}"
    return RASA_DEFAULT_PREFIX


def is_session_start(event: Event) -> bool:
    """Whether the event opens a conversation session."""
    return event.get("event") == "action" and event.get("name") == SESSION_START


def expired_prefix(events: Sequence[Event], cutoff: float) -> int:
    """How many leading events belong to sessions that ended before `cutoff` (a Unix time).

    Events are in time order. An event without a timestamp counts as new: what cannot be dated stays.
    """
    expired = 0
    for index, event in enumerate(events):
        if index > 0 and is_session_start(event):
            expired = index  # every event before this one is older than the cutoff
        timestamp = event.get("timestamp")
        if timestamp is None or float(timestamp) >= cutoff:
            return expired
    return len(events)


class TrackerStore(Protocol):
    """What the API needs of a tracker store: read, delete and prune conversations."""

    name: str

    def events(self, sender_id: str) -> list[Event]:
        """The conversation's events, oldest first; empty when the store does not have it."""
        ...

    def delete(self, sender_id: str) -> int:
        """Remove the conversation entirely; returns how many events were removed."""
        ...

    def prune(self, cutoff: float) -> int:
        """Remove every session that ended before `cutoff`; returns how many events were removed."""
        ...


@dataclass
class RedisTrackerStore:
    """Rasa's RedisTrackerStore layout."""

    client: "redis.Redis"
    key_prefix: str | None = "debtbot"
    name: str = "redis"

    def key(self, sender_id: str) -> str:
        """The Redis key Rasa keeps this conversation under."""
        return redis_key_prefix(self.key_prefix) + sender_id

    def _load(self, raw: bytes | str | None) -> list[Event]:
        if raw is None:
            return []
        events = json.loads(raw).get("events") or []
        return [event for event in events if isinstance(event, dict)]

    def events(self, sender_id: str) -> list[Event]:
        """The stored events of one conversation."""
        return self._load(self.client.get(self.key(sender_id)))

    def delete(self, sender_id: str) -> int:
        """Delete the conversation's key."""
        count = len(self.events(sender_id))
        self.client.delete(self.key(sender_id))
        return count

    def senders(self) -> Iterable[str]:
        """Every conversation id in the store."""
        prefix = redis_key_prefix(self.key_prefix)
        for key in self.client.scan_iter(match=prefix + "*"):
            name = key.decode() if isinstance(key, bytes) else str(key)
            yield name[len(prefix) :]

    def prune(self, cutoff: float) -> int:
        """Rewrite (or delete) each conversation without its expired sessions, keeping the key's expiry.

        Each key is rewritten in a WATCH transaction: if Rasa writes it meanwhile, that conversation is
        active and is left for the next pass.
        """
        return sum(self._prune_one(self.key(sender), cutoff) for sender in list(self.senders()))

    def _prune_one(self, key: str, cutoff: float) -> int:
        with self.client.pipeline() as pipe:
            try:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                raw = pipe.get(key)
                stored = json.loads(raw) if raw is not None else None
                events = self._load(raw)
                drop = expired_prefix(events, cutoff)
                if stored is None or drop == 0:
                    return 0
                ttl = pipe.pttl(key)
                pipe.multi()
                if drop == len(events):
                    pipe.delete(key)
                else:
                    stored["events"] = events[drop:]
                    pipe.set(key, json.dumps(stored), px=ttl if isinstance(ttl, int) and ttl > 0 else None)
                pipe.execute()
            except redis.WatchError:
                logger.info("tracker written during pruning, left for the next pass")
                return 0
        return drop


@dataclass
class SqlTrackerStore:
    """Rasa's SQLTrackerStore layout: the `events` table."""

    engine: Engine
    name: str = "sql"

    def _has_table(self) -> bool:
        return inspect(self.engine).has_table("events")

    def events(self, sender_id: str) -> list[Event]:
        """The stored events of one conversation, in insertion order."""
        if not self._has_table():
            return []
        query = text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"sender": sender_id}).scalars().all()
        return [json.loads(row) for row in rows if row]

    def delete(self, sender_id: str) -> int:
        """Delete every event row of the conversation."""
        if not self._has_table():
            return 0
        with self.engine.begin() as connection:
            result = connection.execute(
                text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id}
            )
        return int(getattr(result, "rowcount", 0) or 0)

    def prune(self, cutoff: float) -> int:
        """Delete, per conversation with anything older than the cutoff, its expired sessions' rows."""
        if not self._has_table():
            return 0
        senders = text("SELECT DISTINCT sender_id FROM events WHERE timestamp < :cutoff")
        with self.engine.connect() as connection:
            stale = connection.execute(senders, {"cutoff": cutoff}).scalars().all()
        return sum(self._prune_one(sender, cutoff) for sender in stale)

    def _prune_one(self, sender_id: str, cutoff: float) -> int:
        query = text(
            "SELECT id, type_name, action_name, timestamp FROM events WHERE sender_id = :sender ORDER BY id"
        )
        with self.engine.begin() as connection:
            rows = connection.execute(query, {"sender": sender_id}).all()
            events = [{"event": row[1], "name": row[2], "timestamp": row[3]} for row in rows]
            ids = [row[0] for row in rows[: expired_prefix(events, cutoff)]]
            if ids:
                delete = text("DELETE FROM events WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                )
                connection.execute(delete, {"ids": ids})
        return len(ids)


@dataclass
class EventBrokerStore(SqlTrackerStore):
    """Rasa's SQLEventBroker table (`events`: id, sender_id, data) that api.insights ingests: a copy of every
    tracker event, so erasure, access and retention cover it like a tracker store."""

    name: str = "event_broker"

    def prune(self, cutoff: float) -> int:
        """Delete every row whose event (its JSON timestamp) is older than the cutoff."""
        if not self._has_table():
            return 0
        with self.engine.begin() as connection:
            rows = connection.execute(text("SELECT id, data FROM events ORDER BY id")).tuples().all()
            ids = [row[0] for row in rows if float(json.loads(row[1] or "{}").get("timestamp") or 0) < cutoff]
            if ids:
                delete = text("DELETE FROM events WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                )
                connection.execute(delete, {"ids": ids})
        return len(ids)


@lru_cache(maxsize=8)
def _redis(url: str) -> "redis.Redis":
    """One client (and connection pool) per URL."""
    return redis.Redis.from_url(url, socket_timeout=5)


def from_settings(settings: Settings) -> list[TrackerStore]:
    """The tracker stores this deployment's Rasa writes to (none in the embedded, in-memory setup)."""
    stores: list[TrackerStore] = []
    if settings.TRACKER_STORE_REDIS_URL:
        client = _redis(settings.TRACKER_STORE_REDIS_URL)
        stores.append(RedisTrackerStore(client, settings.TRACKER_STORE_KEY_PREFIX))
    if settings.TRACKER_STORE_SQL_URL:
        stores.append(SqlTrackerStore(get_engine(settings.TRACKER_STORE_SQL_URL)))
    if settings.EVENT_BROKER_URL:
        stores.append(EventBrokerStore(get_engine(insights_ingest.events_url(settings.EVENT_BROKER_URL))))
    return stores
