"""Reading the answer to the crisis check-in ("are you thinking about ending your life?").

Anything but a clear no is a yes: a yes, any warning sign or crisis signal in the answer, strong
distress, or an answer the NLU cannot place ("idk", "sometimes", "why?") leads to full crisis handling.
A clear no is a negation ("no", "nah im ok") or a calm message that simply moves on ("what's my balance").
Asking for a person, or leaving ("ok bye"), is not a no.
Pure functions, used by the dialogue policy.
"""

from __future__ import annotations

import re

from bot.distress.crisis import normalise
from bot.distress.escalation import CRISIS_CHECK, HIGH, rank

YES, NO = "yes", "no"
AFFIRM, DENY = "affirm", "deny"
# Not a no: the NLU cannot place the answer, the debtor asks for a person, or leaves after the question.
NOT_A_NO_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "request_human", "goodbye"})

# "not ok" before "ok": a yes cue wins over a no cue ("no... maybe sometimes" is a yes).
_YES_CUES = re.compile(
    r"\b(yes|yeah|yea|yep|yup|ya|sometimes|maybe|kind of|kinda|sort of|a bit|a little|lately|often|"
    r"i think so|probably|not ok|not okay|not fine|not good|not alright|not doing (well|good|ok)|"
    r"not great|not really ok|not safe|not sure|unsure|no idea|dont know|idk|i dunno|help me|please help)\b"
)
_NO_CUES = re.compile(
    r"\b(no|nope|nah|na|not really|never|not at all|of course not|im not|i am not|i wasnt|"
    r"(im|i am|i m) (ok|okay|fine|good|alright|all right|safe)|all good|dont worry|no worries)\b"
)


_DENIAL = re.compile(
    r"\b(?:im|i am|i m)\s+(?:not|never)\s+(?:suicidal|thinking (?:about|of) (?:suicide|that|it|ending"
    r" (?:it|my life)|killing myself|hurting myself)|(?:going to|gonna) (?:hurt|kill) myself)\b"
    r"|\bnot (?:feeling )?suicidal\b|\bno suicidal thoughts\b"
)
"""The question itself denied: "no, im not suicidal or anything, just really worn out from bills" (the word
"suicidal" gives the answer a crisis signal of its own, which had made it a yes)."""
_STILL_ALARMING = re.compile(
    r"\b(?:die|dying|dead|kill|killing|suicide|end it|end my life|hurt myself|harm myself|overdose|pills|"
    r"gun|not be here|not being here|not wake up|better off|no reason|cant go on|give up|no point)\b"
)
"""Words of a warning sign left beside the denial: with them, the answer is no clear no."""


def denies_it(normalised: str) -> bool:
    """The answer denies the question in so many words, with nothing alarming or unsure beside it."""
    denial = _DENIAL.search(normalised)
    if denial is None or _YES_CUES.search(normalised):
        return False
    return _STILL_ALARMING.search(_DENIAL.sub(" ", normalised)) is None


def check_in_answer(text: str | None, intent: str | None, level: str | None) -> str:
    """YES or NO for the debtor's reply to the check-in (text, its NLU intent and distress level)."""
    normalised = normalise(text or "")
    if denies_it(normalised):
        return NO
    if rank(level) >= rank(CRISIS_CHECK) or _YES_CUES.search(normalised):
        return YES
    if _NO_CUES.search(normalised) or intent == DENY:
        return NO
    if intent == AFFIRM or intent is None or intent in NOT_A_NO_INTENTS or rank(level) >= rank(HIGH):
        return YES
    return NO
