"""Fixtures for action tests: a real domain, trackers built like Rasa builds them, the API behind respx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.config import get_settings

API_URL = "http://accounts.test"
ACCOUNT_ID = "7f6c2a8e-1b7d-4a57-9b0e-0d1c1e2f3a4b"
ROOT = Path(__file__).resolve().parents[2]
VERIFIED = {"verified": True, "account_id": ACCOUNT_ID, "verification_grant": "signed-grant"}
"""The slots of a conversation whose debtor verified their identity for ACCOUNT_ID."""
ACCOUNT_STATUS = {
    "disputed": False,
    "validation_sent": False,
    "flags": [],
    "collection_allowed": True,
    "active_plan": False,
    "timezone": "America/Chicago",
}
"""GET /accounts/{id}/status of an account the bot may collect on."""


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("API_TOKEN", "test-token")
    monkeypatch.setenv("ACCOUNTS_API_URL", API_URL)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def api():
    with respx.mock(base_url=API_URL, assert_all_called=False) as mock:
        # Flows that queue a follow-up for a person (disputes, flags, lockouts) reach this by default.
        mock.post("/api/v1/handoffs").mock(return_value=httpx.Response(201, json={"id": "handoff-1"}))
        yield mock


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform_identity",
    active_loop: str | None = None,
    new_slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose last events are the slot candidates a form just extracted (`new_slots`)."""
    all_slots = {"verified": False, "identity_locked": False, "lookup_failures": 0.0, **(slots or {})}
    all_slots.update(new_slots or {})
    parse_data = {"intent": {"name": intent}, "entities": entities or []}
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": parse_data}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    return Tracker(
        sender_id="test-conversation",
        slots=all_slots,
        latest_message={"text": text, **parse_data},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
