"""The committed Rasa endpoint profiles load as Rasa loads them, environment variables expanded."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "ACTION_ENDPOINT_URL": "http://actions.internal:5055/webhook",
    "REDIS_HOST": "redis.internal",
    "REDIS_PORT": "6380",
    "REDIS_TRACKER_DB": "2",
    "REDIS_LOCK_DB": "3",
}


def test_production_profile_expands_every_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)

    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "deploy" / "endpoints.production.yml"))

    assert endpoints.action.url == PRODUCTION["ACTION_ENDPOINT_URL"]
    for store, db in ((endpoints.tracker_store, "2"), (endpoints.lock_store, "3")):
        assert store.type == "redis"
        assert store.url == "redis.internal"
        assert store.kwargs["port"] == "6380"
        assert store.kwargs["db"] == db


def test_embedded_profile_needs_no_service() -> None:
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))

    assert endpoints.tracker_store is None
    assert endpoints.lock_store is None
    assert endpoints.action.url == "http://localhost:5055/webhook"
