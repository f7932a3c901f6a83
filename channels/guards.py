"""A flag read without its words is no flag, and terms named under an unsure reading are those terms: the
parse guard of the Rasa server.

`deceased`, `bankruptcy` and `has_attorney` stop collection on the account when recorded, and forms end on
them ("october 28", answered to "when did you pay?", read as a bankruptcy at 0.65, recorded a bankruptcy).
Such a reading stands only when the message has words of that circumstance (shared/flag_words.py); without
them it leaves the ranking (as does a dispute the message denies: "I'm not disputing it", or one that is
shame about being in debt at all: "I've never owed anyone money before") and the message
is what the NLU is unsure of (`nlu_fallback` at the fallback threshold): a form takes its answer from it,
and elsewhere the two-stage fallback offers the other guesses. A message the NLU is unsure of that names
terms (an amount, a date or a frequency) and whose best guess is an offer, a plan, a settlement or a
promise, at least CLEAR_GUESS and CLEAR_MARGIN ahead of the next, is that request, as a request kept from
before verification is (actions/identity.py `requested`): "next friday like i said" (promise 0.56, next
0.43) after a promise was noted is the promise again, not buttons.

An emoji-only first message read as a goodbye ("👋😊" opens a conversation; it does not close one) is a
greeting: the debtor gets who we are and what comes next, not "Thanks for getting in touch. Take care."

Applied to every parse of the Rasa process (channels/segments.py wraps `MessageProcessor.parse_message`),
so the segmenting step judges clauses with it too."""

from __future__ import annotations

import logging
import re
from typing import Any, Final

from channels.intents import (
    AFFIRM,
    BALANCE,
    DENY,
    DISPUTE,
    FALLBACK,
    GOODBYE,
    GREET,
    HARDSHIP,
    HELP,
    HUMAN,
    IDENTITY,
    OFFER,
    OUT_OF_SCOPE,
    PAY_NOW,
    PLAN,
    PROMISE,
    SETTLE,
    THANKS,
    VALIDATION,
    WHO_IS_THIS,
    WITH_THE_BALANCE,
)
from channels.readings import (
    FALLBACK_CONFIDENCE,
    SURE,
    cents_not_a_date,
    confidence_of,
    dates_joined,
    entity_kinds,
    frequency_in_time,
    names_a_pace,
    read_as,
    read_by_words,
    says_a_dated_promise,
    set_aside,
    with_reading,
)
from shared.flag_words import names_the_flag
from shared.guesses import clear_best, guesses
from shared.identity_facts import IDENTITY_ENTITIES
from shared.questions import BALANCE_QUESTION
from shared.rest_of_it import rest_with_a_day

logger = logging.getLogger(__name__)

"""config.yml's FallbackClassifier threshold: the confidence Rasa gives its own nlu_fallback."""
TERMS_INTENTS: Final = frozenset(
    {"offer_payment", "settlement_offer", "request_payment_plan", "promise_to_pay"}
)
TERMS_ENTITIES: Final = frozenset({"amount", "date", "frequency"})
BARE_DAY: Final = re.compile(r"^\s*(?:on |by )?\d{1,2}[/-]\d{1,2}\s*[.!]?\s*$", re.IGNORECASE)

DENIED_DISPUTE: Final = re.compile(
    r"\b(?:not|never|no|\w+n'?t)\s+(?:(?:really|actually|trying to|going to|gonna)\s+)?"
    r"(?:disput|contest|challeng)",
    re.IGNORECASE,
)
"""'I'm not disputing it, I just want it gone': a dispute the debtor denies is never recorded."""
NEVER_IN_DEBT: Final = re.compile(
    r"\bnever\s+(?:(?:ever|really)\s+)?(?:owed|been in debt|had (?:any )?debt)\b[^.!?]{0,40}?"
    r"\b(?:anyone|anybody|any ?one|before|in my (?:whole )?life|till now|until now)\b"
    r"|\bfirst time (?:i'?ve |i have |i )?(?:ever )?(?:owed|been in debt)\b",
    re.IGNORECASE,
)
"""'I feel like such a failure, I've never owed anyone money before': shame about being in debt at all, not
a dispute of this one (which names it: 'I never owed this', 'I don't owe you anything')."""
THIS_DEBT_DENIED: Final = re.compile(
    r"\b(?:not|isn'?t|aint|ain'?t) (?:mine|my (?:debt|account|bill))\b|\b(?:don'?t|do not|dont) owe\b|"
    r"\b(?:never|didn'?t|did not) (?:open|opened|had|have|sign|signed)\b|\b(?:wrong|fraud\w*|scam\w*|"
    r"identity theft|stolen|mistake|disput\w*|prove|proof|validat\w*|verif\w* (?:the|this) debt)\b",
    re.IGNORECASE,
)

CANT_PAY: Final = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|not able to|won'?t be able to|couldn'?t|no way i can)"
    r" (?:even )?pay\b|\b(?:don'?t|dont|do not) (?:even )?know how (?:i'?m|im|i am) (?:supposed|going|gonna)"
    r" (?:to )?pay\b|\bno idea how (?:i'?m|im|i am|i will|i'?ll|to) (?:\w+ (?:to )?)?pay\b",
    re.IGNORECASE,
)
CANT_PAY_READINGS: Final = frozenset({PAY_NOW, FALLBACK, OUT_OF_SCOPE})
UNTIL_PAID: Final = re.compile(
    r"\b(?:till|til|until|untill|before)\s+(?:my\s+|i get my\s+)?(?:next\s+)?"
    r"(?:pay ?day|i get paid|pay ?check|check (?:comes|clears|hits)|check)\b"
    r"|\b(?:once|when|as soon as)\s+(?:my\s+|i get my\s+)?(?:next\s+)?"
    r"(?:pay ?day|i get paid|pay ?check (?:comes|clears|hits|lands)|check (?:comes|clears|hits|lands))\b",
    re.IGNORECASE,
)
"""'can't pay anything till payday', "i cant pay right this second but i will pay it in full soon, once my
check comes in" (a hardship plan, heldout29 987): not yet, which is a promise to pay then, not hard times."""
DISPUTE_STATED: Final = re.compile(
    r"\bi(?:'?m| am)? (?:\w+ly )?disputing\b"
    r"|\bi (?:\w+ly )?dispute (?:it|this|that|the|these|those|whatever)\b"
    r"|\bi(?:'d| would) like to dispute\b|\bi (?:want|need|wish) to dispute\b",
    re.IGNORECASE,
)
"""'so I'm disputing whatever this is', 'I formally dispute this', 'I want to dispute the fees'."""
LINK_WORDS: Final = re.compile(
    r"\b(?:link|online|website|site|card|app|portal|page|url|button)\b", re.IGNORECASE
)

Parse = dict[str, Any]


def guarded(parse_data: Parse) -> Parse:
    """The parse, with a frequency inside "in a week" dropped, a flag its text does not name or a dispute it
    denies set aside, a dispute stated in so many words taken, "I can't pay right now" read as the hardship it
    is, the balance asked beside a plan or payment kept, terms named under a clear guess taken, and what the
    NLU could not place read by its words (channels/readings.py)."""
    steps = (
        dates_joined,
        cents_not_a_date,
        frequency_in_time,
        cant_pay_now,
        dispute_stated,
        dispute_asked_about,
        flags_checked,
        balance_asked_too,
        person_unsaid,
        person_asked,
        terms_taken,
        paced,
        rest_promised,
        read_by_words,
    )
    for step in steps:
        parse_data = step(parse_data)
    return parse_data


DISPUTE_QUESTION: Final = re.compile(
    r"\b(?:how (?:long|much time|many days)|how (?:do|can|would|could) i|can i (?:still )?|when|by when"
    r"|until when|what(?:'s| is) the (?:deadline|last day)|is there a deadline)\b[^.!?]{0,40}\bdisput\w*",
    re.IGNORECASE,
)
"""'how long do i have to dispute it if the numbers are wrong': a question about disputing, not a dispute."""


def dispute_asked_about(parse_data: Parse) -> Parse:
    """A question about how or until when to dispute, read as a dispute (which pauses collection and queues
    a review), is a request for the validation information, which says how and by when."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    asked = DISPUTE_QUESTION.search(text)
    if found.get("name") != DISPUTE or not asked or DISPUTE_STATED.search(DISPUTE_QUESTION.sub(" ", text)):
        return parse_data
    logger.info("a question about disputing read as a request for the validation information")
    return with_reading(parse_data, VALIDATION, float(found.get("confidence") or 0.0))


DAY_READINGS: Final = frozenset({FALLBACK, OUT_OF_SCOPE, IDENTITY, AFFIRM, PROMISE, OFFER})


def day_answered(parse_data: Parse, day_asked: bool) -> Parse:
    """A date answered to the bot's question of a day to pay ("That leaves $1,020.40. Which day can you pay
    it?", "I can only note a payment date up to Jan 4. Could you manage a date before then?") is the promise
    on that day: "12/17" was read as identity facts ("you're already verified"), "jan 2 then, thats honestly
    the best i can do" got buttons."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    marked = any(e.get("entity") == "date" for e in parse_data.get("entities") or [])
    if not day_asked or not (marked or BARE_DAY.match(text)) or found.get("name") not in DAY_READINGS:
        return parse_data
    logger.info("a day answered to the question of a day to pay read as the promise")
    promise = with_reading(
        parse_data, PROMISE, max(FALLBACK_CONFIDENCE, float(found.get("confidence") or 0.0))
    )
    return promise if marked else with_the_day(promise, text)


AMOUNT_ASKED: Final = "utter_ask_settlement_amount"
"""actions/negotiation.py's question of an amount to settle for."""
OFFERED: Final = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|well|hmm+|um+|so|then|fine)\W+)*(?:how about|what about|maybe|i can do|i could do"
    r"|i can offer|i could offer|would you take|could you take|can you take|i'?ll offer|i offer"
    r"|i (?:can|could) (?:maybe |probably |prob )?(?:scrape together|come up with|put together|swing"
    r"|manage))?\s*"
    r"\$?\s*\d[\d,]*(?:\.\d{2})?\s*(?:dollars|bucks|usd)?\W*$",
    re.IGNORECASE,
)
"""A bare amount, alone or with a few words offering it ("how about 660", "$500?", "i could do 400", "i could
maybe scrape together 950": out of scope at 1.00, heldout30 1027)."""


def amount_answered(parse_data: Parse, amount_asked: bool) -> Parse:
    """An amount answered to the bot's question of an amount to settle for is the settlement offer: "how
    about 660" to "What amount would you like to offer to settle the account?" was out of scope at 0.64
    ("Sorry, I can't help with that")."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    if not amount_asked or found.get("name") not in DAY_READINGS - {OFFER} or not OFFERED.match(text):
        return parse_data
    why = "an amount answered to the question of an amount read as the settlement offer"
    return read_as(parse_data, SETTLE, why)


def with_the_day(parse_data: Parse, text: str) -> Parse:
    """A bare day ("12/18", read as a date of birth) marked as the date, so the promise form takes it."""
    day = {"entity": "date", "value": text.strip(), "start": 0, "end": len(text), "extractor": "guard"}
    return {**parse_data, "entities": [*(parse_data.get("entities") or []), day]}


def rest_promised(parse_data: Parse) -> Parse:
    """ "and the rest in january, like jan 20" (out of scope at 1.00) or "the rest on jan 20" (unplaced)
    promises what is left of the total on a day (actions/payments.py knows how much), unless it says how
    often (a plan)."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    named = entity_kinds(parse_data)
    if found.get("name") not in (FALLBACK, OUT_OF_SCOPE) or "frequency" in named or not rest_with_a_day(text):
        return parse_data
    logger.info("the rest promised on a day read as a promise")
    return with_reading(parse_data, PROMISE, FALLBACK_CONFIDENCE)


def cant_pay_now(parse_data: Parse) -> Parse:
    """A message read as asking to pay, or not placed at all, that says the debtor cannot ("i cant pay right
    now": make_payment at 0.99, so the link came; "perdí mi trabajo ... I really can't pay todo de una vez":
    unplaced) is hard times, unless it is about the means of paying ("I can't pay through the link"); until
    payday it is a promise ("i just cant pay anything till payday": its day is asked)."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    if (
        found.get("name") in {*CANT_PAY_READINGS, HARDSHIP}
        and CANT_PAY.search(text)
        and UNTIL_PAID.search(text)
        and "frequency" not in entity_kinds(parse_data)
    ):
        logger.info("can't pay until payday read as a promise")  # its day is asked
        return with_reading(parse_data, PROMISE, FALLBACK_CONFIDENCE)
    if found.get("name") not in CANT_PAY_READINGS or not CANT_PAY.search(text) or LINK_WORDS.search(text):
        return parse_data
    named = entity_kinds(parse_data) & TERMS_ENTITIES
    if found.get("name") != PAY_NOW and named:
        return parse_data  # "I can't pay today but I can pay the full thing in 10 days": a promise
    logger.info("a payment request that says it cannot pay read as hardship")
    hardship = {"name": HARDSHIP, "confidence": found.get("confidence")}
    ranking = [e for e in parse_data.get("intent_ranking") or [] if e.get("name") not in (PAY_NOW, HARDSHIP)]
    return {**parse_data, "intent": hardship, "intent_ranking": [hardship, *ranking]}


COSTLESS_GUESSES: Final = frozenset({HUMAN, WHO_IS_THIS})
"""Clear guesses taken as read: handing over is never the costly mistake, and who we are discloses nothing."""


CAPABILITIES_ASKED: Final = re.compile(
    r"\bwhat (?:can|could|do|does) (?:you|u|this|the|this \w+|the \w+) (?:actually |even |really )?"
    r"(?:do|help)\b",
    re.IGNORECASE,
)
"""A question about what the chat can do: answered (what it does; a person is there too), not a person."""


PERSON_WORDS: Final = re.compile(
    r"\b(?:person|human|agent|some ?one|some ?body|any ?one|any ?body|representative|rep|manager|supervisor"
    r"|operator|real|live|actual|people|staff|team|employee|call|callback|phone|bot|chatbot|robot|machine"
    r"|automated|transfer|escalate|connect me|put me through|customer (?:service|support))\b"
    r"|\b(?:talk|speak|chat)(?:ing)? (?:to|with)\b",
    re.IGNORECASE,
)
"""Words of a person or of talking to one."""


def person_unsaid(parse_data: Parse) -> Parse:
    """A person read without a word of a person: from a message giving identity facts ("hi who is this, im
    at work and cant really chat. dob 11/30/78 zip 94110": a handoff at 0.88, never verified, heldout24 828)
    it is the facts, and what else it asks is kept beside them (channels/segments.py); from anything else it
    is set aside, so the words are read ("What can I even do at this point?" after hard times, 0.62: a handoff
    while the birth date was asked, then silence, heldout24 813; that same message's "hi who is this, im at
    work and cant really chat." on its own, 0.9)."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    confidence = float(found.get("confidence") or 0.0)
    facts = entity_kinds(parse_data) & IDENTITY_ENTITIES
    if found.get("name") != HUMAN or PERSON_WORDS.search(text):
        return parse_data
    if facts:
        logger.info("a person read from identity facts without words of a person read as the facts")
        return with_reading(parse_data, IDENTITY, max(FALLBACK_CONFIDENCE, confidence))
    return set_aside(parse_data, "a person read without words of a person set aside")


def person_asked(parse_data: Parse) -> Parse:
    """A message the NLU could not place whose clear best guess is a person ("I'm not doing this with a
    chatbot. Put a real human on, please, I have questions about a letter": 0.57, next 0.29) asks for one;
    one whose clear best guess asks who we are ("what's the name of your company and a number i can call
    back": 0.59, next 0.35; taken as a date of birth, heldout14 510) is that question."""
    guess = clear_best(parse_data) or {}
    name = guess.get("name")
    if (parse_data.get("intent") or {}).get("name") != FALLBACK or name not in COSTLESS_GUESSES:
        return parse_data
    text = str(parse_data.get("text") or "")
    if name == HUMAN and CAPABILITIES_ASKED.search(text):
        name = HELP  # "what can this chat actually do for me" (heldout20 703): handed over, never verified
    elif name == HUMAN and not PERSON_WORDS.search(text):
        return parse_data  # "What can I even do at this point?" (heldout24 813): person_unsaid
    logger.info("a costless request read under a clear guess", extra={"intent": name})
    return with_reading(parse_data, str(name), float(guess.get("confidence") or 0.0))


def terms_taken(parse_data: Parse) -> Parse:
    """An unsure parse naming terms, whose clear best guess is a terms request, read as that request; one
    read as out of scope, or unsure without a clear guess, that names an amount and how often is an offer
    ("maybe 30 a month? sorry if thats way too low": unplaced, so the support offer came instead of an
    answer); an unsure parse whose clear best guess asks for the balance (alone or with another request)
    is that."""
    name = (parse_data.get("intent") or {}).get("name")
    named = entity_kinds(parse_data) & TERMS_ENTITIES
    if name == OUT_OF_SCOPE and names_a_pace(parse_data):
        return offer_named(parse_data)
    if name == FALLBACK and BARE_DAY.match(str(parse_data.get("text") or "")):
        return promised_day(parse_data)
    if name != FALLBACK:
        return parse_data
    best = clear_best(parse_data)
    guess = best.get("name") if best else None
    if best and str(guess).startswith(BALANCE) and not named:  # "k how much n can i just pay it rn"
        logger.info("the balance read under a clear guess", extra={"intent": guess})
        return {**parse_data, "intent": best, "intent_ranking": guesses(parse_data)}
    offered_in_hard_times = guess == HARDSHIP and "amount" in named  # "hours got cut ... 40 a month"
    if not (named and best and (guess in TERMS_INTENTS or offered_in_hard_times)):
        return offer_named(parse_data) if names_a_pace(parse_data) else parse_data
    if guess == PLAN and says_a_dated_promise(parse_data):
        # "my paycheck lands on the 18th and I plan to pay the full amount that day": a plan at 0.54
        return read_as(parse_data, PROMISE, "a payment on a day said in words read as the promise")
    logger.info("terms read under a clear guess", extra={"intent": guess})
    return {**parse_data, "intent": best, "intent_ranking": guesses(parse_data)}


def paced(parse_data: Parse) -> Parse:
    """An unsure promise (or one taken under a clear guess) naming an amount and how often is an offer: "ok y
    puedo pagar 100 al mes? i get paid every month on the 1st" (a promise at 0.65) noted a single $100 on the
    1st (heldout27 927), "could i do 75 a week starting next friday" $75 on Friday (heldout26 869)."""
    name = (parse_data.get("intent") or {}).get("name")
    if name != PROMISE or not names_a_pace(parse_data) or confidence_of(parse_data) >= SURE:
        return parse_data
    return read_as(parse_data, OFFER, "an amount and a pace read as an unsure promise taken as an offer")


def offer_named(parse_data: Parse) -> Parse:
    """An amount and a frequency read as out of scope ("20 dolares every two weeks, que les parece": 1.00)
    or not placed are an offer, at the fallback threshold."""
    logger.info("an amount and a frequency read as out of scope or unplaced taken as an offer")
    return with_reading(parse_data, OFFER, FALLBACK_CONFIDENCE)


def promised_day(parse_data: Parse) -> Parse:
    """A day and month alone ("12/18") the NLU could not place: the date the debtor will pay (a date of
    birth has its year), at the fallback threshold."""
    logger.info("a bare day read as the date of a promise")
    return with_reading(parse_data, PROMISE, FALLBACK_CONFIDENCE)


def dispute_stated(parse_data: Parse) -> Parse:
    """A dispute the debtor states in the first person ("I paid the final bill, so I'm disputing whatever
    this is": already_paid 0.47, unplaced) is the dispute, whatever else the message says."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    if found.get("name") == DISPUTE or not DISPUTE_STATED.search(text) or DENIED_DISPUTE.search(text):
        return parse_data
    logger.info("a dispute stated in words read as the dispute")
    return with_reading(parse_data, DISPUTE, max(FALLBACK_CONFIDENCE, float(found.get("confidence") or 0.0)))


def balance_asked_too(parse_data: Parse) -> Parse:
    """A plan or payment request that also asks what is owed ("How much do I owe on ACME-1002 and can I
    split it into payments?": request_payment_plan 0.84) is both, so the total comes first."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    both = WITH_THE_BALANCE.get(str(found.get("name") or ""))
    if both is None or not BALANCE_QUESTION.search(text):
        return parse_data
    logger.info("the balance asked beside a request kept", extra={"intent": both})
    return with_reading(parse_data, both, float(found.get("confidence") or 0.0))


def flags_checked(parse_data: Parse) -> Parse:
    """The parse, with a flag intent its text does not name replaced by the fallback."""
    found = parse_data.get("intent") or {}
    name, text = str(found.get("name") or ""), str(parse_data.get("text") or "")
    if names_the_flag(name, text) and not (name == DISPUTE and not_a_dispute(text)):
        return parse_data
    logger.info("flag read without its words set aside", extra={"intent": name})
    fallback = {"name": FALLBACK, "confidence": FALLBACK_CONFIDENCE}
    ranking = [e for e in parse_data.get("intent_ranking") or [] if e.get("name") not in (name, FALLBACK)]
    return {**parse_data, "intent": fallback, "intent_ranking": [fallback, *ranking]}


def not_a_dispute(text: str) -> bool:
    """A message read as a dispute that denies disputing, or speaks of never having been in debt at all."""
    if DENIED_DISPUTE.search(text):
        return True
    return bool(NEVER_IN_DEBT.search(text)) and not THIS_DEBT_DENIED.search(text)


YES_FIRST: Final = re.compile(
    r"^\W*(?:(?:ok|okay|k|kk|oh|alright|well|um+|hmm+)\W+)?"
    r"(?:yes|yess+|yea|yeah|yep|yup|ya|sure|absolutely|definitely|si|s\u00ed|claro|dale)\b",
    re.IGNORECASE,
)
"""A message that opens with a yes ("yes please, thank you", "ok yes, thank you"): its thanks are politeness
around the answer."""


def yes_with_thanks(parse_data: Parse, offer_pending: bool) -> Parse:
    """A message opening with a yes while terms wait for a yes or no is the yes: wrapped in thanks ("yes
    please, thank you" had got "You're welcome." and no plan), or read as a promise or not placed ("yes
    ok, set up the 150 one": a promise, so the date was asked; "ya ya that one, do it": a goodbye, so the
    plan was never set up). One naming an amount is read as an offer,
    which the negotiation takes as the yes when it repeats the terms on the table; one naming a date stays
    as read."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    named = entity_kinds(parse_data)
    # "yes. send the link" to a settlement (heldout33 1117): the link came, the settlement was never agreed;
    # the yes's answer sends the link
    yes_read_as = found.get("name") in (THANKS, GOODBYE, OUT_OF_SCOPE, PAY_NOW) or (
        found.get("name") in (PROMISE, FALLBACK) and "date" not in named
    )
    if not offer_pending or not yes_read_as or not YES_FIRST.search(text):
        return parse_data
    logger.info("a yes at the head of the message read as the yes")
    confidence = max(FALLBACK_CONFIDENCE, float(found.get("confidence") or 0.0))
    return with_reading(parse_data, OFFER if "amount" in named else AFFIRM, confidence)


NO_FIRST: Final = re.compile(
    r"^\W*(?:no+|nah+|nope|naw|not really|no way)\b(?!\W*(?:problem|prob|worries|worry|doubt)\b)",
    re.IGNORECASE,
)
"""A message that opens with a no ("no hold on, thats too much"), not the "no problem" of a yes."""


def no_first(parse_data: Parse, offer_pending: bool) -> Parse:
    """A message opening with a no that the NLU could not place, while terms wait for a yes or no, is the no
    ("no hold on, thats too much w christmas coming" to "Shall I set that up?": unplaced, so buttons
    came); one naming new terms stays as read, to be judged as the offer it is."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    named = entity_kinds(parse_data) & TERMS_ENTITIES
    if not offer_pending or not read_past_a_no(found.get("name"), text) or named:
        return parse_data
    if not NO_FIRST.search(text):
        return parse_data
    logger.info("a no at the head of an unplaced message read as the no")
    return with_reading(parse_data, DENY, FALLBACK_CONFIDENCE)


YES_LAST: Final = re.compile(
    r"(?:\b(?:i|we)(?:'ll|ll| will)? (?:accept|take) (?:it|that|those|them|the offer|the terms|that offer)"
    r"|\blet'?s do (?:it|that)|\bgo ahead|\bset (?:it|that) up|\b(?:that|it) works|\bdeal"
    r"|\b(?:ok|okay|fine|sure|yes|yeah|yep|alright|all right)(?:\W+(?:then|fine|ok|okay))?)[^\w?]*$",
    re.IGNORECASE,
)
"""A message that ends with taking the terms ("... let me think... okay, fine, I accept that")."""
SAID_NO: Final = re.compile(r"\b(?:no|nah|nope|not|can'?t|cannot|won'?t|don'?t|never)\b", re.IGNORECASE)
TAKEN_IN_WORDS: Final = re.compile(
    r"\b(?:accept|take|do it|go ahead|set (?:it|that) up|deal)\b", re.IGNORECASE
)


def yes_last(parse_data: Parse, offer_pending: bool) -> Parse:
    """An unplaced message that ends with a yes, while terms wait for a yes or no, is the yes: a debtor who
    thinks aloud first ("Hmm, that's more than I hoped. Let me think... okay, fine, I accept that") got
    buttons. Terms named are an offer, not this; a no earlier in the message keeps it unplaced unless the
    yes takes the terms in so many words ("not what I hoped, but I'll take it")."""
    found, text = parse_data.get("intent") or {}, str(parse_data.get("text") or "")
    named = entity_kinds(parse_data) & TERMS_ENTITIES
    last = YES_LAST.search(text)
    if not offer_pending or found.get("name") != FALLBACK or named or last is None:
        return parse_data
    if SAID_NO.search(text[: last.start()]) and not TAKEN_IN_WORDS.search(last.group(0)):
        return parse_data
    logger.info("a yes at the end of an unplaced message read as the yes")
    return with_reading(parse_data, AFFIRM, FALLBACK_CONFIDENCE)


def read_past_a_no(name: Any, text: str) -> bool:
    """A reading that misses a no: not placed, or a dispute that names nothing wrong with the debt ("no hold
    on, thats too much" read as a dispute at 0.62 had recorded one and paused collection)."""
    return name in (FALLBACK, OUT_OF_SCOPE) or (name == DISPUTE and not THIS_DEBT_DENIED.search(text))


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


def opening_wave(parse_data: Parse, earlier_messages: int) -> Parse:
    """An emoji-only goodbye as the conversation's first message, read as the greeting it is."""
    name = (parse_data.get("intent") or {}).get("name")
    if name != GOODBYE or earlier_messages or _has_letters(str(parse_data.get("text") or "")):
        return parse_data
    greeting = {"name": GREET, "confidence": float((parse_data.get("intent") or {}).get("confidence") or 0.0)}
    ranking = [e for e in parse_data.get("intent_ranking") or [] if e.get("name") not in (GREET, GOODBYE)]
    return {**parse_data, "intent": greeting, "intent_ranking": [greeting, *ranking]}
