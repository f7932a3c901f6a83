"""Questions recognised by their words in both environments: the Rasa server's parse guards
(channels/guards.py) and the action server (actions/identity.py). Standard library only."""

import re
from typing import Final

BALANCE_QUESTION: Final = re.compile(
    r"\b(?:what|how much) (?:do |did |would |will |should )?i (?:still |even )?owe\b"
    r"|\bhow much is (?:it|the (?:balance|total|bill|debt))\b"
    r"|\bwhat(?:'s| is) (?:the|my) (?:balance|total)\b",
    re.IGNORECASE,
)
"""A question about the amount owed, beside another request in the same message ("im so stressed ... i dont
even know what i owe you guys", "how much do i owe and can i split it"): the balance comes first."""

LINK_ASKED: Final = re.compile(
    r"\b(?:send|text|email|give|get|need|want|share|resend|where(?:'s| is)?)\b.{0,40}"
    r"\b(?:link|payment page)\b",
    re.IGNORECASE,
)
"""The payment link asked for in words beside another request ("next friday yeah. can u send the link now so i
have it ready"): a promise is noted and the link sent with it."""
