"""Identity facts withheld from what people read: the one rule for the handoff transcript and the review.

A debtor's answer to an identity question (the form's requested slot), or a message carrying an identity
entity, is shown as IDENTITY_WITHHELD: agents see that a fact was given, never what it was
(actions/handoff.py). Marketing's conversation review (api.insights) applies the same rule with the
REVIEW level: the account reference is withheld too, and so is any message that looks like an identity
fact or contact detail (a date, a ZIP code, a phone number, an email, a reference, "my name is"), and a bot
message is shown scrubbed of links, contact details, references and the debtor's names.
Standard library only, so both environments import it.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

IDENTITY_WITHHELD: Final = "[identity details withheld]"


@dataclass(frozen=True)
class Level:
    """Which form questions and NLU entities make a debtor's message an identity answer."""

    slots: frozenset[str]
    entities: frozenset[str]
    patterns: bool


AGENT: Final = Level(
    frozenset({"dob", "zip_code", "ssn_last4"}), frozenset({"dob", "zip", "ssn_last4"}), False
)
"""What agents may not read: the facts the API verified (they need the account reference)."""
REVIEW: Final = Level(AGENT.slots | {"account_ref"}, AGENT.entities | {"account_ref"}, True)
"""What marketing may not read: every identity fact and contact detail."""

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_LOOKS_LIKE_IDENTITY = re.compile(
    r"\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"  # a date (DOB)
    rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}\b"  # March 14th, 1985
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{2,4}}\b"  # 14th of March 1985
    r"|(?<!\d)\d{5}(?:-\d{4})?(?!\d)"  # a ZIP code
    r"|\+?\d[\d\s().-]{7,}\d"  # a phone number (or any long digit run)
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"  # an email
    r"|\b[a-z]{2,}-\d{3,}\b"  # an account reference (ACME-1001)
    r"|\b(?:my|the)\s+name\s+is\b|\bmy\s+name'?s\b"  # a name given
    r"|\b(?:born|birthday|date\s+of\s+birth|dob|ssn|social\s+security)\b",
    re.IGNORECASE,
)


LINK_WITHHELD: Final = "[link]"
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_CONTACT_OR_REFERENCE = re.compile(
    r"\+?\d[\d\s().-]{7,}\d|[\w.+-]+@[\w-]+\.[\w.-]+|\b[A-Z]{2,}-[A-Z0-9]{3,}\b"
)


def scrub(text: str, known: Iterable[str] = ()) -> str:
    """A bot message as the review may show it: links (signed payment links), phone numbers, emails,
    account references and the `known` values (the debtor's names) replaced; the rest unchanged."""
    scrubbed = _CONTACT_OR_REFERENCE.sub(IDENTITY_WITHHELD, _URL.sub(LINK_WITHHELD, text))
    for value in sorted({value for value in known if len(value) >= 2}, key=len, reverse=True):
        scrubbed = re.sub(re.escape(value), IDENTITY_WITHHELD, scrubbed, flags=re.IGNORECASE)
    return scrubbed


def entity_names(parse_data: Mapping[str, Any] | None) -> set[str]:
    """The entity names NLU found in a user event's parse data."""
    entities: Iterable[Mapping[str, Any]] = (parse_data or {}).get("entities") or []
    return {str(entity.get("entity")) for entity in entities}


def withholds(
    level: Level, text: str, requested_slot: str | None, parse_data: Mapping[str, Any] | None
) -> bool:
    """Whether a debtor's message is an identity answer at this level."""
    if requested_slot in level.slots or entity_names(parse_data) & level.entities:
        return True
    return level.patterns and _LOOKS_LIKE_IDENTITY.search(text) is not None


def shown(level: Level, text: str, requested_slot: str | None, parse_data: Mapping[str, Any] | None) -> str:
    """The debtor's message as people may read it at this level."""
    return IDENTITY_WITHHELD if withholds(level, text, requested_slot, parse_data) else text
