"""The two ways a debtor reaches the bot: Rasa's REST channel (webchat's text path) and a signed Twilio SMS.

Each `send` returns the texts the debtor received in answer to one message, in order.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from twilio.request_validator import RequestValidator

from api.conversations import service as conversations
from api.messaging.inbox import keyword_of
from tests.integration.running import Stack

TURN_SECONDS = 120.0
POLL_SECONDS = 0.2
PARTS_SECONDS = 15.0
UNSENT = frozenset({"blocked", "failed"})


class Channel(Protocol):
    """A debtor's side of a conversation."""

    conversation_id: str

    def send(self, text: str) -> list[str]:
        """The bot's replies to one message."""
        ...


class TurnTimeout(RuntimeError):
    """The bot did not finish answering one message in time."""


def service_headers(stack: Stack) -> dict[str, str]:
    """The API's service-to-service bearer token."""
    return {"Authorization": f"Bearer {stack.env['API_TOKEN']}"}


@dataclass
class RestChannel:
    """POST /webhooks/rest/webhook; the replies come back in the response."""

    stack: Stack
    conversation_id: str = field(default_factory=lambda: f"conv-{uuid.uuid4().hex}")

    def send(self, text: str) -> list[str]:
        """The texts of the bot's replies (buttons as their titles after the text)."""
        return [_rest_text(message) for message in self.stack.send(self.conversation_id, text)]


def _rest_text(message: dict[str, Any]) -> str:
    titles = [str(button.get("title", "")) for button in message.get("buttons") or []]
    return " ".join([str(message.get("text", "")), *titles]).strip()


@dataclass
class SmsChannel:
    """A phone texting the bot: Twilio's signed form POST; replies arrive at the SMS sink via the worker."""

    stack: Stack
    phone: str
    conversation_id: str = ""
    since: int = 0
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.conversation_id = conversations.conversation_id(self.stack.env["SECRET_KEY"], "sms", self.phone)
        self.since = int(self._sink_thread(0, 0)["revision"])

    def send(self, text: str) -> list[str]:
        """Post the text as Twilio would, wait for Rasa to finish, then for the sink to get every reply.

        A reply the compliance gate blocked never reaches the phone: it shows as `[blocked: reasons]`.
        """
        sid = f"SM{uuid.uuid4().hex}"
        self.since = int(self._sink_thread(0, 0)["revision"])  # replies are created after this
        floor = self.since
        self._post(sid, text)
        deadline = time.monotonic() + TURN_SECONDS
        if keyword_of(text) is None:  # a keyword (STOP in plain words too) is the API's alone: no turn
            self._wait_processed(sid, text, deadline)
        received = self._receive(sid, floor, deadline)
        blocked = [row for row in self._replies_to(sid) if row["status"] in UNSENT]
        return received + [f"[{row['status']}: {', '.join(row['reasons'])}]" for row in blocked]

    def _post(self, sid: str, text: str) -> None:
        env = self.stack.env
        params = {
            "MessageSid": sid,
            "AccountSid": env["TWILIO_ACCOUNT_SID"],
            "From": self.phone,
            "To": env["TWILIO_FROM_NUMBER"],
            "Body": text,
            "NumMedia": "0",
        }
        url = self.stack.twilio_webhook_url  # where Twilio posts, and what it signs
        signature = RequestValidator(env["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
        answer = httpx.post(
            url,
            data=params,
            headers={"X-Twilio-Signature": signature},
            timeout=30,
        )
        answer.raise_for_status()

    def _wait_processed(self, sid: str, text: str, deadline: float) -> None:
        """Rasa saves the tracker after the replies are queued: our message in it means the turn is done.
        A message handed over in parts (channels/segments.py) is in it as parts, ids `sid`, `sid.1`...: the
        turn is done when every word of it is in them (heldout27 916 read its replies after the first part,
        the link and the promise of the later parts lost to the next turn)."""
        url = f"{self.stack.rasa_url}/conversations/{self.conversation_id}/tracker"
        seen_at = 0.0
        while time.monotonic() < deadline:
            events = httpx.get(url, params={"token": self.stack.rasa_token}, timeout=30).json().get("events")
            said = [str(event.get("text") or "") for event in events or [] if of_message(event, sid)]
            seen_at = seen_at or (time.monotonic() if said else 0.0)
            # a text the channel changed before Rasa (a card number masked) never covers every word
            if said and (words(text) <= words(" ".join(said)) or time.monotonic() - seen_at > PARTS_SECONDS):
                return
            time.sleep(POLL_SECONDS)
        raise TurnTimeout(f"Rasa did not process {sid} in time")

    def _outbox(self) -> list[dict[str, Any]]:
        url = f"{self.stack.api_url}/api/v1/messages/outbound"
        answer = httpx.get(
            url,
            params={"conversation_id": self.conversation_id},
            headers=service_headers(self.stack),
            timeout=30,
        )
        answer.raise_for_status()
        return list(answer.json())

    def _sink_thread(self, since: int, wait: float) -> dict[str, Any]:
        params: dict[str, str | int | float] = {"number": self.phone, "since": since, "wait": wait}
        answer = httpx.get(f"{self.stack.sink_url}/api/messages", params=params, timeout=wait + 30)
        answer.raise_for_status()
        return dict(answer.json())

    def _replies_to(self, sid: str) -> list[dict[str, Any]]:
        return [row for row in self._outbox() if row["in_reply_to"] == sid]

    def _expected(self, sid: str) -> int:
        """How many replies to `sid` are on their way to the phone (the worker may still block one)."""
        return sum(row["status"] not in UNSENT for row in self._replies_to(sid))

    def _receive(self, sid: str, floor: int, deadline: float) -> list[str]:
        """The texts the sink receives for this phone in answer to `sid` (the sink's long poll waits).

        Only texts created after `floor`: a delivery report bumps an older text's revision, and the texts
        of an earlier conversation with the same phone must not count as replies.
        """
        received: dict[str, tuple[int, str]] = {}
        while len(received) < (count := self._expected(sid)) and time.monotonic() < deadline:
            thread = self._sink_thread(self.since, min(2.0, max(deadline - time.monotonic(), 0.1)))
            self.since = int(thread["revision"])
            for message in thread["messages"]:
                fresh = int(message["created_revision"]) > floor and message["sid"] not in self.seen
                if message["direction"] == "outbound" and fresh:
                    received[message["sid"]] = (int(message["created_revision"]), message["body"])
        if len(received) < count:
            raise TurnTimeout(f"{len(received)} of {count} replies reached the phone")
        self.seen.update(received)
        return [body for _, body in sorted(received.values())]


def of_message(event: dict[str, Any], sid: str) -> bool:
    """A user event of the message `sid`, whole or one of its parts."""
    message_id = str(event.get("message_id") or "")
    return event.get("event") == "user" and (message_id == sid or message_id.startswith(f"{sid}."))


def words(text: str) -> set[str]:
    """The words of a text, lower case (a part keeps every word of its clauses)."""
    return set(re.findall(r"[a-z]+", text.lower()))
