"""What every channel does with a debtor's text before Rasa sees it: refuse what is too long, cut out PII.

One large message must not stall every conversation: Rasa parses on the event loop, and redacting or
classifying megabytes there holds every other debtor's reply back for seconds. So each channel
(REST, webchat, SMS) refuses a message over MAX_MESSAGE_CHARS with MESSAGE_TOO_LONG_REPLY, before
redaction and the NLU, and refuses an HTTP body over MAX_BODY_BYTES before it is even parsed.
Redacting a message of the allowed size takes under a millisecond, so it stays on the event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from sanic import response

from channels.pii import PII_REMOVED_REPLY, nothing_else
from channels.pii import scrub as scrub  # re-exported: channels.rest scrubs through this module
from shared.purposes import NO_COLLECTION_CONTENT

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel  # type: ignore[import-untyped]
    from sanic import Blueprint
    from sanic.request import Request
    from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS: Final = 1_600
"""Longest message handed to the NLU, on every channel: Twilio's own ceiling for one inbound SMS."""
MAX_BODY_BYTES: Final = 64 * 1024
"""Largest HTTP body (or socket.io payload) read further: room for MAX_MESSAGE_CHARS even when every
character is JSON-escaped (12 bytes for an emoji) plus sender and metadata, and small enough to refuse
a multi-megabyte body without decoding it."""
MESSAGE_TOO_LONG_REPLY: Final = (
    "Sorry, that message is too long for me to read. Could you send it again in a shorter message "
    f"(up to {MAX_MESSAGE_CHARS:,} characters)?"
)


async def screen(text: str, output: OutputChannel, recipient_id: str) -> str | None:
    """The text Rasa may see, after telling the sender what was refused or cut out; None: nothing.

    The notices are replies to the debtor's own message with no collection content in them; a message that
    held nothing but a card number or SSN gets the notice only.
    """
    if await refused_as_too_long(text, output, recipient_id):
        return None
    scrubbed = scrub(text)
    if scrubbed.removed:
        await notify_pii_removed(output, recipient_id)
    return None if scrubbed.removed and nothing_else(scrubbed.text) else scrubbed.text


async def refused_as_too_long(text: str, output: OutputChannel, recipient_id: str) -> bool:
    """True (and the sender asked for a shorter message) when `text` is over the size cap."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return False
    # The length and channel only: never the text, which may hold anything the debtor typed.
    logger.info("message over the size cap refused", extra={"chars": len(text), "channel": output.name()})
    await output.send_text_message(recipient_id, MESSAGE_TOO_LONG_REPLY, purpose=NO_COLLECTION_CONTENT)
    return True


async def notify_pii_removed(output: OutputChannel, recipient_id: str) -> None:
    """Tell the sender that card numbers or SSNs were cut out of what they typed (and why)."""
    await output.send_text_message(recipient_id, PII_REMOVED_REPLY, purpose=NO_COLLECTION_CONTENT)


async def refuse_large_body(request: Request) -> HTTPResponse | None:
    """413 with MESSAGE_TOO_LONG_REPLY for a body over MAX_BODY_BYTES, before anything parses it."""
    size = len(request.body or b"")
    if size <= MAX_BODY_BYTES:
        return None
    logger.info("request body over the size cap refused", extra={"bytes": size, "path": request.path})
    return response.json([{"text": MESSAGE_TOO_LONG_REPLY}], status=413)


def cap_body_size(blueprint: Blueprint) -> Blueprint:
    """`blueprint` with every request over MAX_BODY_BYTES refused before its route runs."""
    blueprint.middleware(refuse_large_body, "request")
    return blueprint
