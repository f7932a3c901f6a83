"""channels.tracker_store: the Redis tracker store saves with one read, with Rasa's results (issue 15)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels import tracker_store

REDIS_DB = 11
"""Keys of these tests carry a random prefix and are deleted afterwards."""


class Collected(EventBroker):  # type: ignore[misc]
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    connection = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield connection
    connection.close()


def session(start: float, text: str) -> list[Any]:
    """One conversation session: started, a user message, a slot, a bot reply."""
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 1),
        ActionExecuted("action_listen", timestamp=start + 2),
        UserUttered(text, timestamp=start + 3),
        BotUttered(f"re: {text}", timestamp=start + 5),
    ]


async def saved_with(save: Any, client: redis.Redis, turns: list[list[Any]]) -> tuple[list[Any], bytes]:
    """Save a conversation turn after turn with `save`: what the broker got and what Redis holds."""
    broker, prefix = Collected(), f"test{uuid.uuid4().hex}"
    store = RedisTrackerStore(Domain.empty(), host="127.0.0.1", db=REDIS_DB, key_prefix=prefix)
    store.event_broker = broker
    events: list[Any] = []
    try:
        for turn in turns:
            stored = await store.retrieve("conv")
            tracker = stored.copy() if stored is not None else DialogueStateTracker("conv", [])
            events += turn
            for event in turn:
                tracker.update(event)
            await save(store, tracker)
        key = next(iter(client.keys(f"{prefix}*")))
        value = client.get(key)
        assert client.ttl(key) == -1
        return broker.published, value or b""
    finally:
        for key in client.keys(f"{prefix}*"):
            client.delete(key)


@pytest.mark.parametrize(
    "turns",
    [
        [session(0, "hi")],
        [session(0, "hi")[:4], session(0, "hi")[4:]],
        [session(0, "hi"), session(100, "again"), [UserUttered("more", timestamp=200)]],
    ],
    ids=["one save", "two saves", "three sessions"],
)
async def test_the_broker_and_redis_get_what_rasas_save_gives_them(
    client: redis.Redis, turns: list[Any]
) -> None:
    assert await saved_with(tracker_store.save, client, turns) == await saved_with(
        tracker_store.STOCK_SAVE, client, turns
    )


def test_install() -> None:
    tracker_store.install()
    try:
        assert tracker_store.installed()
    finally:
        RedisTrackerStore.save = tracker_store.STOCK_SAVE
