"""Forbidden phrasings, checked against every outbound text (and, by the lead's test, every template).

`lint(text)` returns the categories a text breaks, empty when it is clean. The patterns err towards
blocking: a blocked message is seen by an agent, a sent threat cannot be taken back.

Sources: FDCPA 806/807 and Reg F 1006.14(d) (obscene or abusive language), 1006.18(c) (false threats of
arrest, of legal action not intended, of garnishment or seizure), 1006.18 (false urgency is a false or
misleading representation), 1006.26(b) (no suit or threat of suit on a time-barred debt).
"""

import re
from typing import Final


class Category:
    """What a forbidden phrasing is; stable strings, used in the gate's block reasons."""

    THREAT_OF_ARREST = "threat_of_arrest"
    LEGAL_THREAT = "legal_threat"
    GARNISHMENT = "garnishment"
    FALSE_URGENCY = "false_urgency"
    PROFANITY = "profanity"
    TIME_BARRED_LEGAL_MENTION = "time_barred_legal_mention"


def _words(*phrases: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any phrase as whole words, spaces matching any whitespace."""
    alternatives = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


FORBIDDEN: Final[dict[str, re.Pattern[str]]] = {
    Category.THREAT_OF_ARREST: _words(
        "arrest", "arrested", "jail", "prison", "police", "warrant", "criminal", "prosecute", "prosecuted"
    ),
    Category.LEGAL_THREAT: _words(
        "lawsuit",
        "sue you",
        "we will sue",
        "be sued",
        "take you to court",
        "see you in court",
        "court action",
        "legal action",
        "legal proceedings",
        "judgment against you",
    ),
    Category.GARNISHMENT: _words(
        "garnish", "garnished", "garnishment", "garnishing", "seize", "seizure", "repossess", "levy"
    ),
    Category.FALSE_URGENCY: _words(
        "final notice",
        "final warning",
        "last chance",
        "last warning",
        "act now or",
        "immediately or",
        "or else",
        "urgent action required",
    ),
    Category.PROFANITY: _words(
        "fuck",
        "fucking",
        "shit",
        "bitch",
        "bastard",
        "asshole",
        "damn you",
        "idiot",
        "stupid",
        "deadbeat",
        "loser",
        "scum",
    ),
}

TIME_BARRED: Final = re.compile(
    r"\b(?:sues|sued|suing|court|courts|lawsuits?|legal\s+action|litigation|judgments?)\b", re.IGNORECASE
)
"""On a time-barred debt (1006.26) even a mention of suing, court or legal action is misleading."""
SUE: Final = re.compile(r"\b(?:sue|SUE)\b")
""""sue" itself, case-sensitively: a capitalised "Sue" is a name far more often than a threat."""

TIME_BARRED_DISCLOSURES: Final = (
    "The law limits how long you can be sued on a debt.",
    "Because of the age of your debt, we will not sue you for it.",
)
"""The time-barred disclosure's own sentences (CFPB's model wording) are the one allowed mention."""


def _without_disclosures(text: str) -> str:
    """The text with the approved time-barred disclosure sentences removed."""
    for sentence in TIME_BARRED_DISCLOSURES:
        text = re.sub(r"\s+".join(map(re.escape, sentence.split())), " ", text, flags=re.IGNORECASE)
    return text


def lint(text: str, *, time_barred: bool = False) -> list[str]:
    """The categories of forbidden phrasing in `text`, in a fixed order; empty when it is clean.

    The approved time-barred disclosure sentences are taken out first: they are required wording.
    """
    text = _without_disclosures(text)
    found = [category for category, pattern in FORBIDDEN.items() if pattern.search(text)]
    if time_barred and (TIME_BARRED.search(text) or SUE.search(text)):
        found.append(Category.TIME_BARRED_LEGAL_MENTION)
    return found
