"""A fake of Rasa's HTTP API on localhost, for the API's RasaClient to talk to in tests.

Implements POST /conversations/{id}/tracker/events?token=... as Rasa 3.6 does (token in the query, a JSON
list of events, 200 with the tracker; 401 on a wrong token), keeps each conversation's events, records
every request, and can be told to answer the next N requests with an HTTP status or to drop the
connection. Standard library only, so both the bot and the API environments can import it.

    with FakeRasa(token) as rasa:
        RasaClient(rasa.url, token).release("c1")
        assert rasa.events("c1") == [{"event": "slot", ...}]
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from shared.local_server import LocalHandler, LocalServer

_EVENTS = re.compile(r"^/conversations/(?P<id>[^/]+)/tracker/events$")
_DROP = -1
FAKE_RASA_TOKEN = "fake-rasa-token"


@dataclass
class Call:
    """One request to the tracker events endpoint."""

    conversation_id: str
    params: dict[str, str]
    events: list[dict[str, Any]]
    status: int


class FakeRasa(LocalServer):
    """The fake server: start it, point RASA_URL at `url`, read `calls` / `events()` afterwards."""

    thread_name = "fake-rasa"

    def __init__(self, token: str = FAKE_RASA_TOKEN) -> None:
        super().__init__()
        self.token = token
        self.calls: list[Call] = []
        self._trackers: dict[str, list[dict[str, Any]]] = {}
        self._failures: deque[int] = deque()
        self._lock = threading.Condition()

    # --- control -----------------------------------------------------------------------------------
    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` event requests with `status`."""
        with self._lock:
            self._failures.extend([status] * times)

    def drop_next(self, times: int = 1) -> None:
        """Close the connection without answering the next `times` event requests."""
        with self._lock:
            self._failures.extend([_DROP] * times)

    def reset(self) -> None:
        """Forget every conversation and call (the fake is shared by a whole test session)."""
        with self._lock:
            self.calls.clear()
            self._trackers.clear()
            self._failures.clear()

    def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """The events Rasa accepted for this conversation, in order."""
        with self._lock:
            return list(self._trackers.get(conversation_id, []))

    def delivered(self, conversation_id: str) -> list[str]:
        """Texts of bot events sent down the debtor's channel (`output_channel=latest`, side effects on)."""
        with self._lock:
            calls = [c for c in self.calls if c.conversation_id == conversation_id and c.status == 200]
        return [
            event["text"]
            for call in calls
            if call.params.get("output_channel") == "latest" and call.params.get("execute_side_effects")
            for event in call.events
            if event.get("event") == "bot"
        ]

    def wait_for_delivery(self, conversation_id: str, timeout: float) -> list[str]:
        """Block until something was delivered to this conversation (or `timeout` passes); the texts."""
        with self._lock:
            self._lock.wait_for(lambda: self._delivered_unlocked(conversation_id), timeout)
        return self.delivered(conversation_id)

    def _delivered_unlocked(self, conversation_id: str) -> bool:
        return any(
            c.conversation_id == conversation_id and c.status == 200 and c.params.get("output_channel")
            for c in self.calls
        )

    # --- used by the handler -----------------------------------------------------------------------
    def _answer(self, conversation_id: str, params: dict[str, str], events: list[dict[str, Any]]) -> int:
        with self._lock:
            status = self._failures.popleft() if self._failures else 200
            if params.get("token") != self.token:
                status = 401
            self.calls.append(Call(conversation_id, params, events, status))
            if status == 200:
                self._trackers.setdefault(conversation_id, []).extend(events)
            self._lock.notify_all()
            return status


class _Handler(LocalHandler[FakeRasa]):
    def do_GET(self) -> None:
        found = self.path == "/"
        self.send_json(200, {"version": "3.6.21"}) if found else self.send_json(404, {"status": 404})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        match = _EVENTS.match(url.path)
        raw = self.read_body()
        if match is None:
            self.send_json(404, {"status": "failure", "reason": "NotFound"})
            return
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        events = json.loads(raw or b"[]")
        conversation_id = unquote(match.group("id"))
        status = self.owner._answer(conversation_id, params, events if isinstance(events, list) else [events])
        if status == _DROP:
            self.drop()
            return
        body = {"sender_id": conversation_id, "events": self.owner.events(conversation_id)}
        self.send_json(status, body if status == 200 else {"status": "failure", "code": status})


FakeRasa.handler = _Handler
