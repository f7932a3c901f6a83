"""The agent's side of the integration tests: sign in as the demo agent, find and act on a handoff."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.conftest import Stack

AGENT_EMAIL = "agent@example.com"
AGENT_PASSWORD = "demo-agent-password"
"""api/staff/seed.py's documented demo password."""
HANDOFF_STARTED = "asked a member of our team to take over"


class Agent:
    """The seeded demo agent, signed in through the API with a bearer token."""

    def __init__(self, stack: Stack) -> None:
        self._api = f"{stack.api_url}/api/v1"
        login = httpx.post(
            f"{self._api}/staff/login", json={"email": AGENT_EMAIL, "password": AGENT_PASSWORD}, timeout=30
        )
        login.raise_for_status()
        self._headers = {"Authorization": f"Bearer {login.json()['token']}"}

    def handoff_of(self, conversation_id: str) -> dict[str, Any] | None:
        """The open handoff of this conversation in the agent's queue, in full."""
        queue = httpx.get(f"{self._api}/handoffs", headers=self._headers, timeout=30)
        queue.raise_for_status()
        for item in queue.json():
            detail = self.detail(item["id"])
            if detail["conversation_id"] == conversation_id:
                return detail
        return None

    def detail(self, handoff_id: str) -> dict[str, Any]:
        """One handoff with its transcript."""
        response = httpx.get(f"{self._api}/handoffs/{handoff_id}", headers=self._headers, timeout=30)
        response.raise_for_status()
        return dict(response.json())

    def act(self, handoff_id: str, action: str, **body: Any) -> httpx.Response:
        """POST /handoffs/{id}/{action}; the response, whatever its status."""
        url = f"{self._api}/handoffs/{handoff_id}/{action}"
        return httpx.post(url, json=body or None, headers=self._headers, timeout=30)


def debtor_lines(detail: dict[str, Any]) -> list[str]:
    """What the debtor wrote, as the agent sees it."""
    return [line["text"] for line in detail["transcript"] if line["sender"] == "debtor"]


def tracker_events(stack: Stack, conversation_id: str) -> list[dict[str, Any]]:
    """The conversation's events in Rasa's tracker store."""
    url = f"{stack.rasa_url}/conversations/{conversation_id}/tracker"
    response = httpx.get(url, params={"token": stack.rasa_token}, timeout=30)
    response.raise_for_status()
    return list(response.json()["events"])


def bot_texts_after(events: list[dict[str, Any]], user_text: str) -> list[str]:
    """Bot utterances after the debtor's last message `user_text`."""
    starts = [i for i, e in enumerate(events) if e["event"] == "user" and e.get("text") == user_text]
    assert starts, f"{user_text!r} is not in the tracker"
    return [event.get("text") or "" for event in events[starts[-1] :] if event["event"] == "bot"]


def slot(events: list[dict[str, Any]], name: str) -> Any:
    """The slot's last value in the tracker's events."""
    values = [event["value"] for event in events if event["event"] == "slot" and event.get("name") == name]
    return values[-1] if values else None
