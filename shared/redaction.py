"""PII redaction: card numbers and SSNs are cut out of a text before it is stored or logged.

A card number is a Luhn-valid run of 13 to 19 digits, optionally grouped by spaces or dashes, its first group
four digits (a run starting with a date or a phone number, "11-30-1978 94110", is read from its next group on:
a birth date and a ZIP code had been cut out as a card number, one time in ten by the Luhn check); an SSN is
written 123-45-6789 (or with spaces), or nine digits right after "SSN" / "social security".
Used by the API on inbound SMS (api.messaging.inbox) and by the channels before Rasa's tracker sees a message
(channels/twilio.py, channels/webchat.py); standard library only, so both environments import it.
"""

import re
from typing import Final

CARD_PLACEHOLDER: Final = "[card number removed]"
SSN_PLACEHOLDER: Final = "[SSN removed]"

_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
"""Digits in groups parted by one space or dash: where card numbers are looked for, group by group."""
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


def card_end(groups: list[str], start: int) -> int | None:
    """Where the longest card number starting at group `start` ends (a group index), or None: 13 to 19
    digits that pass the Luhn check, in one group or in groups whose first has four digits."""
    longest, digits = None, ""
    for end in range(start + 1, len(groups) + 1):
        digits += groups[end - 1]
        if len(digits) > 19:  # at most 19 groups looked at from any start: a long run stays quick
            break
        grouped_as_a_card = end - start == 1 or len(groups[start]) == 4
        if grouped_as_a_card and len(digits) >= 13 and luhn_valid(digits):
            longest = end
    return longest


def _cards(match: re.Match[str]) -> str:
    parts = re.split(r"([ -])", match.group())
    groups, separators = parts[0::2], [*parts[1::2], ""]
    kept, index = [], 0
    while index < len(groups):
        end = card_end(groups, index)
        kept.append(groups[index] if end is None else CARD_PLACEHOLDER)
        index = index + 1 if end is None else end
        kept.append(separators[index - 1])
    return "".join(kept)


def _ssn(match: re.Match[str]) -> str:
    return (match.group("label") or "") + SSN_PLACEHOLDER


def redact(text: str) -> str:
    """The text with every card number and SSN replaced by a placeholder."""
    without_cards = _DIGIT_RUN.sub(_cards, text)
    return _SSN.sub(_ssn, without_cards)


def contains_pii(text: str) -> bool:
    """Whether redaction would change the text."""
    return redact(text) != text
