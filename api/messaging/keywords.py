"""SMS keywords (CTIA / Twilio Advanced Opt-Out): handled by the API before any text reaches the NLU.

Besides the keywords, a short message that only asks, in plain words, for the texts to stop ("stop texting
me", "please don't message me anymore") is an opt-out exactly like STOP (TCPA: consent may be revoked by
any reasonable means). Only whole messages match: "don't text me before 9" is a contact preference and
"stop texting me about him" a wrong person, and both go to the NLU, as does anything longer.
"""

import re
from enum import StrEnum


class Keyword(StrEnum):
    """What a keyword message asks for."""

    STOP = "stop"
    START = "start"
    HELP = "help"


_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"), Keyword.STOP
    ),
    **dict.fromkeys(("START", "UNSTOP"), Keyword.START),
    "HELP": Keyword.HELP,
}
# A lone keyword with a full stop or exclamation mark is still that keyword: erring towards honouring
# an opt-out is the safe side.
_TRAILING = ".!"

_TEXTS = r"(?:texts|text messages|messages|msgs|sms)"
_ME = r"(?: me| this number| my number| my phone)"
_STOP_VERB = (
    rf"(?:stop|quit|cease) (?:texting|txting|messaging|msging|contacting|sending{_ME}? {_TEXTS}){_ME}?"
)
_DONT_VERB = rf"(?:dont|do not|never) (?:text|txt|message|msg|sms|contact){_ME}"
_NO_MORE = rf"no more {_TEXTS}|i dont want any more {_TEXTS}|unsubscribe me"
_LIST = r"(?:(?:texting|text|sms|messaging|contact|mailing) )?(?:list|texts|system)"
# "ur" is left to the NLU: "ok pls just take my number off ur list" after a wrong number is the wrong person
# again, whose apology the flag lets through (a repeated opt-out changes nothing and sends nothing).
_TAKE_OFF = rf"(?:take|remove) (?:me|my number|this number) (?:off|from) (?:your|the) {_LIST}"
_IN_WORDS = re.compile(
    rf"^(?:please |pls |plz )?(?:{_STOP_VERB}|{_DONT_VERB}|{_NO_MORE}|{_TAKE_OFF})"
    r"(?: again| anymore| any more| ever again| for good)?(?: now)?(?: please| pls| thanks| thank you)?$"
)
_APOSTROPHES = re.compile("['\u2019`]")
_NOT_WORDS = re.compile(r"[^a-z ]+")


def classify(body: str) -> Keyword | None:
    """The keyword a whole message is (any case, surrounding spaces ignored), or None."""
    word = body.strip().rstrip(_TRAILING).strip().upper()
    return _KEYWORDS.get(word)


def normalize(body: str) -> str:
    """Lower case, apostrophes dropped ("don't" is "dont"), punctuation as spaces, single spaces."""
    text = _APOSTROPHES.sub("", body.lower())
    return " ".join(_NOT_WORDS.sub(" ", text).split())


def asks_to_stop_texts(body: str) -> bool:
    """Whether the whole message only asks, in plain words, for the texts to stop."""
    return _IN_WORDS.match(normalize(body)) is not None
