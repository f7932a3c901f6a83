"""SMS keywords (CTIA / Twilio Advanced Opt-Out): handled by the API before any text reaches the NLU.

Besides the keywords, a short message that only asks, in plain words, for the texts to stop ("stop texting
me", "please don't message me anymore"; the words are in shared/stop_texts.py) is an opt-out exactly like
STOP (TCPA: consent may be revoked by any reasonable means). Only whole messages match: "don't text me before
9" is a contact preference and "stop texting me about him" a wrong person, and both go to the NLU, as does
anything longer.
"""

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


def classify(body: str) -> Keyword | None:
    """The keyword a whole message is (any case, surrounding spaces ignored), or None."""
    word = body.strip().rstrip(_TRAILING).strip().upper()
    return _KEYWORDS.get(word)
