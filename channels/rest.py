"""Rasa's REST channel, with a size cap and card numbers and SSNs cut out before Rasa sees the message.

Same name and URL as the stock channel (/webhooks/rest/webhook); only the text Rasa stores differs, and
the debtor is told why, exactly as on the webchat and SMS channels (channels/inbound.py): a message over
the size cap is answered (200) with a request for a shorter one, a body over the byte cap gets a 413.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as StockRestInput
from sanic import Blueprint

from channels.inbound import cap_body_size, screen


class RestInput(StockRestInput):
    """POST {"sender", "message"} as with Rasa's own REST channel, capped and redacted."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def screened(message: UserMessage) -> None:
            text = await screen(message.text or "", message.output_channel, message.sender_id)
            if text is not None:
                message.text = text
                await on_new_message(message)

        return cap_body_size(super().blueprint(screened))
