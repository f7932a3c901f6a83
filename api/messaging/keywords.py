"""SMS keywords (CTIA / Twilio Advanced Opt-Out): handled by the API before any text reaches the NLU."""

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
