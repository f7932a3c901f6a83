"""Days and hours a debtor says suit them or not ("don't text me on weekends", "only after 6pm"), read as
the inconvenient weekdays (0 Monday to 6 Sunday) and [start, end) local hours the accounts API stores."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from shared.identity_facts import without_identity_facts

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS: dict[str, tuple[int, ...]] = {
    **{name: (index,) for index, name in enumerate(DAYS)},
    **{name[:3]: (index,) for index, name in enumerate(DAYS)},
    "tues": (1,),
    "thur": (3,),
    "thurs": (3,),
    "weekend": (5, 6),
    "wkend": (5, 6),
    "wknd": (5, 6),
    "weekday": (0, 1, 2, 3, 4),
    "workday": (0, 1, 2, 3, 4),
}
_WHOLE_DAY_WORDS: list[str] = [word for word in _DAY_WORDS if len(word) >= 5]
"""What a typo is matched against: whole words only ("month" is close to "mon", and "I moved to Denver last
month" was stored as "no messages except on Mondays")."""
_PERIODS: dict[str, tuple[int, int]] = {
    "morning": (0, 12),
    "lunch": (12, 13),
    "lunchtime": (12, 13),
    "afternoon": (12, 17),
    "evening": (17, 24),
    "night": (20, 24),
}
_SLANG = {
    r"\bb4\b": "before",
    r"\baftr\b": "after",
    r"\bnite?s?\b": "night",
    r"\bmornin'?g?s?\b": "morning",
    r"\beves\b": "evening",
    r"\btonight\b": "night",
    r"\bnoon\b": "12pm",
    r"\bmidnight\b": "12am",
    r"\bo'?clock\b": "",
    r"(\d\s*(?:am|pm|a|p)?)\s*(?:till|til|until|thru|through|-)": r"\1 to ",
    r"\b(?:till|til|until)\b": "before",
    r"\s+a\.?m\.?\b": "am",
    r"\s+p\.?m\.?\b": "pm",
}
_NEGATION = re.compile(
    r"\b(don'?t|do not|dont|never|not|no|nothing|zero|none|stop|bad|busy|hate|can'?t|cannot|won'?t|avoid"
    r"|except|work|family|off[- ]limits|sacred|church|me time|my (?:time|day) off"
    r"|leave (?:it|that|me) alone)\b"
)
_ONLY = re.compile(r"(?<!my )(?<!the )(?<!our )\bonly\b|\bjust\b")
"""Words that make the times named the good ones ("my only day off" names one that is not: heldout29 996)."""
_CLEAR = re.compile(r"\bany ?time\b|\bwhenever\b|\bany day\b|\bany hour\b")
_TIME = r"(\d{1,2})(?::(\d{2}))?(?:\s*(am|pm|a|p)\b)?"
_RANGE = re.compile(rf"(?:between\s+|from\s+)?{_TIME}\s*(?:to|and)\s*{_TIME}")
_BOUND = re.compile(rf"\b(before|after|past|earlier than|later than)\s+{_TIME}")
_DAYS_OF_HOURS = re.compile(
    rf"{_RANGE.pattern}\s*,?\s*(?:on\s+|during\s+the\s+|on\s+the\s+)?(?:week ?days?|work ?days?)\b"
    rf"|\b(?:on\s+)?(?:week ?days?|work ?days?)\s*,?\s*{_RANGE.pattern}"
)
"""'9 to 5 on weekdays': the days say when those hours are bad, not that the whole days are (blocking the
hours every day covers it; blocking Monday to Friday as well left only weekends)."""


@dataclass(frozen=True)
class ContactTimes:
    """What a message says: inconvenient days and hours, or that any time is fine again (`clear`)."""

    weekdays: tuple[int, ...] = ()
    hours: tuple[tuple[int, int], ...] = ()
    clear: bool = False

    def __bool__(self) -> bool:
        return bool(self.weekdays or self.hours or self.clear)


_GREETING = re.compile(
    r"\b(?:(?:have|has) (?:a|an) )?(?:good|gd|great|nice|lovely|pleasant|wonderful)"
    r" (?:morning|afternoon|evening|night|nite)\b"
)
"""A greeting or a farewell ("Good evening. ACME-1001 here ...", "have a good night") names a part of the
day without saying when to contact the debtor: it had been stored as "no messages before 5 PM"."""


def normalise(text: str) -> str:
    """Lower case with greetings dropped, slang, typos' usual shapes and time spellings made regular."""
    text = " " + _GREETING.sub(" ", text.lower().replace("\u2019", "'")) + " "
    for pattern, replacement in _SLANG.items():
        text = re.sub(pattern, replacement, text)
    return re.sub(r"\s+", " ", text)


def _day_of(word: str) -> tuple[int, ...]:
    """The weekdays a word names, forgiving a plural and a typo ("satruday", "wkends")."""
    stem = word.rstrip("s") if word not in _DAY_WORDS else word
    if stem in _DAY_WORDS:
        return _DAY_WORDS[stem]
    if len(stem) < 5:
        return ()
    close = difflib.get_close_matches(stem, _WHOLE_DAY_WORDS, n=1, cutoff=0.75)
    return _DAY_WORDS[close[0]] if close else ()


def named_days(text: str) -> set[int]:
    """Every weekday the text names."""
    return {day for word in re.findall(r"[a-z]+", text) for day in _day_of(word)}


def hour_of(digits: str, minutes: str | None, meridiem: str | None, *, end: bool = False) -> int | None:
    """A whole hour 0-24; a bare 1-6 is afternoon ("after 6"), minutes round outward for an end."""
    hour = int(digits)
    if hour > 24 or (meridiem and not 1 <= hour <= 12):
        return None
    if meridiem:
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif 1 <= hour <= 6:
        hour += 12
    return min(hour + 1, 24) if end and minutes and minutes != "00" else hour


def _wrap(start: int, end: int) -> tuple[int, int] | None:
    """A span, or None when it is empty."""
    return None if start % 24 == end % 24 else (start, end)


def complement(span: tuple[int, int]) -> tuple[int, int] | None:
    """The hours outside [start, end): "evenings only" makes everything before evening inconvenient."""
    start, end = span
    if start == 0:
        return _wrap(end, 24)
    if end == 24:
        return _wrap(0, start)
    return _wrap(end, start)


def _range_span(match: re.Match[str]) -> tuple[int, int] | None:
    """[start, end) of "9 to 5" / "between 9am and 5:30pm"; a bare end before its start is afternoon."""
    start = hour_of(match[1], match[2], match[3])
    end = hour_of(match[4], match[5], match[6], end=True)
    if start is None or end is None:
        return None
    if match[6] is None and end <= start and end + 12 <= 24:
        end += 12
    return _wrap(start, end)


def _bound_span(match: re.Match[str], allowed: bool) -> tuple[int, int] | None:
    """The inconvenient hours a bound names: "not before 10" and "only after 10" are both [0, 10)."""
    later = match[1] in ("after", "past", "later than")
    hour = hour_of(match[2], match[3], match[4], end=later == allowed)
    if hour is None:
        return None
    return _wrap(0, hour) if later == allowed else _wrap(hour, 24)


def _is_allowed(text: str) -> bool:
    """Whether the times named are the good ones ("only after 6", "evenings only", "text me after 6")."""
    return bool(_ONLY.search(text)) or not _NEGATION.search(text)


def clause_hours(clause: str) -> list[tuple[int, int]]:
    """The inconvenient hours one clause states."""
    allowed = _is_allowed(clause)
    spans: list[tuple[int, int] | None] = []
    for match in _RANGE.finditer(clause):
        span = _range_span(match)
        spans.append(complement(span) if span and allowed and "work" not in clause else span)
        clause = clause.replace(match[0], " ")
    spans += [_bound_span(match, allowed) for match in _BOUND.finditer(clause)]
    spans += [_period_span(clause, word, allowed) for word in _PERIODS if re.search(rf"\b{word}s?\b", clause)]
    return [span for span in spans if span]


def _period_span(clause: str, word: str, allowed: bool) -> tuple[int, int] | None:
    """A named part of the day: "mornings are bad" is [0, 12); "evenings only" everything before 17."""
    span = _PERIODS[word]
    return complement(span) if allowed else span


def clause_days(clause: str) -> set[int]:
    """The inconvenient weekdays one clause states: the named ones, or the others when only those suit."""
    days = named_days(clause)
    if not days:
        return set()
    return set(range(7)) - days if _is_allowed(clause) else days


def _days_of_parts(clause: str) -> set[int]:
    """The inconvenient weekdays of a clause whose comma-separated parts each name days, part by part ("only
    on weekdays if possible, weekends are family time": both named, so nothing was stored, heldout23 798)."""
    parts = [part for part in clause.split(",") if named_days(part)]
    return set().union(*map(clause_days, parts)) if len(parts) > 1 else clause_days(clause)


def clauses(text: str) -> list[str]:
    """The message split where a statement ends ("I work 9 to 5, text me after" is one: 'after' is bare)."""
    return [part for part in re.split(r"[.;!?]|\bbut\b|\band also\b", text) if part.strip()]


def parse_contact_times(text: str) -> ContactTimes:
    """The inconvenient days and hours a message states; `clear` when any time suits again."""
    normal = normalise(without_identity_facts(text))  # "dob 03-14-1985" is no "3 to 14"
    days: set[int] = set()
    hours: list[tuple[int, int]] = []
    for clause in clauses(normal):
        days |= set() if _DAYS_OF_HOURS.search(clause) else _days_of_parts(clause)
        hours += [span for span in clause_hours(clause) if span not in hours]
    clear = bool(_CLEAR.search(normal)) and not (days or hours)
    return ContactTimes(weekdays=tuple(sorted(days)), hours=tuple(hours), clear=clear)


def _hour_words(hour: int) -> str:
    """10 -> "10 AM", 18 -> "6 PM", 0 and 24 -> "midnight", 12 -> "noon"."""
    if hour % 24 == 0:
        return "midnight"
    if hour == 12:
        return "noon"
    return f"{hour % 12 or 12} {'PM' if hour >= 12 else 'AM'}"


def span_words(span: list[int] | tuple[int, int]) -> str:
    """[0, 10) -> "none before 10 AM"; [20, 24) -> "none after 8 PM"; else "none from 9 AM to 5 PM"."""
    start, end = span
    if start == 0:
        return f"none before {_hour_words(end)}"
    if end == 24:
        return f"none after {_hour_words(start)}"
    return f"none from {_hour_words(start)} to {_hour_words(end)}"


def days_words(weekdays: list[int]) -> str:
    """[5, 6] -> "no messages on Saturdays or Sundays"."""
    names = [f"{DAYS[day].capitalize()}s" for day in sorted(weekdays)]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"no messages on {listed}"


def describe(weekdays: list[int], hours: list[list[int]]) -> str:
    """What is stored, in words: "no messages on Saturdays or Sundays, and none before 10 AM your time"."""
    if not (weekdays or hours):
        return "any day and hour within our usual contact hours suits you"
    parts = ([days_words(weekdays)] if weekdays else []) + [span_words(span) for span in hours]
    if not weekdays:
        parts[0] = "no messages" + parts[0].removeprefix("none")
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])}, and {parts[-1]}"
    return f"{listed} your time" if hours else listed
