"""Rasa's REST channel, with card numbers and SSNs cut out before Rasa sees the message.

Same name and URL as the stock channel (/webhooks/rest/webhook); only the text Rasa stores differs, and
the debtor is told why, exactly as on the webchat and SMS channels.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as StockRestInput
from sanic import Blueprint

from channels.pii import PII_REMOVED_REPLY, scrub


class RestInput(StockRestInput):
    """POST {"sender", "message"} as with Rasa's own REST channel, redacted."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def redacted(message: UserMessage) -> None:
            scrubbed = scrub(message.text or "")
            if scrubbed.removed:
                message.text = scrubbed.text
                await message.output_channel.send_text_message(message.sender_id, PII_REMOVED_REPLY)
            await on_new_message(message)

        return super().blueprint(redacted)
