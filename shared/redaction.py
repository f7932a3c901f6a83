"""PII redaction: card numbers and SSNs are cut out of a text before it is stored or logged.

A card number is a Luhn-valid run of 13 to 19 digits, optionally grouped by spaces or dashes; an SSN is
written 123-45-6789 (or with spaces), or nine digits right after "SSN" / "social security".
Used by the API on inbound SMS (api.messaging.inbox) and by the channels before Rasa's tracker sees a message
(channels/twilio.py, channels/webchat.py); standard library only, so both environments import it.
"""

import re
from typing import Final

CARD_PLACEHOLDER: Final = "[card number removed]"
SSN_PLACEHOLDER: Final = "[SSN removed]"

_CARD_RUN = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_SSN = re.compile(
    r"(?<!\d)\d{3}(?P<sep>[- ])\d{2}(?P=sep)\d{4}(?!\d)"
    r"|(?P<label>(?i:\b(?:ssn|social\s+security(?:\s+number)?)\b\W{0,5}))\d{9}(?!\d)"
)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every payment card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group())
    return CARD_PLACEHOLDER if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group()


def _ssn(match: re.Match[str]) -> str:
    return (match.group("label") or "") + SSN_PLACEHOLDER


def redact(text: str) -> str:
    """The text with every card number and SSN replaced by a placeholder."""
    without_cards = _CARD_RUN.sub(_card, text)
    return _SSN.sub(_ssn, without_cards)


def contains_pii(text: str) -> bool:
    """Whether redaction would change the text."""
    return redact(text) != text
