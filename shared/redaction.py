"""PII redaction: card numbers and SSNs are cut out of a text before it is stored or logged.

A card number is a Luhn-valid run of 13 to 19 digits, optionally grouped by spaces or dashes, not starting
like a date or a phone number (such a run, "11-30-1978 94110", is read from its next group on: a birth date
and a ZIP code had been cut out as a card number, one time in ten by the Luhn check), spanning no whole date
and not after a word and a dash (a reference number); an SSN is
written 123-45-6789 (or with spaces), or nine digits right after "SSN" / "social security".
Used by the API on inbound SMS (api.messaging.inbox) and by the channels before Rasa's tracker sees a message
(channels/twilio.py, channels/webchat.py); standard library only, so both environments import it.
"""

import re
from typing import Final

CARD_PLACEHOLDER: Final = "[card number removed]"
SSN_PLACEHOLDER: Final = "[SSN removed]"

_DIGIT_RUN = re.compile(r"(?<!\d)(?<![A-Za-z]-)\d+(?:[ -]\d+)*(?!\d)")
"""Digits in groups parted by one space or dash, not after a word and a dash ("ACME-1001": a reference
number): where card numbers are looked for, group by group."""
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
    digits that pass the Luhn check, in groups that do not start like a date or a phone number."""
    if date_or_phone([len(group) for group in groups[start : start + 4]]):
        return None
    longest, digits = None, ""
    for end in range(start + 1, len(groups) + 1):
        if end - 1 > start and birth_date(groups[end - 1 : end + 2]):
            break  # "1001 03-14-1985 20001": a reference, a birth date and a ZIP passed the Luhn check
        digits += groups[end - 1]
        if len(digits) > 19:  # at most 19 groups looked at from any start: a long run stays quick
            break
        if len(digits) >= 13 and luhn_valid(digits):
            longest = end
    return longest


def birth_date(groups: list[str]) -> bool:
    """The groups start with a whole date: month and day (either order) and a year of four digits."""
    if len(groups) < 3 or not (len(groups[0]) <= 2 and len(groups[1]) <= 2 and len(groups[2]) == 4):
        return False
    first, second, year = (int(group) for group in groups[:3])
    return 1900 <= year <= 2099 and 1 <= min(first, second) <= 12 and max(first, second) <= 31


def date_or_phone(lengths: list[int]) -> bool:
    """Groups of these lengths start like a date (11-30-1978, 3 14 85) or a phone number (415-555-0133)."""
    date = len(lengths) >= 3 and lengths[0] <= 2 and lengths[1] <= 2 and lengths[2] in (2, 4)
    pairs = len(lengths) == 4 and lengths[3] <= 2  # "41 11 11 11 ...": a card in pairs, no date
    return (date and not pairs) or lengths[:3] == [3, 3, 4] or lengths == [1, 3, 3, 4]


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
