"""Questions and requests recognised by their words in both environments: the Rasa server's parse guards
and readings (channels/) and the action server (actions/). Standard library only."""

import re
from typing import Final

BALANCE_QUESTION: Final = re.compile(
    r"\b(?:what|how much) (?:do |did |would |will |should )?i (?:still |even |actually |really )?owe\b"
    r"|\bhow much is (?:it|the (?:balance|total|bill|debt))\b"
    r"|\b(?:what(?:'s| is)|whats|wats|wat is) (?:the|my) (?:balance|balence|ballance|balanse|total)\b"
    r"|\bwhat (?:it'?s|it is|this is|its) for\b|\bcu[aá]nto (?:debo|le debo|es)\b"
    r"|\b(?:remind me|tell me|what(?:'s| is)|whats) (?:of )?(?:the )?(?:exact|total|full|whole) amount\b"
    r"|\bwhy (?:is|are|s) (?:it|this|that|the \w+|my \w+|this \w+) (?:so |this |that )?(?:high|much|big)\b",
    re.IGNORECASE,
)
"""A question about the amount owed, beside another request in the same message ("im so stressed ... i dont
even know what i owe you guys", "how much do i owe and can i split it", "I just want to know what it's for and
if I can pay it off today", "cuanto debo"): the balance comes first."""

LINK_ASKED: Final = re.compile(
    r"\b(?:send|text|email|give|get|need|want|share|resend|shoot|drop|forward|pass|where(?:'s| is)?"
    r"|m[aá]nd(?:a|e|ame|eme)|env[ií](?:a|e|ame|eme)|p[aá]s(?:a|ame))\b"
    r".{0,40}\b(?:link|payment page|enlace)\b",
    re.IGNORECASE,
)
"""The payment link asked for in words beside another request ("next friday yeah. can u send the link now so i
have it ready", "shoot me the pay link, ill pay it next friday", heldout25 837, "mándame el link de pago
porfa", heldout26 870): a promise is noted and the link sent with it."""

SETTLEMENT_WORDS: Final = re.compile(
    r"\bsett?le?(?:d|ment)?\b|\blump[- ]?sum\b|\bone[- ]time (?:payment|offer)\b"
    r"|\bclose (?:it|this)(?: out)?\b",
    re.IGNORECASE,
)
"""Words asking to settle ("would you take 400 to settle the whole thing?"), whatever the intent read."""
_DAYS: Final = (
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:days?)?|weekends?|weekdays?)\b"
)
CONTACT_DAYS: Final = re.compile(
    rf"\b(?:no|nothing|zero|none|not|don'?t|never|only|except|just)\b.{{0,40}}?{_DAYS}"
    rf"|{_DAYS}.{{0,20}}?\b(?:off[- ]limits|(?:are|is) (?:bad|out|sacred|no good|not good)"
    r"|(?:are|is) for (?:church|family|my family)|family (?:day|time))\b",
    re.IGNORECASE,
)
"""Days named with a limit ("oh and nothing on sundays either", "only tuesdays or thursdays", "also sundays
are off limits pls, thats church and family"): when to contact the debtor."""

HARD_TIMES: Final = re.compile(
    r"\b(?:laid off|lost (?:my|our) (?:job|work|income)|out of work|unemployed|furloughed|between jobs"
    r"|(?:hours|pay|shifts) (?:got |were |was )?cut|on disability|medical bills"
    r"|behind on (?:my |the |our )?(?:rent|bills|mortgage|car payments?)|(?:car|truck) (?:got |was )?repo'?d"
    r"|repossess\w*|evict\w*|foreclos\w*|can'?t (?:make|pay|afford) (?:my |the |our )?rent"
    r"|(?:going|gone) (?:thru|through) a divorce|getting divorced|single (?:mom|dad|parent|mother|father)"
    r"|paying for (?:day ?care|child ?care) alone)\b",
    re.IGNORECASE,
)
"""Hard times said in words: beside a contact preference the NLU read first ("got laid off in october and i
cant take calls at my new job, so only text after 5pm"), or in a clause the NLU could not place ("got laid off
on friday, idk what to do about this")."""

TIME_FROM_NOW: Final = re.compile(
    r"\b(?:in|within)\s+(?:about\s+|like\s+|around\s+|another\s+)?"
    r"(?:a|an|one|two|three|four|a few|a couple(?: of)?|\d+)\s+(?:days?|weeks?|months?)\b",
    re.IGNORECASE,
)
"""A time from now ("in a week", "within a couple of months"): when, not how often; a day the NLU may not mark
as a date ("I can put 300 towards it in a week, when my paycheck comes in")."""

DISPUTED_WORDS: Final = re.compile(
    r"\b(?:fees?|charges?|interest|amount|balance|bill|debt)\b[^.?!]{0,25}?\b(?:is|are|was|s)\s+"
    r"(?:bs|b\.s\.|bogus|bull\w*|wrong|a scam|made up|not right|incorrect|a joke|not legit|not mine)\b"
    r"|\bi(?:'m|m| am| m)? disput(?:e|ing)\b|\b(?:is|are|s) (?:way|totally|completely|all) off\b"
    r"|\b(?:isn'?t|isnt|is not|aint|not) my (?:debt|bill|account|card|loan)\b"
    r"|\bnever had (?:a|an|any) (?:card|account|loan|phone|plan) with\b",
    re.IGNORECASE,
)
"""The debt or a part of it called wrong in words ("that 25 dollar late fee is bs"): the Rasa side reads an
unplaced message saying so as the dispute (channels/readings.py); the actions take a dispute guessed below the
NLU's threshold only with such words (actions/identity.py)."""

PAID_HOW: Final = re.compile(
    r"\b(?:card|debit|credit|check|cheque|bank|transfer|ach|cash|money ?order|zelle|venmo|paypal|cash ?app"
    r"|online|portal|wire|autopay|website|in person|office|mailed|by mail|in the mail|(?:by|over the) phone"
    r"|(?:the|their|your|ur) app)\b",
    re.IGNORECASE,
)
"""A way of paying named ("with my visa debit", "on their website", "over the phone"): the actions keep it as
how a claimed payment was made; the Rasa side reads it, right after a claim was passed on, as more of it."""
PAID_CONFIRMATION: Final = re.compile(
    r"\b(?:confirmation|conf|receipt|transaction|check number|cleared)\b", re.IGNORECASE
)
"""A payment's confirmation named ("confirmation FB88213", "it cleared my bank")."""


CONTACT_WORDS: Final = re.compile(
    r"\b(?:text|txt|texting|texts|message|messages|msg|msgs|call|calls|calling|contact|reach|email|e-mail"
    r"|mail|phone|ring|write|sms)\b",
    re.IGNORECASE,
)
"""Words about reaching the debtor: identity facts beside a day are a preference only with them ("ACME-1001 /
3-14-1985 / 20001. got laid off on friday, idk what to do about this" had stored "no messages except on
Fridays", heldout10 369)."""


NEXT_STEPS_SAID: Final = frozenset(
    {
        "utter_claim_recorded",
        "utter_dispute_recorded",
        "utter_promise_recorded",
        "utter_bankruptcy_case_noted",
        "utter_bankruptcy_still_paused",
        "utter_attorney_contact_noted",
        "utter_attorney_still_paused",
    }
)
"""Answers that say what happens next: an unclear question right after one is about it, and the answer is
said again (actions/fallback.py); the channel reads a question about waiting after one as unclear, not out of
scope (channels/readings.py)."""

WAITING_ASKED: Final = re.compile(
    r"\bhow (?:long|soon|many days)\b|\bwhen (?:will|would|do|does|can|should) (?:i|we|you|u|they|it)\b"
    r"|\b(?:till|until|til|before) (?:i|we) (?:know|hear|find out)\b|\bwhat (?:happens|now|next)\b",
    re.IGNORECASE,
)
"""A question about what happens next or how long it takes ("ok so how long till i know?")."""
SAID_AGAIN_ASKED: Final = re.compile(
    r"\b(?:which|what) (?:day|date)\b[^.!]{0,30}\b(?:you|u|did|was|is|it|that)\b"
    r"|\b(?:what|which) (?:day|date) (?:again|was (?:it|that))\b"
    r"|\bwhen did (?:you|u) (?:put|write|note|say|set)\b|\b(?:say|repeat) (?:that|it) again\b",
    re.IGNORECASE,
)
"""Asking what was just said again ("Sorry, which day you write?", "what date did u put down?")."""
QUESTION_FORM: Final = re.compile(
    r"\?|^\W*(?:(?:so|and|ok|okay|k|alright|well|but|also|um|hmm)\W+)*"
    r"(?:how|when|what|whats|will|would|is|are|do|does|did|can|could|should)\b",
    re.IGNORECASE,
)
"""A question: a question mark, or a message opening as one ("ok so how long till i hear back", "will this
hurt my credit")."""
PROOF_ASKED: Final = re.compile(
    r"\bproof\b|\bprove (?:it|that|this|i owe)\b|\bvalidat(?:e|ion)\b|\bdebt verification\b"
    r"|\bverif(?:y|ication of) (?:the|this) debt\b",
    re.IGNORECASE,
)
"""Asking for proof of the debt ("I want proof before I pay a single cent"): the validation information."""
HEARING_BACK: Final = re.compile(
    r"\b(?:till|until|til|before|when) (?:i|we|will i|do i|would i) (?:know|hear|find out|get an? answer)\b"
    r"|\bhear (?:back|anything|something)\b",
    re.IGNORECASE,
)
"""Waiting to hear back, said in so many words ("how long till i hear back from you guys")."""

RATED_IN_WORDS: Final = re.compile(
    r"\bstars?\b|\N{WHITE MEDIUM STAR}|/\s*5\b|\bout of (?:5|five)\b", re.IGNORECASE
)
"""A score said to be one ("5 stars", "4/5"), not a bare number that may answer something else."""
