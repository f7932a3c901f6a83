"""Asking in plain words for the texts to stop ("stop texting me", "please don't message me anymore"): one
definition of the words for both sides that honour it (TCPA: consent may be revoked by any reasonable means).

The API (api/messaging/keywords.py) treats a short SMS that is only such a request as STOP, before any text
reaches the NLU; the Rasa server (channels/readings.py) reads a longer message the NLU could not place as the
opt-out when it holds such a request. Standard library only, so both environments import it.
"""

import re
from typing import Final

_TEXTS = r"(?:texts|text messages|messages|msgs|sms)"
_ME = r"(?: me| this number| my number| my phone)"
_STOP_VERB = (
    rf"(?:stop|quit|cease) (?:texting|txting|messaging|msging|contacting|sending{_ME}? {_TEXTS}){_ME}?"
)
_DONT_VERB = rf"(?:dont|do not|never) (?:text|txt|message|msg|sms|contact){_ME}"
_NO_MORE = rf"no more {_TEXTS}|i dont want any more {_TEXTS}|unsubscribe me|opt me out"
_LIST = r"(?:(?:texting|text|sms|messaging|contact|mailing) )?(?:list|texts|system)"


def _take_off(yours: str) -> str:
    return rf"(?:take|remove) (?:me|my number|this number) (?:off|from) (?:{yours}) {_LIST}"


# "ur" is left to the NLU in a whole SMS: "ok pls just take my number off ur list" after a wrong number is the
# wrong person again, whose apology the flag lets through (a repeated opt-out changes nothing, sends nothing).
WHOLE_MESSAGE: Final = re.compile(
    rf"^(?:please |pls |plz )?(?:{_STOP_VERB}|{_DONT_VERB}|{_NO_MORE}|{_take_off('your|the')})"
    r"(?: again| anymore| any more| ever again| for good)?(?: now)?(?: please| pls| thanks| thank you)?$"
)
"""A whole (normalized) message that only asks for the texts to stop."""
WITHIN: Final = re.compile(rf"\b(?:{_STOP_VERB}|{_DONT_VERB}|{_NO_MORE}|{_take_off('your|ur|the')})\b")
"""Such a request inside a longer (normalized) message."""

_APOSTROPHES = re.compile("['\u2019`]")
_NOT_WORDS = re.compile(r"[^a-z ]+")


def normalize(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" is "dont"), punctuation as spaces, single spaces."""
    text = _APOSTROPHES.sub("", text.lower())
    return " ".join(_NOT_WORDS.sub(" ", text).split())


def only_asks_to_stop(text: str) -> bool:
    """Whether the whole message only asks, in plain words, for the texts to stop."""
    return WHOLE_MESSAGE.match(normalize(text)) is not None


def asks_to_stop(text: str) -> bool:
    """Whether the message asks, among other words, for the texts to stop."""
    return WITHIN.search(normalize(text)) is not None
