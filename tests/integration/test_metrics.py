"""The running stack's Rasa and action server count a debtor's turn on their GET /metrics (issue 15)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


def total(url: str, sample_name: str) -> float:
    """The sum of one sample's values over its labels on a /metrics page."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    families = text_string_to_metric_families(text)
    return sum(s.value for f in families for s in f.samples if s.name == sample_name)


def test_a_turn_shows_on_rasa_and_action_server_metrics(stack: Stack) -> None:
    actions_url = f"http://127.0.0.1:{stack.ports['actions']}"
    turns_before = total(stack.rasa_url, "rasa_turns_total")
    runs_before = total(actions_url, "actions_run_seconds_count")

    sender = str(uuid.uuid4())
    for message in ("hi", "ACME-1001"):
        stack.say(sender, message)

    assert total(stack.rasa_url, "rasa_turns_total") == turns_before + 2
    assert total(actions_url, "actions_run_seconds_count") > runs_before
    assert sender not in httpx.get(f"{stack.rasa_url}/metrics", timeout=10).text
