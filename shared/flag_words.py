"""The words a flag needs: a death, a bankruptcy or an attorney is recorded only when the message says one.

A recorded flag stops collection on the account (and a death gets "I'm very sorry for your loss"), so an NLU
reading of `deceased`, `bankruptcy` or `has_attorney` stands only with words of that circumstance in the
message. Without them it is a misreading: "my husband is in the hospital" read as a death (0.84), "october
28" answered to "when did you pay?" read as a bankruptcy (0.65). Used by the Rasa server's parse guard
(channels/guards.py) and by the action that records a flag (actions/circumstances.py).
Standard library only, so both environments import it.
"""

import re
from typing import Final

_RELATIVES: Final = "husband|wife|mom|mother|dad|father|brother|sister|son|daughter|partner"
WORDS: Final[dict[str, re.Pattern[str]]] = {
    "deceased": re.compile(
        r"\b(?:died|dies|dead|death|deceased|passed|passing|funeral|obituary|estate|executor|"
        rf"late (?:{_RELATIVES})|no longer with us|gone now|(?:he|she)'?s gone|"
        rf"lost (?:my|our) (?:{_RELATIVES}))\b",
        re.IGNORECASE,
    ),
    "bankruptcy": re.compile(
        r"\b(?:bankrupt\w*|bk|ch(?:apter|\.)?\s*(?:7|11|13|seven|eleven|thirteen)|trustee|discharg\w*|"
        r"filed|filing|file for|petition|automatic stay|court|case (?:number|no|#))",
        re.IGNORECASE,
    ),
    "has_attorney": re.compile(
        r"\b(?:attorney|attorneys|lawyer|lawyers|counsel|legal|law (?:firm|office|group)|esq|represent\w*|"
        r"solicitor|advocate)\b",
        re.IGNORECASE,
    ),
}


def names_the_flag(intent: str, text: str) -> bool:
    """Whether a reading of `intent` can stand for `text`: any other intent, or a flag its words name."""
    words = WORDS.get(intent)
    return words is None or words.search(text) is not None
