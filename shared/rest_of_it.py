"""The part of the total not yet promised: "can i pay 300 on the 15th and the rest on jan 20?".

Used by the Rasa server's parse guard (channels/guards.py: "and the rest in january, like jan 20" is a
promise, not out of scope) and by the action that records promises (actions/payments.py: the rest is what
was left after the last one). Standard library only, so both environments import it.
"""

import re
from typing import Final

REST_OF_IT: Final = re.compile(
    r"\b(?:the rest|the remainder|the remaining(?: balance| amount)?|remainder|the balance|everything else"
    r"|what'?s left|whatever'?s left|what is left)\b(?P<when>[^.!?]*)",
    re.IGNORECASE,
)
WHEN_WORDS: Final = re.compile(
    r"\d|\bmay\s+\d|\b(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
    r"|\b(?:tomorrow|next (?:week|month)|payday|pay day|end of the month|first of the month)\b",
    re.IGNORECASE,
)
"""A day named after "the rest": a number, a month, a weekday, or a day in words."""


def rest_when(text: str) -> str | None:
    """The words after "the rest" ('' when nothing follows); None when the message does not speak of it."""
    found = REST_OF_IT.search(text)
    return found.group("when").strip(" ,") if found else None


def rest_with_a_day(text: str) -> bool:
    """The message promises the rest at a time it names ("and the rest on jan 20", "the remainder next
    friday"), not only mentions it ("the rest of it is fine")."""
    when = rest_when(text)
    return bool(when) and WHEN_WORDS.search(when or "") is not None
