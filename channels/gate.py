"""The compliance gate (api/compliance/gate.py) for a channel that emits its own messages: webchat.

Before a line goes down the debtor's socket, the channel posts it to the accounts API's one outbound path
(POST /api/v1/messages/outbound, channel "webchat"). The API runs the gate, records the message like an
SMS, and answers `sent` (emit it now) or `blocked` (emit nothing). The call is asynchronous, with a short
timeout and one quick retry (idempotent by key), so a slow API delays only that conversation's reply and
never blocks the Rasa process.

When the API cannot answer (unreachable, timing out, refusing the request), the gate fails open only for
text that was checked before it could ever be said: the domain's response templates (`utter_action`;
tests/test_response_templates.py lints every variation, distress and locale ones included) and the
channels' own fixed replies. Anything else (free text, custom payloads) fails closed. An agent's free
text never relies on this: the API gates it before handing it to Rasa, and refuses it if it cannot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from channels.exceptions import MessagingApiError
from channels.messaging_api import MessagingApi, OutboundText
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

CHANNEL = Channel.WEBCHAT
SENT = "sent"
"""The outbox's answer for a webchat line the gate allowed (api.messaging.outbox.hand_over)."""
DEFAULT_TIMEOUT_SECONDS = 2.0
RETRY_DELAYS = (0.1,)


@dataclass(frozen=True)
class Line:
    """One message a channel is about to emit."""

    conversation_id: str
    text: str
    idempotency_key: str
    purpose: str | None = None
    """What it is for (shared.purposes), for the gate on a stopped or paused account."""
    linted: bool = False
    """A response template or a fixed reply, linted at build time: may go when the gate cannot answer."""
    in_reply_to: str | None = None
    kind: str = "reply"

    def outbound(self) -> OutboundText:
        """The line as the outbox takes it."""
        return OutboundText(
            conversation_id=self.conversation_id,
            body=self.text,
            kind=self.kind,
            idempotency_key=self.idempotency_key,
            in_reply_to=self.in_reply_to,
            purpose=self.purpose,
            channel=CHANNEL,
        )


class Gate(Protocol):
    """Decides whether a line may be emitted."""

    async def allows(self, line: Line) -> bool:
        """True when the line may go down the socket."""
        ...


class ApiGate:
    """The accounts API's gate, asked over HTTP with a short timeout."""

    def __init__(self, api: MessagingApi) -> None:
        self.api = api

    @classmethod
    def connect(cls, api_url: str, api_token: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> ApiGate:
        """A gate on the API at `api_url` (the service token authenticates the channel)."""
        return cls(MessagingApi(api_url, api_token, timeout, RETRY_DELAYS))

    async def allows(self, line: Line) -> bool:
        """Ask the API; when it cannot answer, only linted text goes (see the module docstring)."""
        try:
            result = await self.api.send_outbound(line.outbound())
        except MessagingApiError as error:
            return unanswered(line, error)
        if result.status != SENT:
            extra = {"conversation_id": line.conversation_id, "message_id": result.id}
            logger.warning("webchat line blocked by the gate", extra={**extra, "reasons": result.reasons})
        return result.status == SENT

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.api.aclose()


def unanswered(line: Line, error: MessagingApiError) -> bool:
    """The decision when the gate could not be asked: open for linted text, closed for anything else."""
    extra = {"conversation_id": line.conversation_id, "error": str(error), "sent": line.linted}
    logger.error("compliance gate unavailable for a webchat line", extra=extra)
    return line.linted
