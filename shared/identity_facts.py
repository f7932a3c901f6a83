"""Identity facts said in words, found by their shape: a date of birth (3/14/1985, 03-14-1985), a reference
(ACME-1001), a ZIP said with the word or with its four more digits (60601-1234), "born March 14, 1985".
Their digits are no amount (actions/negotiation.py) and no contact hours (actions/contact_times.py:
"03-14-1985" had been stored as "no messages from 2 PM to 3 PM", "60601-1234" as "none before 1 PM").
Standard library only, so both environments import it."""

import re
from typing import Final

IDENTITY_ENTITIES: Final = frozenset({"account_ref", "dob", "zip"})
"""The NLU's entities of identity facts: a reference, a date of birth, a ZIP code."""

YOUNGEST_PLAUSIBLE_AGE: Final = 16
"""No debtor was born last month: nothing within the last 16 years is a date of birth ("I filed chapter 7 last
month" names none), for the identity form and the channel's readings alike."""

IDENTITY_FACTS: Final = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b[A-Za-z]{2,6}-\d{3,}\b"
    r"|\bzip(?: ?code)?(?: is)?\W{0,3}\d{5}(?:-\d{4})?\b|\b\d{5}-\d{4}\b"
    r"|\b(?:born|dob|birthday|bday)\b\W{0,3}(?:on )?(?:\w+\.? \d{1,2},? \d{4}|\d{4})",
    re.IGNORECASE,
)


def in_identity_facts(text: str, position: int) -> bool:
    """The character at `position` belongs to an identity fact of `text`."""
    return any(found.start() <= position < found.end() for found in IDENTITY_FACTS.finditer(text))


def without_identity_facts(text: str) -> str:
    """The text with its identity facts blanked out (each by a space)."""
    return IDENTITY_FACTS.sub(" ", text)
