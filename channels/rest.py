"""Rasa's REST channel, with a size cap and card numbers and SSNs cut out before Rasa sees the message.

Same name and URL as the stock channel (/webhooks/rest/webhook); only the text Rasa stores differs, and
the debtor is told why, exactly as on the webchat and SMS channels (channels/inbound.py): a message over
the size cap is answered (200) with a request for a shorter one, a body over the byte cap gets a 413.
The text is redacted where the stock channel extracts it, because Rasa logs that very text when handling
a message fails or times out: a card number must not reach that log line either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage  # type: ignore[import-untyped]
from rasa.core.channels.rest import RestInput as StockRestInput  # type: ignore[import-untyped]
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import inbound
from channels.inbound import cap_body_size, notify_pii_removed, refused_as_too_long
from channels.pii import nothing_else
from channels.turns import FailedTurns
from shared.buttons import OfferedButtons

MALFORMED_REPLY = 'expected a JSON object: {"sender": "<id>", "message": "<text>"}'
PII_REMOVED_FLAG = "pii_removed"
"""Metadata of a message whose text had card numbers or SSNs cut out at extraction."""


class RestInput(StockRestInput):  # type: ignore[misc]
    """POST {"sender", "message"} as with Rasa's own REST channel, capped and redacted.

    A turn that fails on our side is answered with the fixed reply (channels/turns.py); REST is for
    development and tests and has no API client, so no handoff is queued for it.
    """

    turns = FailedTurns("rest", None)
    offered = OfferedButtons()

    def _extract_message(self, req: Request) -> str | None:
        """The text as Rasa gets (and may log) it; an over-long one is left for `screen` to refuse."""
        text: str | None = super()._extract_message(req)
        if not text or len(text) > inbound.MAX_MESSAGE_CHARS:
            return text
        scrubbed = inbound.scrub(text)
        req.ctx.pii_removed = scrubbed.removed
        return scrubbed.text

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The stock metadata, plus a flag when the text lost a card number or SSN."""
        metadata: dict[str, Any] | None = super().get_metadata(request)
        if not getattr(request.ctx, "pii_removed", False):
            return metadata
        return {**(metadata or {}), PII_REMOVED_FLAG: True}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def screened(message: UserMessage) -> None:
            # Redacted already where the text was extracted: only the size cap and the notice are left.
            if await refused_as_too_long(message.text or "", message.output_channel, message.sender_id):
                return
            if (message.metadata or {}).get(PII_REMOVED_FLAG):
                await notify_pii_removed(message.output_channel, message.sender_id)
                if nothing_else(message.text or ""):
                    return
            message.text = self.offered.take(message.sender_id, message.text or "") or message.text
            await self.turns.run(on_new_message, message)
            self._remember_buttons(message)

        blueprint = cap_body_size(super().blueprint(screened))
        blueprint.middleware(refuse_malformed, "request")
        return blueprint

    def _remember_buttons(self, message: UserMessage) -> None:
        """The buttons of the reply's last message that had any, so a typed title picks one next time."""
        sent = getattr(message.output_channel, "messages", None) or []
        offers = [m["buttons"] for m in sent if isinstance(m, dict) and m.get("buttons")]
        if offers:
            self.offered.offer(message.sender_id, offers[-1])


def well_formed(body: object) -> bool:
    """A JSON object whose sender (if any) and message are text, as the stock channel assumes."""
    if not isinstance(body, dict):
        return False
    sender = body.get("sender")
    return isinstance(body.get("message"), str) and (sender is None or isinstance(sender, str))


async def refuse_malformed(request: Request) -> HTTPResponse | None:
    """400 for a webhook body the stock channel would fail on with a 500 (a list, a message that is not
    text) or hand Rasa as an empty message (no message at all); the health route has no body."""
    if request.method != "POST":
        return None
    try:
        body = request.json
    except InvalidUsage:
        body = None
    return None if well_formed(body) else response.json({"error": MALFORMED_REPLY}, status=400)
