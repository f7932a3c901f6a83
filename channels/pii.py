"""Card numbers and SSNs typed into a channel are cut out before Rasa sees the message.

Rasa keeps every user message in its tracker store (and logs it at debug level), so redaction has to
happen in the channel, before the UserMessage is built. The debtor is told, once per message, to use the
secure payment link instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from shared.redaction import CARD_PLACEHOLDER, SSN_PLACEHOLDER, redact

PII_REMOVED_REPLY: Final = (
    "For your security I've deleted the card or Social Security number you sent. Please never send them "
    "in a message: once you're verified I can send you a secure payment link."
)


@dataclass(frozen=True)
class Scrubbed:
    """The text as Rasa may see it, and whether anything had to be cut out."""

    text: str
    removed: bool


def scrub(text: str) -> Scrubbed:
    """The message without card numbers or SSNs."""
    redacted = redact(text)
    return Scrubbed(redacted, redacted != text)


def nothing_else(text: str) -> bool:
    """Whether a scrubbed message held nothing but what was cut out, so there is nothing left to read
    ("11-30-1978 94110", once cut out as a card number, was read as an opt-out, and the texts stopped)."""
    rest = text.replace(CARD_PLACEHOLDER, " ").replace(SSN_PLACEHOLDER, " ")
    return not any(char.isalnum() for char in rest)
