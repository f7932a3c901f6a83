"""The live queue: server-sent events deliver a new handoff to a signed-in agent without a reload."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings
from api.main import create_app
from tests.api.conftest import AUTH
from tests.api.handoff_helpers import HANDOFFS, Staff, act, create_handoff

STREAM = f"{HANDOFFS}/stream"
MAX_EVENTS = 10


@pytest.fixture
def fast_client(settings: Settings) -> Iterator[TestClient]:
    """A service client of an app whose streams poll fast and end after a few seconds, never hanging."""
    quick = settings.model_copy(
        update={"HANDOFF_STREAM_POLL_SECONDS": 0.02, "HANDOFF_STREAM_MAX_SECONDS": 10.0}
    )
    with TestClient(create_app(quick), headers=AUTH) as test_client:
        yield test_client


def _events(response: httpx.Response) -> Iterator[tuple[str, Any]]:
    """(event, data) pairs of a server-sent event stream."""
    name = ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            yield name, json.loads(line.removeprefix("data: "))


def _next_queue(events: Iterator[tuple[str, Any]]) -> list[dict[str, Any]]:
    for _, (name, data) in zip(range(MAX_EVENTS), events, strict=False):
        if name == "queue":
            return list(data)
    raise AssertionError("no queue event")


def test_a_new_handoff_appears_on_the_stream(fast_client: TestClient, staff: dict[str, Staff]) -> None:
    with fast_client.stream("GET", STREAM, headers=staff["agent"].headers) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response)
        assert _next_queue(events) == []

        handoff = create_handoff(fast_client, reason="crisis")

        [item] = _next_queue(events)
        assert (item["id"], item["reason"], item["status"]) == (handoff["id"], "crisis", "queued")
        act(fast_client, staff["agent2"], handoff["id"], "claim")
        assert _next_queue(events) == []


def test_the_stream_needs_a_staff_session_and_role(fast_client: TestClient, staff: dict[str, Staff]) -> None:
    assert fast_client.get(STREAM).status_code == 401
    assert fast_client.get(STREAM, headers=staff["marketing"].headers).status_code == 403
