"""The channels' client for the accounts API's messaging routes (inbox, outbox); asynchronous, retried.

Both calls are idempotent (the inbox by MessageSid, the outbox by idempotency key), so a retry after a
timeout cannot store or send anything twice. The outbox is the one outbound path: it queues SMS for the
worker, and checks and records a webchat message for the channel to emit (channels/gate.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from channels.exceptions import MessagingApiError
from shared.vocabulary import Channel
from shared.wire import HANDOFFS_PATH, INBOUND_BATCH_PATH, INBOUND_PATH, OUTBOUND_PATH, InboundResult

logger = logging.getLogger(__name__)

RETRY_DELAYS = (0.1, 0.4)


@dataclass(frozen=True)
class InboundSms:
    """An SMS as Twilio delivered it, in the API's inbound shape."""

    message_sid: str
    sender: str | None
    to: str | None
    body: str
    num_media: int = 0
    media: list[dict[str, str]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        """The JSON body of POST /api/v1/messages/inbound."""
        data = asdict(self)
        data["from"] = data.pop("sender")
        return data


@dataclass(frozen=True)
class OutboundText:
    """One text for the single outbound path: an SMS to queue, or a webchat line to check and record."""

    conversation_id: str
    body: str
    kind: str
    idempotency_key: str
    account_id: str | None = None
    in_reply_to: str | None = None
    buttons: list[dict[str, str]] | None = None
    purpose: str | None = None
    """What the message is for (shared.purposes), for the gate on a paused or stopped account."""
    channel: str = Channel.SMS

    def payload(self) -> dict[str, Any]:
        """The JSON body of POST /api/v1/messages/outbound."""
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class HandoffRequest:
    """A conversation to queue for a person, with why; no transcript (the agent reads the conversation)."""

    conversation_id: str
    channel: str
    reason: str
    summary: str = ""

    def payload(self) -> dict[str, Any]:
        """The JSON body of POST /api/v1/handoffs."""
        return asdict(self)


@dataclass(frozen=True)
class OutboundResult:
    """The outbox's answer: `queued` (SMS), `sent` (webchat: emit it now) or `blocked`, and why."""

    id: str
    status: str
    reasons: list[str]


class MessagingApi:
    """A small async client; the underlying connection pool is created on first use, in the running loop."""

    def __init__(
        self, base_url: str, token: str, timeout: float = 5.0, retry_delays: tuple[float, ...] = RETRY_DELAYS
    ) -> None:
        self.base_url, self._token, self._timeout = base_url.rstrip("/"), token, timeout
        self._retry_delays = retry_delays
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=self._timeout,
            )
        return self._client

    async def store_inbound(self, sms: InboundSms) -> InboundResult:
        """Persist an inbound SMS (once per MessageSid) and learn its conversation, account, keyword."""
        data = await self._post(INBOUND_PATH, sms.payload(), ok=(200,))
        return InboundResult.from_body(data)

    async def store_inbound_batch(self, batch: Sequence[InboundSms]) -> list[InboundResult]:
        """Persist several inbound SMS in one request and one transaction; the answers in order."""
        messages = [sms.payload() for sms in batch]
        data = await self._post(INBOUND_BATCH_PATH, {"messages": messages}, ok=(200,))
        results = [InboundResult.from_body(result) for result in data["results"]]
        if len(results) != len(messages):
            raise MessagingApiError(f"{INBOUND_BATCH_PATH} answered {len(results)} of {len(messages)}")
        return results

    async def send_outbound(self, text: OutboundText) -> OutboundResult:
        """Queue (SMS) or check and record (webchat) a text; what the compliance gate made of it."""
        data = await self._post(OUTBOUND_PATH, text.payload(), ok=(202,))
        reasons = data.get("reasons")
        return OutboundResult(
            id=str(data.get("id")),
            status=str(data.get("status")),
            reasons=[str(reason) for reason in reasons] if isinstance(reasons, list) else [],
        )

    async def create_handoff(self, request: HandoffRequest) -> str:
        """Queue the conversation for a person (or join its open handoff); the handoff's id."""
        data = await self._post(HANDOFFS_PATH, request.payload(), ok=(200, 201))
        return str(data.get("id"))

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _post(self, path: str, payload: dict[str, Any], ok: tuple[int, ...]) -> dict[str, Any]:
        for delay in (*self._retry_delays, None):
            try:
                response = await self._http().post(path, json=payload)
            except httpx.TransportError as error:
                failure = type(error).__name__
            else:
                if response.status_code in ok:
                    return dict(response.json())
                if response.status_code < 500:
                    raise MessagingApiError(f"{path} answered {response.status_code}")
                failure = f"HTTP {response.status_code}"
            if delay is None:
                raise MessagingApiError(f"{path} failed: {failure}")
            logger.warning("accounts API call failed, retrying", extra={"path": path, "error": failure})
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")
