"""Messages the NLU did not place, or placed against their words, read by those words: the parse guard's
second half (channels/guards.py holds the first), applied to every parse of the Rasa process by
channels/segments.py.

Each reading is narrow: it applies only to a message the NLU could not place (or, for a payment already
made, one it read as a promise or a wish to pay below SURE), and only with words that say so in plain terms:
- a payment already made ("hey i sent 500 by zelle last friday, did you get it??": a promise, then "I
  couldn't read that as a future date" three times) is `already_paid`;
- a question about the interest, the fees or the charges ("why is there 85 bucks of interest on top of
  it?? where does that come from": out of scope at 0.76) asks where the total comes from: `check_balance`,
  whose answer then explains the parts (actions/balance.py);
- a message that ends by closing the conversation ("i'll think about it, thats all for now") is `goodbye`;
- an "ok" that ends in thanks, when the bot asked nothing ("ugh ok, makes sense i guess. thanks") is the
  thanks, not an answer to a question nobody asked ("Okay. How can I help with your account?");
- with terms on the table, an amount read as a promise without a day is an offer ("ok 332.50 then, deal");
- a yes opening a conversation in which the bot has said nothing is the greeting ("yes hello this is sam");
- a question about when the debt was due asks for the balance (which says it); an unplaced message whose best
  guess is a flag (an attorney, a bankruptcy, a death) that it names in words is that flag.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from functools import reduce
from typing import Any, Final

from channels.intents import (
    AFFIRM,
    ASK_CONSEQUENCES,
    ATTORNEY,
    BALANCE,
    BANKRUPTCY,
    DISPUTE,
    FALLBACK,
    FLAGS,
    GOODBYE,
    GREET,
    HARDSHIP,
    HELP,
    HUMAN,
    IDENTITY,
    OFFER,
    OPT_OUT,
    PAID,
    PAY_NOW,
    PLAN,
    PREFERENCES,
    PROMISE,
    RATE,
    SETTLE,
    THANKS,
    UNPLACED,
    VALIDATION,
    WHO_IS_THIS,
    WITH_THE_BALANCE,
    WRONG_PERSON,
)
from shared.flag_words import names_the_flag
from shared.identity_facts import IDENTITY_ENTITIES, YOUNGEST_PLAUSIBLE_AGE
from shared.questions import (
    BALANCE_QUESTION,
    CONTACT_DAYS,
    CONTACT_WORDS,
    DISPUTED_WORDS,
    HARD_TIMES,
    HEARING_BACK,
    LINK_ASKED,
    PAID_CONFIRMATION,
    PAID_HOW,
    QUESTION_FORM,
    RATED_IN_WORDS,
    SAID_AGAIN_ASKED,
    SETTLEMENT_WORDS,
    TIME_FROM_NOW,
    WAITING_ASKED,
)
from shared.stop_texts import asks_to_stop

logger = logging.getLogger(__name__)

Parse = dict[str, Any]

FALLBACK_CONFIDENCE: Final = 0.6
SURE: Final = 0.8
"""A whole message the NLU is at least this sure of is one request, however long (channels/segments.py)."""
PAYING_LATER: Final = frozenset({PROMISE, PAY_NOW})
PAYING: Final = re.compile(r"\bpa(?:y|id)\w*|\$|\d+\s*(?:a|per|every|each)\b", re.IGNORECASE)
"""Words of paying, or an amount with its pace: "i can pay on fridays only" is terms, not a preference."""
PAYMENT_WORDS: Final = re.compile(
    r"\b(?:pay\w*|paid|send\w*|money|cash|dollars?|bucks|cover\w*|clear\w*|settle\w*|have (?:it|the money)"
    r"|get (?:it|you|the money)|take care of)\b|\$",
    re.IGNORECASE,
)
"""Words of paying: a promise beside identity facts says them (heldout21 709: "oops typo, its the
14th not the 15th. 03/14/1985, zip 20001" was recorded as a promise to pay on Dec 15)."""
PAID_WORDS: Final = re.compile(
    r"\b(?:i|we|my \w+)\s+(?:already\s+|just\s+|even\s+)?"
    r"(?:sent|paid|mailed|wired|transferred|zelled|venmoed)\b"
    r"|\bmade (?:a|the|my) payment\b"
    r"|\bdid (?:you|u|ya|y'?all) (?:guys )?(?:get|receive|recieve|see)"
    r" (?:it|my payment|the payment|the money)\b"
    r"|\b(?:did|has) (?:it|my payment|the payment) (?:go|gone|went) (?:thru|through)\b",
    re.IGNORECASE,
)
"""A payment said to be made already, in plain words ("i sent 500 by zelle", "did you get it")."""
PAYING_WORDS: Final = re.compile(
    r"\b(?:will|gonna|going to|i'?ll|can i|could i|want to|wanna|plan to|next|tomorrow|tmrw)\b", re.IGNORECASE
)
"""Words of a payment still to come: with them a message of paying is no payment made."""
_AN_AMOUNT: Final = r"\$?\d[\d,.]*"
_WHAT_IS_THE: Final = r"what(?: (?:are|is|was|were)|'?s) (?:the |those |these |that |this )?"
_WHERE_FROM: Final = rf"where (?:does|did|do|is) (?:the |that |this )?{_AN_AMOUNT} (?:come|coming) from"
CHARGES: Final = re.compile(
    r"\b(?:interest|fees?|charges?|charged|penalt(?:y|ies)|extra|on top|added on|so (?:much|high)"
    r"|more than (?:what )?i (?:\w+ ){0,2}(?:spent|owed?|borrowed|bought|charged)"
    r"|when i (?:only |just )?(?:ever )?(?:spent|owed|borrowed|bought|charged)"
    r"|when (?:the|my|that) (?:card|bill|loan|balance|amount|debt|account) (?:was|is) (?:only|just)"
    rf"|{_WHAT_IS_THE}{_AN_AMOUNT}(?: and (?:the |that )?{_AN_AMOUNT})? (?:for|from)"
    rf"|{_WHERE_FROM})\b",
    re.IGNORECASE,
)
"""What was added to the debt: "why is it way more than i actually spent on that card? whats all the extra
stuff on top", "why is it 1320 when i only ever spent like 900 on that card", "why is it 1320 when the card
was only like 1200?? what are the 85 and the 35 for exactly" (out of scope, heldout23 773), "how come its
323?? whats the 12.75 for" (buttons, heldout30 1023)."""
AMOUNT_ASKED_ABOUT: Final = re.compile(
    rf"\b{_WHAT_IS_THE}{_AN_AMOUNT} (?:for|from)\b|\b{_WHERE_FROM}\b", re.IGNORECASE
)
"""An amount asked about, not offered: "where does the 85.40 come from and what's the $35 for?" (an offer at
0.56 with its amounts: the promise form asked when, heldout30 997)."""
ASKED: Final = re.compile(
    r"\?|\b(?:why|where|what|whats|how come|explain)\b|\b(?:is|are|does|do) (?:that|it|this|the|there)\b",
    re.IGNORECASE,
)
CLOSING: Final = re.compile(
    r"(?:\bthat'?s (?:all|it|everything)(?: i (?:needed|wanted|need))?(?: for (?:now|today|tonight))?"
    r"|\bthat'?s (?:all |just |exactly )?what i (?:needed|wanted)(?: to (?:know|hear))?"
    r"|\benjoy (?:your|the|ur) (?:day|evening|night|weekend|afternoon)"
    r"|\bcheers|\bbye+|\bgood ?night|\bi'?ll think (?:about|on) it"
    r"|\btalk (?:to you )?later|\bttyl|\bhave a (?:good|nice|great) (?:one|day|night|evening)"
    r"|\b(?:signing|logging|heading) (?:off|out)(?: (?:for )?(?:now|today|tonight))?|\bgotta go|\bgtg"
    r"|(?:^|[.!,;]\s*)(?:later+|laters|l8r|night|nite)|\bg'?ni(?:ght|te)"
    r"|\b(?:see|catch) (?:ya|you|u)(?: later| soon)?"
    r"|\bbuenas noches|\bhasta (?:luego|ma[nñ]ana|pronto)|\badi[oó]s|\bchao|\bcuidate|\bcu[ií]date)\W*$",
    re.IGNORECASE,
)
"""A message that ends by closing the conversation ("alright I'll look it over tonight and get back to you.
later": buttons, heldout25 860; "Thanks, night" and "gracias, buenas noches", heldout26 877, 870; a "later" or
"night" only as a sentence of its own, never "i'll pay it later")."""
THANKS_LAST: Final = re.compile(
    r"\b(?:thanks?|thank (?:you|u)|thx|ty|tysm|appreciate (?:it|that|you))"
    r"(?: (?:so|very) much| a lot| for (?:\w+ ){0,3}\w+)?\b\W*$",
    re.IGNORECASE,
)
"""Thanks that end a message: "thank you very much", "thank you for being kind"."""
THANKS_FIRST: Final = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|k|alright|great|cool|got it)\W+)*(?:thanks?|thank (?:you|u)|thx|ty|tysm)\b",
    re.IGNORECASE,
)
"""Thanks opening a message ("ok. thank u, ill keep an eye out for it")."""
LATER: Final = re.compile(
    r"\b(?:(?:text|get|write|come) (?:you )?back (?:to (?:you|u) )?later|get back to (?:you|u)"
    r"|let me (?:think|look|check|talk)|look (?:at|over) my budget|think (?:it|this|that) over)\b",
    re.IGNORECASE,
)
"""The debtor will come back later: with thanks at the end, a question the bot asked is left for then."""


def _name(parse_data: Parse) -> str:
    return str((parse_data.get("intent") or {}).get("name") or FALLBACK)


def confidence_of(parse_data: Parse) -> float:
    """The parse's intent confidence."""
    return float((parse_data.get("intent") or {}).get("confidence") or 0.0)


def _text(parse_data: Parse) -> str:
    return str(parse_data.get("text") or "")


def entity_kinds(parse_data: Parse) -> set[str]:
    """The kinds of entity the parse marks (amount, date, frequency, identity facts)."""
    return {str(found.get("entity")) for found in parse_data.get("entities") or []}


def names_a_pace(parse_data: Parse) -> bool:
    """The parse names an amount and how often ("40 every other week")."""
    return {"amount", "frequency"} <= entity_kinds(parse_data)


def with_reading(parse_data: Parse, name: str, confidence: float) -> Parse:
    """The parse read as `name` at `confidence`, first in its ranking."""
    reading = {"name": name, "confidence": confidence}
    ranking = [e for e in parse_data.get("intent_ranking") or [] if e.get("name") != name]
    return {**parse_data, "intent": reading, "intent_ranking": [reading, *ranking]}


def set_aside(parse_data: Parse, why: str) -> Parse:
    """The parse unplaced (the fallback at its threshold), its reading gone from the ranking so that no later
    step takes it back as a clear guess (`why` goes to the log)."""
    logger.info(why, extra={"intent": _name(parse_data)})
    ranking = [
        e
        for e in parse_data.get("intent_ranking") or []
        if e.get("name") not in (_name(parse_data), FALLBACK)
    ]
    return with_reading({**parse_data, "intent_ranking": ranking}, FALLBACK, FALLBACK_CONFIDENCE)


def read_as(parse_data: Parse, name: str, why: str) -> Parse:
    """The parse read as `name`, at least at the fallback threshold, first in its ranking."""
    logger.info(why, extra={"intent": name})
    return with_reading(parse_data, name, max(FALLBACK_CONFIDENCE, confidence_of(parse_data)))


def unplaced_saying(parse_data: Parse, words: re.Pattern[str], name: str, why: str) -> Parse:
    """An unplaced message whose words match `words`, read as `name` (`why` goes to the log)."""
    if _name(parse_data) not in UNPLACED or not words.search(_text(parse_data)):
        return parse_data
    return read_as(parse_data, name, why)


def frequency_in_time(parse_data: Parse) -> Parse:
    """A frequency the NLU marked inside "in a week" says when, not how often ("I can put 300 towards it in a
    week, when my paycheck comes in" was offered a plan of $300 a week: heldout17 597): it is dropped, and the
    day is read from the words. The first of the guards (channels/guards.py), which read terms by it."""
    spans = [found.span() for found in TIME_FROM_NOW.finditer(_text(parse_data))]
    entities = list(parse_data.get("entities") or [])
    kept = [found for found in entities if not _inside(found, spans) or found.get("entity") != "frequency"]
    if not spans or len(kept) == len(entities):
        return parse_data
    logger.info("a frequency inside a time from now dropped")
    dropped = {**parse_data, "entities": kept}
    if _name(dropped) == PLAN and says_a_dated_promise(dropped):
        # read as a plan on the frequency alone (request_payment_plan 0.66 on session 30's training)
        return read_as(dropped, PROMISE, "a payment in a week said as a plan read as the promise")
    return dropped


def dates_joined(parse_data: Parse) -> Parse:
    """One date the NLU marked as two ("3rd of" and "november" in "sent 665 by zelle on the 3rd of november":
    the claim took "november", no day, and asked when it was paid, heldout31 1051) is one: date entities with
    nothing but spaces between them become one, its value the words they span together."""
    text, entities = _text(parse_data), list(parse_data.get("entities") or [])
    dates = sorted((e for e in entities if _is_placed_date(e)), key=lambda e: int(e["start"]))
    joined: list[dict[str, Any]] = []
    for found in dates:
        if joined and not text[int(joined[-1]["end"]) : int(found["start"])].strip():
            start, end = int(joined[-1]["start"]), max(int(joined[-1]["end"]), int(found["end"]))
            joined[-1] = {**joined[-1], "end": end, "value": text[start:end]}
        else:
            joined.append(found)
    if len(joined) == len(dates):
        return parse_data
    logger.info("neighbouring dates joined")
    return {**parse_data, "entities": [e for e in entities if not _is_placed_date(e)] + joined}


def _is_placed_date(entity: dict[str, Any]) -> bool:
    return entity.get("entity") == "date" and "start" in entity and "end" in entity


def _inside(entity: dict[str, Any], spans: list[tuple[int, int]]) -> bool:
    start, end = int(entity.get("start", -1)), int(entity.get("end", -1))
    return any(begin <= start and end <= finish for begin, finish in spans)


def paid_already(parse_data: Parse) -> Parse:
    """A payment said to be made, read as unplaced or as paying later below SURE, is `already_paid`."""
    name, text = _name(parse_data), _text(parse_data)
    unsure_of_paying = name in PAYING_LATER and confidence_of(parse_data) < SURE
    if not (name in UNPLACED or unsure_of_paying) or not PAID_WORDS.search(text) or PAYING_WORDS.search(text):
        return parse_data
    return read_as(parse_data, PAID, "a payment said to be made read as a payment already made")


def charges_asked(parse_data: Parse) -> Parse:
    """An unplaced question about the interest, the fees or the charges asks where the total comes from."""
    text = _text(parse_data)
    # "whats the $35 for?" alone is an offer at 0.91: an amount asked about is never offered, however sure
    asked_about = _name(parse_data) in TERMS_READ and AMOUNT_ASKED_ABOUT.search(text) is not None
    if (
        (_name(parse_data) not in UNPLACED and not asked_about)
        or not CHARGES.search(text)
        or not ASKED.search(text)
    ):
        return parse_data
    return read_as(parse_data, BALANCE, "a question about the charges read as a question about the balance")


TERMS_READ: Final = frozenset({OFFER, PROMISE, SETTLE})
"""Readings of terms that an amount in a question about the charges can bring about."""


def closing(parse_data: Parse) -> Parse:
    """An unplaced message, or thanks, that ends by closing the conversation is the goodbye ("thx, signing off
    for now": "You're welcome.", heldout21 727)."""
    if _name(parse_data) not in {*UNPLACED, THANKS} or not CLOSING.search(_text(parse_data)):
        return parse_data
    return read_as(parse_data, GOODBYE, "a message ending in a goodbye read as the goodbye")


def thanks_last(parse_data: Parse, bot_asked: bool) -> Parse:
    """An "ok", or an unplaced message, ending in thanks, when the bot's last message asked nothing (or the
    debtor will answer later: "ok let me look at my budget and text back later, thank you for being kind"
    had got buttons), is the thanks."""
    text = _text(parse_data)
    waiting = bot_asked and not LATER.search(text)
    # "ok. thank u, ill keep an eye out for it" (after the validation information: buttons, heldout29 971)
    then_doing = THANKS_FIRST.search(text) is not None and OTHER_DOINGS.search(text) is not None
    thanked = THANKS_LAST.search(text) is not None or (then_doing and "?" not in text)
    if waiting or _name(parse_data) not in UNPLACED | {AFFIRM} or not thanked:
        return parse_data
    return read_as(parse_data, THANKS, "an ok ending in thanks, with nothing asked, read as the thanks")


def amount_on_the_table(parse_data: Parse, offer_pending: bool) -> Parse:
    """While terms wait for a yes or no, an amount read as a promise without a day is an offer, which the
    negotiation takes as the yes when it repeats the terms ("ok 332.50 then, deal" to a $332.50 settlement
    had been asked which day the debtor would pay); so is one read as a settlement without words of settling
    ("sorry i meant 75 not 57 lol typo" to $57 a month was a $75 settlement, referred to a person), and so is
    an amount put forward with a day ("how about 200 and we're done, i can pay it by the 20th" to a $193.80
    settlement by Dec 20 was noted as a promise, heldout21 720)."""
    name, text = _name(parse_data), _text(parse_data)
    # "fine, i'll do the 110.04 then" (heldout32 1088): an amount with cents, which the NLU did not mark
    named = entity_kinds(parse_data) | ({"amount"} if CENTS.search(text) else set())
    settlement_unsaid = name == SETTLE and SETTLEMENT_WORDS.search(text) is None
    put_forward = "date" not in named or COUNTERED.search(text) is not None
    # "ok fine, the 53.84 then" (unplaced) got the plan, then "I'm not getting this right" (a new user)
    cents_unplaced = name in UNPLACED and CENTS.search(text) is not None
    counter = (name == PROMISE and put_forward) or settlement_unsaid or cents_unplaced
    if not offer_pending or "amount" not in named or not counter:
        return parse_data
    return read_as(parse_data, OFFER, "an amount without a day, with terms on the table, read as an offer")


CENTS: Final = re.compile(r"(?<![\d./-])\$?\d{1,3}(?:,\d{3})*\.\d{2}(?![\d./-])")
"""An amount with its cents ("55.02", "$1,320.40"): money, never a day."""
NO_MONTH_DAY: Final = re.compile(r"^\s*\$?(?:1[3-9]|[2-9]\d|\d{3,})\.\d{2}\s*$")
"""Such an amount no calendar reads as a month and day ("55.02"; "12.20" could be Dec 20)."""


def cents_not_a_date(parse_data: Parse) -> Parse:
    """An amount with cents marked as a date ("ok fine, the 55.02 then", answering a counter of $55.02 a
    month: the debtor was told a payment date so far off could not be noted, heldout32 1076) is the amount."""
    entities = list(parse_data.get("entities") or [])
    changed = [_as_amount(e) if _cents_marked_as_a_day(e) else e for e in entities]
    if changed == entities:
        return parse_data
    logger.info("an amount with cents marked as a date read as the amount")
    return {**parse_data, "entities": changed}


def _cents_marked_as_a_day(entity: dict[str, Any]) -> bool:
    return entity.get("entity") == "date" and NO_MONTH_DAY.match(str(entity.get("value") or "")) is not None


def _as_amount(entity: dict[str, Any]) -> dict[str, Any]:
    return {**entity, "entity": "amount"}


def opening_yes(parse_data: Parse, opening: bool) -> Parse:
    """A yes as the first message of a conversation in which the bot has said nothing answers no question:
    "yes hello this is sam" (affirm at 0.78) is the greeting, so the debtor hears who we are and what comes
    next, not "Okay. How can I help with your account?"."""
    if not opening or _name(parse_data) != AFFIRM:
        return parse_data
    return read_as(parse_data, GREET, "a yes opening a conversation read as the greeting")


ABOUT_THE_ACCOUNT: Final = re.compile(
    r"\b(?:bill|account|debt|balance|letter|owe|owed|collection|card|loan|statement|notice)s?\b",
    re.IGNORECASE,
)
NOT_OWED: Final = re.compile(r"\b(?:not|never|don'?t|dont|no|isn'?t|wasn'?t|aint)\b", re.IGNORECASE)


def opening_about_the_account(parse_data: Parse, opening: bool) -> Parse:
    """A first message the NLU cannot place that asks about the account ("is this about the old fabrikam cell
    phone bill from like years ago") is a question about what is owed, answered once verified: it had been
    told "Sorry, I can't help with that" before the verification question. Not one that denies the debt."""
    text = _text(parse_data)
    if not opening or _name(parse_data) not in UNPLACED or not ABOUT_THE_ACCOUNT.search(text):
        return parse_data
    if NOT_OWED.search(text):
        return parse_data
    return read_as(parse_data, BALANCE, "an opening question about the account read as the balance")


DUE_ASKED: Final = re.compile(
    r"\bwhen (?:was|is|were|am|do|did) (?:i|it|this|that|the \w+) (?:supposed|meant|expected|due)\b"
    r"|\bwhen (?:was|is) (?:it|this|that) due\b|\bdue date\b|\bpast due\b|\bdeadline\b"
    r"|\b(?:is|am) (?:it|that|this|i) (?:already )?(?:late|overdue)\b",
    re.IGNORECASE,
)
"""A question about when the debt was due ("is that already late or when is the deadline exactly")."""


def due_date_asked(parse_data: Parse) -> Parse:
    """An unplaced question about when the debt was due, or one read as a payment already made ("When was I
    supposed to have paid this by?": already_paid, so "When did you make the payment?"), asks for the balance,
    which says the due date."""
    name, text = _name(parse_data), _text(parse_data)
    if name not in UNPLACED | {PAID} or not DUE_ASKED.search(text) or PAID_WORDS.search(text):
        return parse_data
    return read_as(parse_data, BALANCE, "a question about the due date read as a question about the balance")


FLAG_GUESS: Final = 0.3


def flag_named(parse_data: Parse) -> Parse:
    """An unplaced message whose best guess is a flag it names in words is that flag ("Please direct all
    communication about ACME-1002 to my attorney, Marcus Oyelaran, at (312) 555-0164": attorney 0.46, identity
    facts 0.45, so the debtor was asked to verify and the attorney was never noted). Identity facts read first
    are passed over: the reference says which account the flag is about (on this machine's training, identity
    0.45 and the attorney 0.41)."""
    ranking = [entry for entry in parse_data.get("intent_ranking") or [] if entry.get("name") not in UNPLACED]
    guess: dict[str, Any] = next((entry for entry in ranking if entry.get("name") != IDENTITY), {})
    name, confidence = str(guess.get("name") or ""), float(guess.get("confidence") or 0.0)
    named = name in FLAGS and confidence >= FLAG_GUESS and names_the_flag(name, _text(parse_data))
    if _name(parse_data) not in UNPLACED or not named:
        return parse_data
    logger.info("an unplaced message naming its best guess's flag read as that flag", extra={"intent": name})
    return with_reading({**parse_data, "intent_ranking": ranking}, name, max(FALLBACK_CONFIDENCE, confidence))


def balance_asked(parse_data: Parse) -> Parse:
    """An unplaced question about what is owed ("now while im here what do i actually owe") is the balance;
    with the whole of it paid now in the same words, the balance and the link ("I just want to know what it's
    for and if I can pay it off today": the link alone, then the balance alone, heldout19 647); with a plan
    in the same words, the balance and the plan ("i wanna know what i owe and whether i can pay every other
    week": the balance alone, heldout21 733)."""
    text = _text(parse_data)
    if _name(parse_data) not in UNPLACED or not BALANCE_QUESTION.search(text):
        return parse_data
    if PAY_ALL_NOW.search(text) or LINK_ASKED.search(text):
        return read_as(parse_data, WITH_THE_BALANCE[PAY_NOW], "the balance and paying it read as both")
    named = entity_kinds(parse_data)
    if "frequency" in named or PLAN_IN_WORDS.search(text):
        return read_as(parse_data, WITH_THE_BALANCE[PLAN], "the balance and a plan read as both")
    return read_as(parse_data, BALANCE, "a question about what is owed read as the balance")


PLAN_IN_WORDS: Final = re.compile(
    r"\bsplit (?:it|this|that|the (?:\w+ )?(?:bill|balance|total|amount|debt))?\s*(?:up )?"
    r"(?:into|in|over) (?:\w+ )?(?:payments|installments|instalments|chunks|parts|months)\b"
    r"|\bpay (?:it|this|that)?\s*(?:off )?(?:in|over|with) (?:\w+ )?(?:installments|instalments|monthly"
    r" payments|chunks|parts|months)\b|\b(?:a )?payment plan\b|\bmonthly payments\b",
    re.IGNORECASE,
)
"""A payment plan asked for in words ("can i split it into payments bc money is tight rn")."""


PAY_ALL_NOW: Final = re.compile(
    r"\bpay (?:off )?(?:it|this|that|the (?:whole|full|total|entire)(?: \w+)?|everything|all of it)"
    r"(?: all| off| in full| at once| in one go)?\b.{0,30}"
    r"\b(?:rn|right now|now|today|right away|asap|tonight)\b",
    re.IGNORECASE,
)
"""The whole balance offered to be paid now ("ok can i just pay it all rn 💸": buttons, heldout18 639)."""


CANT_NOW: Final = re.compile(
    r"\b(?:cant|can'?t|cannot|can not|unable|not able|won'?t be able|dont have|don'?t have)\b", re.IGNORECASE
)
"""Words saying the debtor cannot ("i want to pay this but i literally cant rn": hard times, not the link)."""


def all_paid_now(parse_data: Parse) -> Parse:
    """An unplaced message offering to pay it all now is a payment (the link), not a promise for a day; not
    one that says the debtor cannot (heldout2 111). So is one read as a settlement that names no amount and
    no settling: all of it is no settlement ("omg ok thats less than i thought ngl. can i just pay it all rn"
    was asked how much it offered to settle, heldout33 1121)."""
    text = _text(parse_data)
    if CANT_NOW.search(text):
        return parse_data
    settled_unsaid = _name(parse_data) == SETTLE and not SETTLEMENT_WORDS.search(text)
    if settled_unsaid and "amount" not in entity_kinds(parse_data) and PAY_ALL_NOW.search(text):
        return read_as(
            parse_data, PAY_NOW, "the whole balance paid now, read as a settlement, read as a payment"
        )
    return unplaced_saying(parse_data, PAY_ALL_NOW, PAY_NOW, "the whole balance paid now read as a payment")


def plan_in_words(parse_data: Parse) -> Parse:
    """An unplaced message asking for a plan in so many words is the plan."""
    return unplaced_saying(
        parse_data, PLAN_IN_WORDS, PLAN, "a payment plan asked for in words read as the plan"
    )


def link_asked(parse_data: Parse) -> Parse:
    """An unplaced ask for the payment link in words ("ok send me the link for the full amount then") is
    a payment; so is one read as a promise that promises no paying ("whatever, just send me the payment link
    and ill look at it this weekend": the promise form could not read the weekend, heldout29 979)."""
    name, text = _name(parse_data), _text(parse_data)
    unpromised = name == PROMISE and not PROMISED.search(text)
    if (name not in UNPLACED and not unpromised) or not LINK_ASKED.search(text):
        return parse_data
    return read_as(parse_data, PAY_NOW, "the payment link asked for in words read as a payment")


def days_limited(parse_data: Parse) -> Parse:
    """An unplaced message limiting the days we contact the debtor ("oh and nothing on sundays either if u
    can help it"), naming no amount and no paying, is a contact preference."""
    text = _text(parse_data)
    if _name(parse_data) not in UNPLACED or not CONTACT_DAYS.search(text) or PAYING.search(text):
        return parse_data
    return read_as(parse_data, PREFERENCES, "days limited in words read as a contact preference")


BIRTH_DATE_ALONE: Final = re.compile(r"^\W*\d{1,2}[/.\- ]\d{1,2}[/.\- ](\d{4})\W*$")


def birth_date_alone(parse_data: Parse) -> Parse:
    """A message that is only a full date of a birth year ("11.30.1978", read as a promise at 0.94) is an
    identity fact, whatever the NLU read: the identity form takes it as the date of birth."""
    found = BIRTH_DATE_ALONE.match(_text(parse_data))
    if (
        found is None
        or int(found.group(1)) > date.today().year - YOUNGEST_PLAUSIBLE_AGE
        or _name(parse_data) == IDENTITY
    ):
        return parse_data
    return read_as(parse_data, IDENTITY, "a birth date alone read as identity facts")


PLAN_WORDS: Final = re.compile(r"\b(?:plan|payments?|instal?lments?|that work|look like)\b", re.IGNORECASE)


def plan_asked(parse_data: Parse, offer_pending: bool) -> Parse:
    """While terms wait for a yes or no, an unplaced question about the plan ("so what would the plan look
    like?", out of scope at 1.00) asks for the terms again."""
    text = _text(parse_data)
    if not offer_pending or _name(parse_data) not in UNPLACED:
        return parse_data
    if not PLAN_WORDS.search(text) or not ASKED.search(text):
        return parse_data
    return read_as(parse_data, PLAN, "a question about the terms on the table read as the plan")


TAKEN: Final = re.compile(
    r"^(?:(?:ok(?:ay)?|yes|yeah|yea|yep|sure|alright|cool|great|perfect|fine)\W+)*(?:please |pls |plz )?"
    r"(?:go ahead(?: and)?(?: set (?:it|that|this|the plan|that plan|the \w+ plan) up"
    r"| set up (?:the|that|this|my|a) plan"
    r"| put me (?:on|down for) (?:it|that|this|that one|this one|the plan))?"
    r"|put me (?:on|down for) (?:it|that|this|that one|this one|the plan)"
    r"|set (?:it|that|this|the plan|that plan) up|set up (?:the|that|this|my|a) plan"
    r"|let'?s do (?:it|that|this|the plan)|sign me up(?: for (?:it|that|the plan))?)\b(?:\W+please)?\W*$",
    re.IGNORECASE,
)
"""Taking the terms on the table in words ("ok go ahead and set up the plan")."""


CLAIM_PASSED_ON: Final = "utter_claim_recorded"


def claim_detailed(parse_data: Parse, claim_passed_on: bool) -> Parse:
    """An unplaced message right after a payment claim was passed on that says how it was paid or gives its
    confirmation is more about that payment ("debit card on their website. confirmation FB88213": out of
    scope, heldout9 330); read as the claim, the actions keep it with the claim under review."""
    text = _text(parse_data)
    detailed = PAID_HOW.search(text) is not None or PAID_CONFIRMATION.search(text) is not None
    unplaced = _name(parse_data) in UNPLACED or _a_bare_number(parse_data)
    if not claim_passed_on or not unplaced or not detailed:
        return parse_data
    return read_as(parse_data, PAID, "details of the payment just claimed read as the claim's")


ATTORNEY_ASKED: Final = "utter_flag_attorney"
"""The answer to an attorney that asks for their name and phone number."""
ATTORNEY_DETAILS: Final = re.compile(
    r"\(?\b\d{3}\)?[-. ]?\d{3}[-. ]?\d{4}\b|\b(?:(?:his|her|their) name|name(?:'s| is)|esq)\b", re.IGNORECASE
)
"""A phone number or a name given ("his name is Raymond Okafor, office number 202-555-0148")."""


def attorney_detailed(parse_data: Parse, attorney_asked: bool) -> Parse:
    """A message giving a name or a phone number right after the bot asked for the attorney's is the
    attorney's details ("his name is Raymond Okafor, office number 202-555-0148" got the fallback's buttons,
    heldout29 986); read as the attorney, the actions keep the details with the flag."""
    if not attorney_asked or _name(parse_data) == ATTORNEY or not ATTORNEY_DETAILS.search(_text(parse_data)):
        return parse_data
    return read_as(parse_data, ATTORNEY, "details given right after the attorney's were asked for")


def next_steps_asked(parse_data: Parse, next_steps_said: bool) -> Parse:
    """A question about waiting right after an answer saying what happens next, read as out of scope ("ok so
    how long till i know?" after a payment claim was passed on "within 5 business days": "Sorry, I can't help
    with that", heldout27 920), is unclear: the fallback says that answer again (actions/fallback.py). So is
    one about hearing back read as the balance, a greeting or help ("ok so how long till i hear back from you
    guys": the balance, heldout31 1051)."""
    text, name = _text(parse_data), _name(parse_data)
    # "Sorry, which day you write?" after a promise was noted: out of scope (heldout33 1095, 1118)
    asked = WAITING_ASKED.search(text) is not None or SAID_AGAIN_ASKED.search(text) is not None
    hearing_back = HEARING_BACK.search(text) is not None and BALANCE_QUESTION.search(text) is None
    misread = name in UNPLACED or (name in HEARING_BACK_MISREAD and hearing_back)
    if not next_steps_said or not misread or not asked:
        return parse_data
    logger.info("a question about waiting read as one about the next steps just said")
    return with_reading(parse_data, FALLBACK, FALLBACK_CONFIDENCE)


HEARING_BACK_MISREAD: Final = frozenset({BALANCE, GREET, HELP})
SURVEY_ASKED: Final = "utter_ask_satisfaction"


def rating_given(parse_data: Parse, survey_asked: bool) -> Parse:
    """Right after the survey question, a score said as one and read as nothing, a goodbye or thanks is the
    answer ("5 stars, that was easy peasy": buttons, heldout28 949)."""
    answered = _name(parse_data) in UNPLACED | {GOODBYE, THANKS, AFFIRM}
    if not survey_asked or not answered or not RATED_IN_WORDS.search(_text(parse_data)):
        return parse_data
    return read_as(parse_data, RATE, "a score said as one after the survey question read as the answer")


def _a_bare_number(parse_data: Parse) -> bool:
    """Read as identity for a number that is none of the facts ("the check number was 2231 if that helps",
    heldout22 761: its digits taken for the last four of an SSN, the debtor told they were verified)."""
    named = entity_kinds(parse_data)
    return _name(parse_data) == IDENTITY and not named & IDENTITY_ENTITIES


def plan_taken(parse_data: Parse, offer_pending: bool) -> Parse:
    """While terms wait for a yes or no, "ok go ahead and set up the plan" (a plan request, sure) takes them:
    it had been answered with the terms again."""
    if not offer_pending or _name(parse_data) == AFFIRM or not TAKEN.search(_text(parse_data)):
        return parse_data
    return read_as(parse_data, AFFIRM, "the terms on the table taken in words read as the yes")


LOOKUP_ASKED: Final = re.compile(
    r"\blook (?:it|him|her|them|me|that|this)?\s*up\b|\bby (?:his|her|their|my) (?:full )?name\b",
    re.IGNORECASE,
)
"""Asking us to find the account another way ("can't you just look it up by his name, Sam Chen?")."""
_NOT_ME_WORDS: Final = (
    r"\bwrong\b|\bnot me\b|\bnot (?:him|her)\b|\bdon'?t know (?:him|her|them|who|any|anyone|anybody)\b"
    r"|\b(?:someone|somebody|a person|people) i (?:don'?t|do not|never) (?:know|met)\b"
    r"|\bno (?:one|body) (?:here|named|by)\b|\bdoesn'?t live\b|\bno \w+ (?:here|lives here)\b"
    r"|\bi(?:'m|m| am) not (?-i:[A-Z][a-z]+)\b(?! (?:sure|able|going|paying|trying|ready|working)\b)"
    r"|\b(?:no|have no|got no) (?:idea|clue) who (?:that|this|he|she|they|it) (?:is|are|was)\b"
    r"|\bthis (?:isnt|isn'?t|is not|aint) "
    r"(?!(?:my|mine|me|a|an|the|right|correct|fair|true|ok|okay|legit|real)\b)[a-z]+\b"
)
NOT_ME: Final = re.compile(_NOT_ME_WORDS, re.IGNORECASE)
"""Words saying the person is not the one we want ("this isnt sam", "he doesn't live here")."""
NOT_THEM: Final = re.compile(_NOT_ME_WORDS + r"|\bnever heard\b", re.IGNORECASE)
"""The same, or never having heard of them ("never heard of an Alex Morgan"); not for a question about who we
are, where "never heard of you" is about us."""


def lookup_asked(parse_data: Parse) -> Parse:
    """A wrong person read from a request to find the account another way, without words saying the writer
    is not the one we want, is about the account: "I don't have the letter with me, can't you just look it
    up by his name" (wrong person at 0.90) was told "sorry for the trouble, we'll update our records"."""
    text = _text(parse_data)
    if _name(parse_data) != WRONG_PERSON or not LOOKUP_ASKED.search(text) or NOT_THEM.search(text):
        return parse_data
    return read_as(parse_data, IDENTITY, "a request to find the account another way read as identity")


SOMEONE_ELSES: Final = re.compile(
    r"(?i:\bwrong (?:number|phone number|phone)\b)"
    r"|\b(?:for|addressed to|in the name of) (?:an? |some )?[A-Z][a-z]+ [A-Z][a-z]+\b"
    r"|\b(?:previous|former|old|last) (?:owner|tenant|resident|occupant)s?\b|\bdoesn'?t live here\b"
    r"|(?i:\bused to live (?:here|there|at|in)\b|\baddressed to (?:someone|somebody)\b)"
    r"|\bbought (?:this|the) (?:place|house|home|condo)\b"
    r"|\b(?:came|comes|sent) to my (?:house|address|place)\b"
    r"|\b(?:addressed to|for) (?:an? |some )(?:woman|man|guy|lady|girl|person|family|couple)\b"
    r"|\bmoved (?:out|away)\b|\b(?:came|comes|delivered) here\b"
    r"|\b(?:texts|messages|calls) (?:\w+ )?(?:for|meant for) (?:someone|somebody)\b"
    r"|(?i:\b(?:had|have had|got|gotten) (?:this|the|my) (?:number|phone number)\b)"
    r"|(?i:\b(?:lived|was living|were living) (?:here|there) before\b"
    r"|\bthe name on (?:it|the (?:letter|envelope|mail|notice)) (?:is|says) (?!mine\b|my\b|me\b|right\b))",
)
"""Mail meant for someone else: the name it was addressed to, the previous owner, the writer's house; texts to
a number the writer has had for a while ("this isnt sam, ive had this number for like 2 years now"), or to the
wrong number ("i keep getting texts here for someone i dont know. this is the wrong number"); the name on a
letter for someone who lived here before ("the name on it is alex morgan, thats not me, they lived here before
us": asked for a birth date twice, heldout27 921)."""


def someone_else(parse_data: Parse) -> Parse:
    """An unplaced message (or one asking who the person we want is) about mail or texts for someone the
    writer does not know is the wrong person ("There's a letter with reference ACME-1003 that came to my house
    for an Alex Morgan. I bought this place last year and don't know them." and "who is Sam?? i keep getting
    texts for someone i dont know" were asked for a birth date)."""
    text = _text(parse_data)
    placed = _name(parse_data) not in {*UNPLACED, WHO_IS_THIS}
    if placed or not NOT_THEM.search(text) or not SOMEONE_ELSES.search(text):
        return parse_data
    why = "mail for someone the writer does not know read as the wrong person"
    return read_as(parse_data, WRONG_PERSON, why)


WHEN_WORDS: Final = re.compile(
    r"\b(?:before|after|(?:until|till)(?!\s+(?:then|further notice)\b)|morning|afternoon|evening|night"
    r"|weekend|weekday|am|pm|\d)",
    re.IGNORECASE,
)
"""Words naming when to be contacted; "until then" is how long, not when ("i'll deal with it when i can.
until then stop contacting me about this" is the opt-out, heldout27 929)."""


def texts_stopped(parse_data: Parse) -> Parse:
    """An unplaced message asking in plain words for the texts to stop ("ok got it. thats all i needed, now
    please quit texting me, mail only from here on": buttons, twice) is the opt-out; not one naming when
    (that is a contact preference)."""
    text = _text(parse_data)
    if _name(parse_data) not in STOP_READ_AS or not asks_to_stop(text) or WHEN_WORDS.search(text):
        return parse_data
    return read_as(parse_data, OPT_OUT, "the texts asked to stop in words read as the opt-out")


STOP_READ_AS: Final = UNPLACED | {AFFIRM, THANKS}
"""What a plain request to stop the texts has been read as: nothing, or a yes or thanks around it ("yeah i
know about it. i'll sort it out myself, just quit texting me about it": a yes at 0.62, heldout20 692)."""


PROMISED: Final = re.compile(
    r"\b(?:i|we)(?:'ll| will|ll| plan to| intend to| am going to|'m going to| m going to| im going to"
    r"| can| could)\s+(?:\w+\s+|be able to\s+)?(?:pay|put|send)\b",
    re.IGNORECASE,
)
PROMISED_WHEN: Final = re.compile(r"\b(?:that day|payday|then|when (?:i|my|it|the))\b", re.IGNORECASE)


def promise_in_words(parse_data: Parse) -> Parse:
    """An unplaced message saying the debtor will pay on a day ("my paycheck lands on the 18th and I plan to
    pay the full amount that day") is the promise; not one naming how often (that is an offer)."""
    put_forward = COUNTERED.search(_text(parse_data)) or SETTLE_ASKED.search(_text(parse_data))
    if _name(parse_data) not in UNPLACED or not says_a_dated_promise(parse_data) or put_forward:
        return parse_data  # "would u guys take 550 and call it even? i could pay it this week": a settlement
    return read_as(parse_data, PROMISE, "a payment on a day said in words read as the promise")


def says_a_dated_promise(parse_data: Parse) -> bool:
    """The words say the debtor will pay on a day, naming no pace ("my paycheck lands on the 18th and I plan
    to pay the full amount that day")."""
    named = entity_kinds(parse_data)
    text = _text(parse_data)
    dated = (
        "date" in named or PROMISED_WHEN.search(text) is not None or TIME_FROM_NOW.search(text) is not None
    )
    return PROMISED.search(text) is not None and dated and "frequency" not in named


VALIDATION_WORDS: Final = re.compile(
    r"\bvalidat(?:e|ion)\b|\bproof (?:of|that) (?:the |this )?debt\b|\bdebt verification\b"
    r"|\bproof\b(?: \w+){0,4} (?:that )?i (?:actually |really |even )?owe\b",
    re.IGNORECASE,
)
"""Asking for the validation information ("send me whatever proof you have that i actually owe this":
buttons, heldout30 1005)."""


def disputed_in_words(parse_data: Parse) -> Parse:
    """An unplaced message calling the debt or a charge wrong ("that 25 dollar late fee is bs, i never even
    got a bill from the hospital": the balance and its explanation) is the dispute."""
    why = "the debt or a charge called wrong in words read as the dispute"
    return unplaced_saying(parse_data, DISPUTED_WORDS, DISPUTE, why)


SETTLE_ASKED: Final = re.compile(
    r"\blump[- ]?sum\b|\bone[- ]time (?:payment|offer)\b|\bsettlement\b"
    r"|\bsettle (?:it|this|that|the (?:account|debt|balance|whole thing)|for|up)\b"
    r"|\bcall (?:it|this|that|the (?:whole )?(?:thing|account|debt|balance))"
    r" (?:even|square|done|a day|settled|closed|paid(?: in full| off)?)\b",
    re.IGNORECASE,
)
"""A settlement asked for in words (not "i settled this with the hospital": a payment made)."""


def settlement_in_words(parse_data: Parse) -> Parse:
    """An unplaced message asking to settle in so many words ("Is this about that old store card? I might be
    able to do a lump sum to get rid of it for good": the balance, and no settlement, once verified) is the
    settlement."""
    why = "a settlement asked for in words read as the settlement"
    return unplaced_saying(parse_data, SETTLE_ASKED, SETTLE, why)


COUNTERED: Final = re.compile(
    r"\b(?:how about|what about|what if i (?:pay|paid|did|do)"
    r"|would (?:you|u)(?: guys| all)? (?:take|accept|do)"
    r"|(?:could|can|would) (?:it|we|i|u|you) (?:be|do|take|make it)"
    r"|i (?:can|could) do|make it|let'?s (?:say|do|make it)|meet (?:me )?(?:at|in the middle))\b",
    re.IGNORECASE,
)
"""Words putting an amount forward ("how about 200", "could it be 850 instead")."""
PER_PERIOD: Final = re.compile(
    r"\b(?:a|per|each|every|an?)\s(?:month|mo|week|wk)\b|\bmonthly\b|\bweekly\b|\bbi-?weekly\b"
    r"|\bcada (?:mes|semana|quincena|dos semanas)\b|\b(?:al|por) (?:mes|semana)\b"
    r"|\b(?:mensual|semanal)(?:es)?\b",
    re.IGNORECASE,
)
"""An amount said per month or week, in English or Spanish ("can i pay like 200 cada mes?": buttons, heldout19
663)."""


def countered_unsaid(parse_data: Parse) -> Parse:
    """Words putting terms forward read as a contact preference, naming no way or time of reaching the debtor
    ("Meet me in the middle? 200 and we're done with it.", to a settlement counter-offer: its first clause a
    preference at 0.96, so "a member of our team can update how we contact you" came before the answer,
    heldout26 877), are the offer (the settlement, with words of settling)."""
    text = _text(parse_data)
    reaching = CONTACT_WORDS.search(text) or WHEN_WORDS.search(text) or CONTACT_DAYS.search(text)
    if _name(parse_data) != PREFERENCES or not COUNTERED.search(text) or reaching:
        return parse_data
    name = SETTLE if SETTLE_ASKED.search(text) else OFFER
    return read_as(parse_data, name, "words putting terms forward read as the offer, not a preference")


def counter_offered(parse_data: Parse) -> Parse:
    """An unplaced message (or one read as paying now, with the amount per month or week) putting an amount
    forward in so many words ("thats still a lot for me.. how about
    200 and im done with it", to a settlement counter-offer: its first clause read as the balance, and the
    total was shown; heldout17 601) is that offer; with words of settling, the settlement. Without a question
    in it, sure, so it is not cut into parts ("could i do 20 a month?? and is this gonna mess up my credit
    even worse" still is)."""
    named = entity_kinds(parse_data)
    text = _text(parse_data)
    per_period = PER_PERIOD.search(text) is not None
    put_forward = per_period or COUNTERED.search(text) is not None
    # "es mucho dinero 😓 can i pay like 200 cada mes?": paying now at 0.62, the link sent (heldout19 663)
    paying_per_period = _name(parse_data) == PAY_NOW and per_period
    if not (_name(parse_data) in UNPLACED or paying_per_period) or "amount" not in named or not put_forward:
        return parse_data
    name = SETTLE if SETTLE_ASKED.search(text) else OFFER
    read = read_as(parse_data, name, "an amount put forward in words read as the offer")
    return read if "?" in text else with_reading(read, name, SURE)


ABOUT_US: Final = re.compile(
    r"\bwho (?:is|are|r|tf is) (?:acme|you|u|ya|y'?all|this|these people)\b"
    r"|\bnever (?:heard|herd) of (?:you|u|ya|y'?all|acme|your|ur|this company|these people)\b",
    re.IGNORECASE,
)


def us_unknown(parse_data: Parse) -> Parse:
    """A wrong person read, unsure, from a question about who we are ("who is acme recovery, never heard of
    u": the number was flagged as a wrong one, and the debtor's opt-out after it went unanswered; heldout17
    590), without words saying the writer is not the one we want or the texts are for someone else ("who is
    this?? this isnt sam, ive had this number for like 2 years now": heldout19 653), asks who we are."""
    text = _text(parse_data)
    unsure_wrong = _name(parse_data) == WRONG_PERSON and confidence_of(parse_data) < SURE
    someone_elses = NOT_ME.search(text) or SOMEONE_ELSES.search(text)
    if not unsure_wrong or not ABOUT_US.search(text) or someone_elses:
        return parse_data
    return read_as(parse_data, WHO_IS_THIS, "a question about who we are read as who we are")


def validation_asked(parse_data: Parse) -> Parse:
    """An unplaced message naming the validation notice ("where is the validation notice you're legally
    required to give me": buttons) asks for it."""
    return unplaced_saying(
        parse_data, VALIDATION_WORDS, VALIDATION, "the validation notice asked for in words"
    )


def hard_times(parse_data: Parse) -> Parse:
    """An unplaced message saying times are hard ("got laid off on friday, idk what to do about this" beside
    the identity facts: its hardship guess at 0.41 was lost, and the debtor got the balance) is hardship."""
    return unplaced_saying(parse_data, HARD_TIMES, HARDSHIP, "hard times said in words read as hardship")


NUMBER_TO_CALL: Final = re.compile(
    r"\bnumber (?:i|we) (?:can|could) call\b|\bcall (?:you|to check|to verify)\b"
)
A_PERSON: Final = re.compile(r"\b(?:person|human|agent|someone|somebody|representative|rep|manager)\b")


def number_asked(parse_data: Parse) -> Parse:
    """A person read, unsure, from a question about a number to call to check on us ("what company is this
    exactly and is there a phone number I can call to check": a handoff, then silence) asks who we are."""
    text = _text(parse_data).lower()
    unsure_person = _name(parse_data) == HUMAN and confidence_of(parse_data) < SURE
    if not unsure_person or not NUMBER_TO_CALL.search(text) or A_PERSON.search(text):
        return parse_data
    return read_as(parse_data, WHO_IS_THIS, "a number to call to check on us read as who we are")


CONSEQUENCES: Final = re.compile(
    r"\bwhat (?:happens|will happen|would happen|happen)\b[^.?!]{0,30}?\bif (?:i|we|u|you) "
    r"(?:just |simply |really )?(?:don'?t|dont|do not|never|can'?t|cant|cannot|won'?t|wont|refuse to|stop)"
    r" (?:pay|paying)\b"
    r"|\bwhat (?:happens|will happen|would happen|if)\b[^.?!]{0,20}?\bignor(?:e|ing)\b"
    r"|\bwhat if i (?:just |simply )?(?:never|don'?t|dont|do not|can'?t|cant|won'?t|wont) pay\b"
    r"|\bif (?:i|we|u) (?:just |simply )?(?:never|don'?t|dont|do not|won'?t|wont) pay\b[^?!]{0,30}?"
    r"\b(?:nothing|what) (?:happens|will happen|would happen)\b"
    r"|\b(?:are|r) (?:you|u|ya|y'?all|they)(?: (?:people|guys|folks|all))? (?:going to|gonna|about to) "
    r"(?:sue|garnish|take me to court|arrest)\b"
    r"|\b(?:will|can|could|would) (?:you|u|they|y'?all)(?: (?:people|guys|folks|all))?"
    r" (?:even |really |still )?(?:sue|garnish|take me to court|arrest"
    r"|take (?:it|money) (?:out of|from) my (?:pay ?check|wages|account))\b"
    r"|\b(?:am i|will i|can i) (?:going to |gonna )?"
    r"(?:get sued|be sued|go to jail|get arrested|be arrested)\b"
    r"|\bwhat (?:happens|will happen|would happen|if)\b[^.?!]{0,30}?\b(?:if )?(?:i|we) (?:\w+ ){0,3}?"
    r"miss(?:es|ed|ing)?\b[^.?!]{0,30}?\bpayments?\b",
    re.IGNORECASE,
)
"""What happens if the debt is not paid ("what happens if i just dont pay this? are you going to sue me": the
payment link was sent; heldout19 670), or a payment is missed ("what happens to me if I end up missing one of
the payments down the line?", to a plan offer: taken as the yes, heldout23 796; "Can you people sue me over
something this old?": buttons, heldout25 863; "so basically if i never pay it, nothing happens to me?": a
hardship plan, heldout29 979)."""
ABOUT_PAYING_NOW: Final = frozenset({*UNPLACED, PAY_NOW, BALANCE, HARDSHIP, HUMAN, DISPUTE})


def consequences_asked(parse_data: Parse) -> Parse:
    """A question about what happens if the debt is not paid, read as paying, the balance or anything unsure,
    is that question: its answer promises nothing, threatens nothing, and points to a plan and a person."""
    name, sure = _name(parse_data), confidence_of(parse_data) >= SURE
    # "so basically if i never pay it, nothing happens to me?": hard times at 0.80, none named (heldout29 979)
    unsaid_hard_times = name == HARDSHIP and not HARD_TIMES.search(_text(parse_data))
    about_paying = (
        name in {*UNPLACED, PAY_NOW, BALANCE} or unsaid_hard_times or (name in ABOUT_PAYING_NOW and not sure)
    )
    text = _text(parse_data)
    # "will waiting till thursday mess up my credit score?" after a promise was noted (heldout32 1091)
    credit_asked = CREDIT_WORDS.search(text) is not None and QUESTION_FORM.search(text) is not None
    if not about_paying or not (CONSEQUENCES.search(text) or credit_asked):
        return parse_data
    return read_as(parse_data, ASK_CONSEQUENCES, "what happens if the debt is not paid, asked in words")


CREDIT_WORDS: Final = re.compile(
    r"\bcredit (?:score|report|rating|history|file|record)s?\b|\bmy credit\b|\bcredit bureaus?\b",
    re.IGNORECASE,
)


OTHER_DOINGS: Final = re.compile(
    r"\b(?:i'?ll|i will|i'?m gonna|im gonna|gonna|going to|let me|i need to|i have to|i gotta)\s+(?:\w+\s+)?"
    r"(?:read|look|think|check|review|go (?:through|over)|talk|discuss|ask|sleep|figure|call|print"
    r"|keep an eye|watch (?:for|out))\b",
    re.IGNORECASE,
)
"""Something the debtor will do that is not paying ("I'll read through all of that tonight")."""


def promise_unsaid(parse_data: Parse) -> Parse:
    """A promise read from what the debtor will do that is not paying, naming no amount and no paying ("ok,
    I'll read through all of that tonight. bye", after the validation notice: a payment on Dec 7 was noted,
    heldout23 784), or from a question that names no paying ("hey, bad timing, on shift till 11pm. what do u
    need from me?": a promise at 0.89, so the day to pay was asked once verified, heldout26 893), is no
    promise: unplaced, so its goodbye, thanks or question is read."""
    named = entity_kinds(parse_data)
    text = _text(parse_data)
    paying = PAYMENT_WORDS.search(text) or PROMISED.search(text) or DONE_BY.search(text) or "amount" in named
    elsewhere = OTHER_DOINGS.search(text) or BUSY.search(text) or "?" in text
    if _name(parse_data) != PROMISE or paying or not elsewhere:
        return parse_data
    return set_aside(parse_data, "a promise of something other than paying set aside")


DONE_BY: Final = re.compile(
    r"\b(?:do|get|have) (?:it|that|this)(?: done| sorted| handled)?\b|\b(?:can|could) (?:i|we) do\b",
    re.IGNORECASE,
)
"""Paying said without a word of paying ("can i do it on the 15th?", "can i do friday?")."""
BUSY: Final = re.compile(
    r"\b(?:on (?:shift|the clock|break)|at work|working|busy|in (?:class|a meeting|meetings)|driving)\b",
    re.IGNORECASE,
)
"""Where the debtor is until a time ("on shift till 11pm"): a time of being busy, not of paying."""


NOT_NOW: Final = re.compile(
    r"\bnot (?:right )?(?:now|rn|yet|today|tonight|this (?:minute|second|moment|week)|at the moment)\b"
    r"|\b(?:later|some ?time|one day) (?:this|next) (?:week|month)\b",
    re.IGNORECASE,
)


def paid_later(parse_data: Parse) -> Parse:
    """Paying in full read, but not now ("I'll pay all of it, just not right this minute": the link, heldout23
    795), is a promise, whose day is asked; not one saying the debtor cannot (hard times)."""
    text = _text(parse_data)
    if _name(parse_data) != PAY_NOW or not NOT_NOW.search(text) or CANT_NOW.search(text):
        return parse_data
    return read_as(parse_data, PROMISE, "paying in full, but not now, read as a promise")


STILL_PAYING_ASKED: Final = re.compile(
    r"\b(?:do|does|should|will|would|must|can) (?:i|we) (?:still |really |even |now )*"
    r"(?:have to |need to |gotta |got to )?(?:keep )?pay(?:ing)?\b"
    r"|\b(?:have|need|got) to (?:keep )?pay(?:ing)? (?:on )?(?:it|this|that|anything)\b.*\?",
    re.IGNORECASE,
)
"""Whether to keep paying, asked ("so do i have to keep paying on it while u check?")."""


def still_paying_asked(parse_data: Parse) -> Parse:
    """A question whether to keep paying read as a payment already made, with no words of one, is unclear:
    the fallback answers it by what was said before (the pause of a dispute just recorded: "so do i have to
    keep paying on it while u check?" had started the payment claim's questions, heldout28 940)."""
    text = _text(parse_data)
    if _name(parse_data) != PAID or not STILL_PAYING_ASKED.search(text) or PAID_WORDS.search(text):
        return parse_data
    logger.info("a question whether to keep paying read as unclear, not as a payment made")
    return with_reading(parse_data, FALLBACK, FALLBACK_CONFIDENCE)


IF_PAID: Final = re.compile(
    r"\bif (?:i|we) (?:were to |was to |could |can |did |do |just |was able to )?"
    r"(?:pa(?:y|id)|sen[dt]|g[ia]ve|offer(?:ed)?|put)\b",
    re.IGNORECASE,
)


def paid_if(parse_data: Parse) -> Parse:
    """An amount the debtor would pay, asked as "if" ("ok real talk, if I paid 550 today would you call the
    whole thing settled?": a payment made, "How did you pay?", heldout23 791), unplaced or read as a payment
    made or promised, is an offer; with words of settling, the settlement."""
    named = entity_kinds(parse_data)
    text = _text(parse_data)
    if (
        _name(parse_data) not in {*UNPLACED, PAID, PROMISE}
        or "amount" not in named
        or not IF_PAID.search(text)
    ):
        return parse_data
    name = SETTLE if SETTLE_ASKED.search(text) or SETTLEMENT_WORDS.search(text) else OFFER
    return read_as(parse_data, name, "an amount the debtor would pay, asked as if, read as the offer")


BANKRUPTCY_SAID: Final = re.compile(
    r"\bbankrupt\w*|\bch(?:apter|\.)?\s*(?:7|11|13|seven|eleven|thirteen)\b|\bautomatic stay\b", re.IGNORECASE
)
UNSURE_TERMS: Final = frozenset({PLAN, PAY_NOW, OFFER, HARDSHIP})


def bankruptcy_said(parse_data: Parse) -> Parse:
    """A message naming a bankruptcy in so many words ("I've been in an active chapter 13 plan since last
    spring and this debt is listed in it": a plan at 0.31, the bankruptcy at 0.19, heldout23 779), unplaced
    or read as terms below SURE, is the bankruptcy."""
    name, unsure = _name(parse_data), confidence_of(parse_data) < SURE
    named = BANKRUPTCY_SAID.search(_text(parse_data)) is not None
    if not named or not (name in UNPLACED or (name in UNSURE_TERMS and unsure)):
        return parse_data
    return read_as(parse_data, BANKRUPTCY, "a bankruptcy named in words read as the bankruptcy")


MEANS: Final = re.compile(
    r"\b(?:i|we) (?:have|got|get|'?ll have|will have|'?m getting|am getting|just got)"
    r" (?:some |a |my |our |the )?"
    r"(?:(?:tax )?refund|bonus|money|cash|savings|inheritance|back ?pay|stimulus|check coming)\b",
    re.IGNORECASE,
)
"""Money the debtor has or will have to pay with ("I have some tax refund money")."""


def means_named(parse_data: Parse) -> Parse:
    """Hard times read from money the debtor has to pay with ("I have some tax refund money", 0.70, beside a
    settlement asked for with the facts: hardship plans were offered instead, heldout24 829), naming no hard
    times and no "can't", is unplaced: the request beside it stands."""
    text = _text(parse_data)
    if (
        _name(parse_data) != HARDSHIP
        or not MEANS.search(text)
        or HARD_TIMES.search(text)
        or CANT_NOW.search(text)
    ):
        return parse_data
    return set_aside(parse_data, "money to pay with read as hard times set aside")


BY_WORDS: Final[tuple[Callable[[Parse], Parse], ...]] = (
    means_named,
    promise_unsaid,
    paid_later,
    paid_if,
    still_paying_asked,
    bankruptcy_said,
    birth_date_alone,
    paid_already,
    days_limited,
    balance_asked,
    link_asked,
    all_paid_now,
    plan_in_words,
    charges_asked,
    closing,
    due_date_asked,
    flag_named,
    lookup_asked,
    someone_else,
    us_unknown,
    texts_stopped,
    promise_in_words,
    validation_asked,
    number_asked,
    hard_times,
    disputed_in_words,
    countered_unsaid,
    counter_offered,
    settlement_in_words,
    consequences_asked,
)
"""The context-free readings of this module, applied in this order (each sees the one before's result)."""


def read_by_words(parse_data: Parse) -> Parse:
    """The context-free readings of this module, in turn."""
    return reduce(lambda parsed, reading: reading(parsed), BY_WORDS, parse_data)
