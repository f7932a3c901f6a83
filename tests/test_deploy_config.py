"""The one endpoints.yml loads as Rasa loads it, for the embedded defaults and the production settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints

from channels.lock_store import AtomicRedisLockStore
from stack import envfile
from stack.envfile import materialise

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "ACTION_ENDPOINT_URL": "http://actions.internal:5055/webhook",
    "TRACKER_STORE_TYPE": "redis",
    "LOCK_STORE_TYPE": "channels.lock_store.AtomicRedisLockStore",
    "REDIS_HOST": "redis.internal",
    "REDIS_PORT": "6380",
    "REDIS_TRACKER_DB": "2",
    "REDIS_LOCK_DB": "3",
}


def example_values() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return envfile.parse("\n".join(materialise(line) for line in lines))


def load(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> AvailableEndpoints:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))


def test_production_settings_keep_trackers_and_locks_in_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    endpoints = load(monkeypatch, {**example_values(), **PRODUCTION})

    assert endpoints.action.url == PRODUCTION["ACTION_ENDPOINT_URL"]
    assert endpoints.tracker_store.type == "redis"
    assert isinstance(LockStore.create(endpoints.lock_store), AtomicRedisLockStore)
    for store, db in ((endpoints.tracker_store, "2"), (endpoints.lock_store, "3")):
        assert store.url == "redis.internal"
        assert store.kwargs["port"] == "6380"
        assert store.kwargs["db"] == db


def test_embedded_defaults_need_no_service(monkeypatch: pytest.MonkeyPatch) -> None:
    endpoints = load(monkeypatch, example_values())

    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"
    assert isinstance(TrackerStore.create(endpoints.tracker_store), InMemoryTrackerStore)
    assert isinstance(LockStore.create(endpoints.lock_store), InMemoryLockStore)


def test_the_bot_asks_the_api_for_its_responses(monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoints.yml's nlg section: the fallback generator, the API's NLG route, the bearer token."""
    from rasa.core.nlg import NaturalLanguageGenerator

    from channels.nlg import FallbackNaturalLanguageGenerator

    values = {**example_values(), "API_TOKEN": "t" * 32}
    endpoints = load(monkeypatch, values)

    assert endpoints.nlg.url == values["ACCOUNTS_API_URL"] + "/api/v1/nlg"
    assert endpoints.nlg.headers == {"Authorization": "Bearer " + "t" * 32}
    generator = NaturalLanguageGenerator.create(endpoints.nlg, None)
    assert isinstance(generator, FallbackNaturalLanguageGenerator) and generator.timeout == 0.5
