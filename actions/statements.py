"""What debtors state about their circumstances, read from their own words: the attorney who represents
them (name, phone) and the time zone they moved to ("I moved to Denver", "I'm on Pacific time now").

The NLU has no entities for these (yet), so the actions read them from the text; nothing here logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]*)?\(?([2-9]\d{2})\)?[\s.-]*(\d{3})[\s.-]*(\d{4})(?!\d)")
_ATTORNEY_CUE = re.compile(
    r"\b(?:attorney|lawyer|counsel|law firm|represented by)(?:'s name| name)?(?:\s+(?:now|too|also))?"
    r"(?:\s*(?:is|:|,|-|called|named)\s*|\s+)(?:named\s+|called\s+)?",
    re.IGNORECASE,
)
_ASKED_NAME_START = re.compile(
    r"\s*(?:(?:ok|okay|sure|yes|yeah|yep|of course)[,.!]?\s+)?(?:(?:his|her|their|the) name is\s+|it'?s\s+)?",
    re.IGNORECASE,
)
_NAMED = re.compile(r"\b(?:his|her|their) name is\s+", re.IGNORECASE)
"""A name given after the cue ("My attorney is handling this now. His name is Greg Patel")."""
_NAME_WORD = r"(?:[A-Za-z][A-Za-z.'&-]*|&)"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}")
_NOT_NAMES: Final = frozenset(
    {
        "a", "an", "the", "my", "his", "her", "their", "and", "at", "on", "phone", "number", "call", "is",
        "you", "will", "can", "handles", "handling", "now", "so", "please", "who", "he", "she", "they",
        "it", "this", "that", "for", "with", "from", "about", "contact", "reach", "talk", "speak", "of",
        "i", "im", "i'm", "me", "we", "all", "everything", "any", "to", "by", "cell", "office", "or",
    }
)  # fmt: skip
"""Words that end a name, or show the cue was not followed by one ("my attorney will call you")."""


@dataclass(frozen=True)
class AttorneyContact:
    """Whatever the debtor said of their attorney: either part may be missing."""

    name: str | None
    phone: str | None


def parse_phone(text: str) -> str | None:
    """The first US phone number in the text, in E.164 (+1 and ten digits)."""
    match = _PHONE.search(text)
    return f"+1{match.group(1)}{match.group(2)}{match.group(3)}" if match else None


def parse_attorney_name(text: str, asked: bool = False) -> str | None:
    """The name after "my attorney (is)", "my lawyer,", "represented by" ...; None when none follows.
    Once we have asked for the attorney's details, a message may open with the name, capitalised as names
    are ("Marcus Oyelaran at Oyelaran Law, 202 555 0164"; not "did u get that? her number...")."""
    cues = [*_ATTORNEY_CUE.finditer(text), *_NAMED.finditer(text)]
    named = (_name_at(text, cue.end()) for cue in sorted(cues, key=lambda cue: cue.start()))
    if cues:
        # the first cue followed by a name ("My attorney is handling this matter now. His name is Greg Patel")
        return next(filter(None, named), None)
    opening = _ASKED_NAME_START.match(text)  # always matches (every part is optional)
    return _name_at(text, opening.end() if opening else 0, capitalised=True) if asked else None


def _name_at(text: str, start: int, capitalised: bool = False) -> str | None:
    found = _NAME.match(text, start)
    words: list[str] = []
    for word in found.group(0).split() if found else []:
        if word.lower().strip(".'") in _NOT_NAMES or (capitalised and not word[0].isupper()):
            break
        words.append(word.rstrip("."))
    return " ".join(words) if words else None


def parse_attorney_contact(text: str, asked: bool = False) -> AttorneyContact:
    """The attorney's name and phone as stated in one message (`asked`: after we asked for them)."""
    return AttorneyContact(name=parse_attorney_name(text, asked), phone=parse_phone(text))


_ZONE_NAMES: Final = {
    "eastern": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "central": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mountain": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "pacific": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "alaska": "America/Anchorage",
    "akst": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "hst": "Pacific/Honolulu",
}
"""Zone names said with "time" ("pacific time", "on eastern", "PST")."""

_PLACES: Final = {
    **dict.fromkeys(
        (
            "new york", "nyc", "brooklyn", "boston", "philadelphia", "washington", "dc", "baltimore",
            "atlanta", "miami", "orlando", "tampa", "jacksonville", "charlotte", "raleigh", "richmond",
            "pittsburgh", "cleveland", "columbus", "cincinnati", "detroit", "indianapolis", "newark",
            "florida", "georgia", "ohio", "michigan", "virginia", "north carolina", "south carolina",
            "pennsylvania", "new jersey", "massachusetts", "connecticut", "maryland", "maine",
        ),
        "America/New_York",
    ),
    **dict.fromkeys(
        (
            "chicago", "houston", "dallas", "austin", "san antonio", "fort worth", "memphis", "nashville",
            "new orleans", "kansas city", "st louis", "saint louis", "minneapolis", "milwaukee",
            "oklahoma city", "tulsa", "omaha", "little rock", "birmingham", "texas", "illinois",
            "minnesota", "wisconsin", "missouri", "iowa", "louisiana", "alabama", "mississippi",
            "oklahoma", "arkansas", "tennessee",
        ),
        "America/Chicago",
    ),
    **dict.fromkeys(
        (
            "denver", "colorado springs", "albuquerque", "salt lake city", "boise", "el paso", "colorado",
            "utah", "new mexico", "montana", "wyoming", "idaho",
        ),
        "America/Denver",
    ),
    **dict.fromkeys(("phoenix", "tucson", "mesa", "scottsdale", "arizona"), "America/Phoenix"),
    **dict.fromkeys(
        (
            "los angeles", "la", "san diego", "san francisco", "san jose", "sacramento", "oakland",
            "fresno", "seattle", "portland", "las vegas", "reno", "spokane", "california", "washington state",
            "oregon", "nevada",
        ),
        "America/Los_Angeles",
    ),
    **dict.fromkeys(("anchorage", "juneau", "fairbanks"), "America/Anchorage"),
    **dict.fromkeys(("honolulu",), "Pacific/Honolulu"),
}  # fmt: skip
"""Places people say they moved to, by their (main) IANA zone."""

_ABBREVIATIONS: Final = frozenset({"est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst", "hst"})
_ZONE_SAID = re.compile(
    r"\b(on\s+|time\s?zone\s+(?:is\s+)?)?(" + "|".join(sorted(_ZONE_NAMES, key=len, reverse=True)) + r")\b"
    r"(\s+(?:standard\s+|daylight\s+)?(?:time|timezone|time zone)\b)?",
    re.IGNORECASE,
)
_MOVE_CUE = re.compile(
    r"\b(?:moved|moving|relocated|live|living|i'?m|i am|now)\s+(?:back\s+)?(?:to|in|out to|over to)\s+"
    r"(?:the\s+)?([a-z .]+)",
    re.IGNORECASE,
)


def _zone_by_name(text: str) -> str | None:
    """A zone said as a zone: "Pacific time", "on mountain", "my time zone is central", "PST" (but
    "central Florida" is not one)."""
    for match in _ZONE_SAID.finditer(text):
        on, word, time = match.group(1), match.group(2).lower(), match.group(3)
        if time or word in _ABBREVIATIONS or (on and len(word) > 2):
            return _ZONE_NAMES[word]
    return None


def _zone_by_place(text: str) -> str | None:
    """The zone of the place after "moved to" / "living in" ("I moved to Denver last month")."""
    match = _MOVE_CUE.search(text)
    if match is None:
        return None
    words = match.group(1).lower().replace(".", "").split()
    for size in (3, 2, 1):
        place = " ".join(words[:size])
        if place in _PLACES:
            return _PLACES[place]
    return None


def parse_timezone(text: str) -> str | None:
    """The IANA zone a debtor says they are in now, by zone name or by the place they moved to."""
    return _zone_by_place(text) or _zone_by_name(text)


_CASE_NUMBER: Final = re.compile(r"\b(?:\d{1,2}:)?\d{2}-(?:[a-z]{2,3}-)?\d{3,6}\b", re.IGNORECASE)


def parse_case_number(text: str) -> str | None:
    """A bankruptcy case number as courts write it ("26-10391", "1:26-bk-10391"), if the message has one."""
    found = _CASE_NUMBER.search(text)
    return found.group(0) if found else None
