"""One simulated person's side of a conversation on each channel: send a text, time the bot's whole turn.

A turn ends when the bot has answered: REST when the HTTP response arrives (the replies are in it); a
signed Twilio webhook and a socket.io message when Rasa has processed the message (broker.EventTail), since
their replies travel separately (the SMS outbox, `bot_uttered` events) and their number is not known.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from scripts.loadbench.broker import EventTail
from scripts.loadbench.sio_wire import SocketIOClient
from shared import webchat_token

TWILIO_PATH = "/webhooks/twilio/webhook"
REST_PATH = "/webhooks/rest/webhook"
TOKEN_MINUTES = 30


class Client(Protocol):
    """A person talking to the bot on one channel."""

    async def open(self) -> None:
        """Connect (a socket) or nothing."""

    async def send(self, text: str) -> list[str]:
        """Send one message and return once the bot has finished its turn (its texts when known)."""

    async def close(self) -> None:
        """Disconnect."""


@dataclass(frozen=True)
class TwilioAccount:
    """What signing a webhook as Twilio needs."""

    account_sid: str
    auth_token: str
    public_base_url: str
    to_number: str


def twilio_params(account: TwilioAccount, phone: str, text: str, sid: str) -> dict[str, str]:
    """The form fields Twilio posts for an inbound SMS."""
    return {
        "MessageSid": sid,
        "AccountSid": account.account_sid,
        "From": phone,
        "To": account.to_number,
        "Body": text,
        "NumMedia": "0",
    }


def webhook_url(account: TwilioAccount) -> str:
    """Where Twilio posts an SMS and what it signs: PUBLIC_BASE_URL + path (the webhook's own port)."""
    return account.public_base_url.rstrip("/") + TWILIO_PATH


def signed_form(account: TwilioAccount, params: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The urlencoded body and headers, `X-Twilio-Signature` over PUBLIC_BASE_URL + path as Twilio signs."""
    signature = RequestValidator(account.auth_token).compute_signature(webhook_url(account), params)
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return urlencode(params).encode(), headers


def webchat_token_for(secret: str, session_id: str) -> str:
    """A session token as the API's POST /api/v1/webchat/session issues it (the bench holds the key)."""
    now = datetime.now(timezone.utc)
    return webchat_token.encode(secret, session_id, now, now + timedelta(minutes=TOKEN_MINUTES))


def rest_texts(messages: list[dict[str, Any]]) -> list[str]:
    """The texts of the REST channel's reply messages."""
    return [str(message.get("text") or "") for message in messages]


@dataclass
class RestClient:
    """Rasa's REST channel: the replies come back in the response."""

    http: httpx.AsyncClient
    sender: str = field(default_factory=lambda: f"bench-{uuid.uuid4().hex}")

    async def open(self) -> None:
        """Nothing to connect."""

    async def send(self, text: str) -> list[str]:
        """POST the message; the response is the bot's turn."""
        answer = await self.http.post(REST_PATH, json={"sender": self.sender, "message": text})
        answer.raise_for_status()
        return rest_texts(list(answer.json()))

    async def close(self) -> None:
        """Nothing to disconnect."""


@dataclass
class TwilioClient:
    """A phone texting the bot: a signed webhook, acknowledged at once; the turn ends in the broker."""

    http: httpx.AsyncClient
    tail: EventTail
    account: TwilioAccount
    phone: str
    acks: list[float]
    sender: str = ""
    """Rasa's sender id for this phone (an HMAC the channel derives), known after the first turn."""

    async def open(self) -> None:
        """Nothing to connect."""

    async def send(self, text: str) -> list[str]:
        """Post as Twilio, record the acknowledgement time, wait until Rasa has processed the message."""
        sid = f"SM{uuid.uuid4().hex}"
        body, headers = signed_form(self.account, twilio_params(self.account, self.phone, text, sid))
        started = time.perf_counter()
        answer = await self.http.post(webhook_url(self.account), content=body, headers=headers)
        self.acks.append(time.perf_counter() - started)
        answer.raise_for_status()
        before = len(self.tail.bot_texts.get(self.sender, []))
        await self.tail.processed(sid)
        self.sender = self.tail.sender_of[sid]
        return self.tail.bot_texts.get(self.sender, [])[before:]

    async def close(self) -> None:
        """Nothing to disconnect."""


def emits(text: str) -> int:
    """The `bot_uttered` events one bot line becomes: Rasa's socket.io output emits each paragraph."""
    return max(1, len(text.strip().split("\n\n")))


@dataclass
class SocketClient:
    """The webchat's socket.io channel with a signed session token, as the widget talks to it.

    A turn ends when Rasa has processed the message (the broker) and the socket has received every line
    the bot said in it: Rasa's process writes the emits to the socket when its event loop gets to them,
    which under load is after the broker's last commit of the turn.
    """

    url: str
    secret: str
    tail: EventTail
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    received: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    sent: int = 0
    sio: SocketIOClient = field(default_factory=SocketIOClient)

    async def open(self) -> None:
        """Connect with the token and join the session, as the widget does."""
        confirmed = asyncio.Event()

        async def confirm(_: Any) -> None:
            confirmed.set()

        self.sio.on("bot_uttered", self._bot_uttered)
        self.sio.on("session_confirm", confirm)
        await self.sio.connect(self.url, auth={"token": webchat_token_for(self.secret, self.session_id)})
        await self.sio.emit("session_request", {"session_id": self.session_id})
        await confirmed.wait()

    async def _bot_uttered(self, data: Any) -> None:
        self.received.append(str(data.get("text") or "") if isinstance(data, dict) else "")
        self.arrived.set()

    async def send(self, text: str) -> list[str]:
        """Emit `user_uttered`; return once Rasa has processed it and its replies have arrived."""
        before, self.sent = len(self.received), self.sent + 1
        said_before = len(self.tail.bot_texts.get(self.session_id, []))
        await self.sio.emit(
            "user_uttered", {"session_id": self.session_id, "message": text, "customData": {}}
        )
        await self.tail.turns_done(self.session_id, self.sent)
        said = self.tail.bot_texts.get(self.session_id, [])[said_before:]
        await self.received_at_least(before + sum(emits(line) for line in said))
        return self.received[before:]

    async def received_at_least(self, count: int) -> None:
        """Wait until `count` bot lines have arrived on the socket in all."""
        while len(self.received) < count:
            await self.arrived.wait()
            self.arrived.clear()

    async def close(self) -> None:
        """Disconnect the socket."""
        await self.sio.close()
