"""Several requests in one message, answered in order: a segmenting step in front of Rasa's NLU.

Debtors write paragraphs: "I lost my job, can I pay less and can you stop texting me in the mornings".
One intent cannot hold that message, so the NLU is unsure of it and the debtor used to get "did you
mean...?" buttons. When a message the NLU is unsure of splits into clauses (sentences; ", can you ...",
"and please ...") that name requests of different kinds, each part is handed to Rasa as its own turn, in
the order written, so every request gets its full flow (verification first, forms, the compliance gate).

Conservative by design:
- only a message whose whole-message intent is unsure (the fallback, out of scope, or below SURE) is
  looked at, and
  only when it has at least two clauses: a clear message costs one extra parse at most, and only if long;
- a part must be a request the bot acts on (not a greeting, a yes, identity facts), parsed with at least
  the fallback threshold's confidence, and two parts must be of different kinds: requests of one kind
  ("I lost my job, can I pay less") stay together, since each flow reads its own amounts and dates;
- clauses that are no sure request stay with the request before them ("I lost my job" + "can I pay
  less"), or at the start with the first request ("sorry for the late reply"), so no word is dropped;
- a message with any crisis signal or high distress, in the whole or in any clause, is never split (nor
  read as one of its clauses): it is judged whole.
Rasa's own lock per conversation keeps the parts in order; every part goes through the same channel
output, so the replies arrive as one answer.

A message the NLU cannot place at all (the fallback, or out of scope) whose clauses hold exactly one sure
request, with context around it, is that request ("I filed chapter 7 last month. My ref is ACME-1001.
You're not allowed to contact me about this" is the bankruptcy its first sentence says, at 0.96): the
whole message, its words and entities, goes to Rasa with that intent (`MessageProcessor.parse_message`
reads it from the message), instead of "I'll help with that once you're verified" and a date of birth read
from "last month".
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from rasa.core.agent import Agent  # type: ignore[import-untyped]
from rasa.core.channels.channel import UserMessage  # type: ignore[import-untyped]
from rasa.core.processor import MessageProcessor  # type: ignore[import-untyped]

from channels import metrics
from channels.guards import (
    AMOUNT_ASKED,
    TERMS_ENTITIES,
    TERMS_INTENTS,
    amount_answered,
    day_answered,
    guarded,
    no_first,
    opening_wave,
    yes_last,
    yes_with_thanks,
)
from channels.intents import (
    BALANCE,
    DISPUTE,
    FALLBACK,
    FLAGS,
    HARDSHIP,
    HUMAN,
    IDENTITY,
    OFFER,
    OPT_OUT,
    PAID,
    PAY_NOW,
    PREFERENCES,
    PROMISE,
    SETTLE,
    UNPLACED,
    VALIDATION,
    WITH_THE_BALANCE,
)
from channels.readings import (
    ATTORNEY_ASKED,
    CLAIM_PASSED_ON,
    PAID_WORDS,
    PAYMENT_WORDS,
    SURE,
    SURVEY_ASKED,
    WHEN_WORDS,
    amount_on_the_table,
    attorney_detailed,
    claim_detailed,
    entity_kinds,
    names_a_pace,
    next_steps_asked,
    opening_about_the_account,
    opening_yes,
    plan_asked,
    plan_taken,
    rating_given,
    read_by_words,
    says_a_dated_promise,
    thanks_last,
)
from channels.readings import FALLBACK_CONFIDENCE as PART_CONFIDENCE
from shared.guesses import clear_best
from shared.identity_facts import IDENTITY_ENTITIES
from shared.questions import NEXT_STEPS_SAID, PAID_HOW
from shared.vocabulary import MORE_FOLLOWS

logger = logging.getLogger(__name__)

OFFER_PENDING: Final = "offer_pending"
VERIFIED: Final = "verified"
DAY_ASKED: Final = frozenset(
    {"utter_ask_promise_rest", "utter_promise_too_far", "utter_promise_recorded", "utter_promise_date_later"}
)
"""actions/payments.py's questions of a day to pay (the rest's, one within the promise window, one to tell
later), and a promise just noted: a date said next is about it ("yep the 18th" confirms it, "12/17"
corrects it), not an answer to nothing ("Okay. How can I help with your account?")."""
MULTI: Final = "+"
"""Rasa's multi-intent labels join two intents with it (check_balance+request_payment_plan)."""
MAX_PARTS: Final = 4

# Requests by kind: parts of one kind stay together (the negotiation reads hardship, amount and date as one).
KINDS: Final[dict[str, str]] = {
    "check_balance": "balance",
    # the balance and paying, or a plan, read as one: "how much is it and gimme a link to pay it all today"
    # beside the identity facts was lost (the link never sent)
    "check_balance+make_payment": "balance",
    "check_balance+request_payment_plan": "balance",
    "make_payment": "negotiation",  # "i want to pay this but i literally cant rn": one request
    "request_payment_plan": "negotiation",
    "offer_payment": "negotiation",
    "settlement_offer": "negotiation",
    "promise_to_pay": "negotiation",
    "financial_hardship": "negotiation",
    "already_paid": "paid",
    "dispute_debt": "dispute",
    "request_validation": "validation",
    "contact_preferences": "contact",
    "opt_out": "contact",
    "request_human": "person",
    "has_attorney": "circumstance",
    "bankruptcy": "circumstance",
    "deceased": "circumstance",
    "ask_credit_reporting": "question",
}
THE_LINK: Final = re.compile(r"\b(?:link|payment page)\b", re.IGNORECASE)
"""A request to pay that names the link: asked for in words, not a reading of "check my account"."""
BESIDE_FACTS: Final = "request_beside_facts"
"""The UserMessage attribute carrying the request a message makes beside identity facts (never persisted);
the parse keeps it as `request`, which the identity form answers once verified (actions/identity.py)."""
NOT_KEPT: Final = FLAGS | {OPT_OUT, HUMAN}
"""Requests acted on at once, never kept for after verification: an attorney, a bankruptcy or a death is
recorded and nobody is asked to verify; an opt-out stops the messages; a person asked for beside the
reference is fetched now, and verifies the debtor themselves ("ACME-1003 - can i get an actual human on here
instead of a chatbot" was asked for a birth date, heldout15 533)."""
WEIGHT: Final[dict[str, int]] = {HARDSHIP: 2, PAY_NOW: 0}
"""Among sure requests of one kind, hard times outweigh terms, and paying now is the weakest reading."""
CHECK_IN: Final = "crisis_check"
HIGH: Final = "high"
CRISIS_LEVELS: Final = frozenset({"crisis", CHECK_IN, HIGH})
"""bot/distress: the parse's `distress.level` values that make a message (or any of its clauses) one to judge
whole: split, "this is stressing me out so bad I can't sleep" got the suicide question and the next part
("I don't know how I'm going to pay any of this") was taken as its answer (crisis support, a handoff)."""

_SENTENCE_END: Final = r"(?<=[.!?])\s+"
_CLAUSE_START: Final = (
    r"(?:can|could|would|will|please|pls|plz|stop|dont|don't|do not|also|send|what|whats|what's|how|"
    r"when|why|is|are|i|i'm|im|i've|ive|i'll|ill|my)\b"
)
_AFTER_A_NUMBER: Final = (
    r"(?:can|could|would|please|pls|plz|also|send|what|whats|what's|how|when|why"
    r"|i|i'm|im|i've|ive|i'll|ill)\b"
)
"""Words opening a request right after a number: not "is" or "my" ("ACME-1002 is the ref on ur letter")."""
_SPLIT: Final = re.compile(
    rf"{_SENTENCE_END}|\s*;\s*|\s*,\s*(?:and\s+|but\s+|also\s+)?(?={_CLAUSE_START})"
    rf"|\s+(?:and|but|also|plus)\s+(?={_CLAUSE_START})|\s+[-\u2013\u2014]{{1,2}}\s+"
    rf"|(?<=\d)\s+(?={_AFTER_A_NUMBER})",
    re.IGNORECASE,
)

Parse = dict[str, Any]
Parser = Callable[[str], Awaitable[Parse]]


def clauses(text: str) -> list[str]:
    """The message cut at sentence ends, semicolons, a dash between spaces, and commas, "and"/"but" or a
    number ("ACME-1003 11/30/1978 94110 can i just give you my card number") opening a new clause."""
    return [part.strip() for part in _SPLIT.split(text) if part and part.strip(" ,.;")]


def intent(parse: Parse) -> tuple[str, float]:
    """The parse's intent name and confidence."""
    found = parse.get("intent") or {}
    return str(found.get("name") or FALLBACK), float(found.get("confidence") or 0.0)


def level_of(parse: Parse) -> str | None:
    """The parse's distress level."""
    return (parse.get("distress") or {}).get("level")


def distressed(parse: Parse) -> bool:
    """The parse carries a crisis signal or high distress."""
    return level_of(parse) in CRISIS_LEVELS


def in_crisis(parse: Parse) -> bool:
    """A crisis signal: whatever the rest of the message says, the message is judged whole."""
    return level_of(parse) == "crisis"


def alarming(parse: Parse) -> bool:
    """A clause with a crisis signal or high distress: the message is judged whole. A clause with only a
    check-in signal may be a fragment read out of context ("I just want it gone", of the debt): its part
    is judged as a whole instead (`in_parts`)."""
    return level_of(parse) in CRISIS_LEVELS - {CHECK_IN}


def unsure(whole: Parse) -> bool:
    """The NLU could not place the whole message as one request, and no crisis signal is in it."""
    name, confidence = intent(whole)
    if MULTI in name and confidence >= PART_CONFIDENCE:
        return False  # two requests read as one label ("How much do I owe and can I split it?"): both kept
    placed = name not in UNPLACED and confidence >= SURE and not terms_beside_preferences(whole)
    return not placed and not distressed(whole)


def terms_beside_preferences(whole: Parse) -> bool:
    """A contact preference read whole from a message that also names an amount ("can i do 55 a month on
    that?? and pls dont text me before 9am": the preference at 0.85 was stored, the offer lost, heldout23
    774) is judged clause by clause."""
    named = entity_kinds(whole)
    return intent(whole)[0] == PREFERENCES and "amount" in named


def kind_of(parse: Parse) -> str | None:
    """The kind of request a clause makes, when the NLU is sure enough; None for anything else."""
    name, confidence = intent(parse)
    return KINDS.get(name) if confidence >= PART_CONFIDENCE else None


def grouped(parsed: Sequence[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Clauses joined into parts: a clause that is no sure request goes with the request before it (a
    continuation: "I lost my job" + "can I pay less", "50 a month" + "on the 15th"), or, at the start, with
    the first request; requests of the same kind next to each other are one part."""
    parts: list[tuple[str, str]] = []
    leading: list[str] = []
    for text, kind in parsed:
        if kind is None and parts:
            parts[-1] = (f"{parts[-1][0]} {text}", parts[-1][1])
        elif kind is None:
            leading.append(text)
        elif parts and parts[-1][1] == kind:
            parts[-1] = (f"{parts[-1][0]} {text}", kind)
        else:
            parts.append((" ".join([*leading, text]), kind))
            leading = []
    return parts


Intent = tuple[str, float]
SOLE_REQUEST: Final = "sole_request"
"""The UserMessage attribute carrying the intent of a message's one sure request (never persisted)."""


@dataclass(frozen=True)
class Reading:
    """How a message goes to Rasa: in parts, whole as its one sure request, or whole as it is."""

    parts: list[str] = field(default_factory=list)
    sole_request: Intent | None = None
    requests: list[Intent | None] = field(default_factory=list)
    """Per part, the request to read it as (None: as the NLU reads it)."""
    beside_facts: Intent | None = None
    """What a message of identity facts also asks for, when it asks for one kind of thing ("ACME-1002,
    born 07/02/1990, zip 60601 - what's the total, and can you send me a link to pay it?": the NLU reads
    identity facts at 0.89, and only that)."""
    calmed: list[str] = field(default_factory=list)
    """Parts read alone as high distress in a message that is not: they carry `distress`, the whole's."""
    distress: dict[str, Any] | None = None


def sole_request(whole: Parse, clause_parses: Sequence[Parse]) -> Intent | None:
    """The one sure request among the clauses of a message the NLU could not place, if only one kind is."""
    if intent(whole)[0] not in UNPLACED and intent(whole)[1] >= PART_CONFIDENCE:
        return None  # placed (a guess under the threshold taken by the guards is not: 233's promise at 0.57)
    sure = [intent(parse) for parse in clause_parses if kind_of(parse) and sure_enough(parse)]
    named_the_link = any(THE_LINK.search(str(parse.get("text") or "")) for parse in clause_parses)
    if all(name == PAY_NOW for name, _ in sure) and not (sure and named_the_link):
        # "would like to check my account" read as a payment: the balance is the safe default, unless the
        # debtor asked for the link in words ("nah no plan ... Just give me the link and I'll pay tonight")
        return None
    if len({KINDS[name] for name, _ in sure}) != 1:
        return None
    best = max(sure, key=lambda found: (WEIGHT.get(found[0], 1), found[1]))
    asked_for_the_link = next((found for found in sure if found[0] == PAY_NOW), None)
    # beside a sure ask for the link, a promise is when the debtor will use it ("just send me the link and
    # i'll pay it tonight"): the link is the request
    if best[0] == PROMISE and asked_for_the_link:
        return asked_for_the_link
    # beside an offer of an amount at a pace, a promise is when the debtor is paid ("can i do 25 a week till
    # its paid off? fridays are payday for me": the promise form asked which day, heldout24 825)
    paced = [intent(parse) for parse in clause_parses if intent(parse)[0] == OFFER and names_a_pace(parse)]
    if best[0] == PROMISE and paced:
        return paced[0]
    return (dated_promise(clause_parses) if best[0] == HARDSHIP else None) or best


def dated_promise(clause_parses: Sequence[Parse]) -> Intent | None:
    """A clause the NLU is sure promises to pay on a day it names: "I can't pay today but I can pay the full
    thing in 10 days" is that promise (hard times, which outweigh other terms, had got a hardship plan)."""
    for parse in clause_parses:
        name, confidence = intent(parse)
        dated = any(found.get("entity") == "date" for found in parse.get("entities") or [])
        # "ill pay it in full on my next payday" with no date marked names its day in words (heldout19 667)
        if name == PROMISE and confidence >= SURE and (dated or says_a_dated_promise(parse)):
            return name, confidence
    return None


def sure_enough(parse: Parse) -> bool:
    """A clause the NLU is sure of, or a terms request naming its terms ("I'm going to pay it this Friday
    when my paycheck hits okay thank you": a promise at 0.71, with the date)."""
    name, confidence = intent(parse)
    named = entity_kinds(parse) & TERMS_ENTITIES
    return confidence >= SURE or (name in TERMS_INTENTS and bool(named))


async def read(text: str, parse: Parser) -> Reading:
    """How to hand the message to Rasa: a clear message, or one of one clause, is handed over as it is."""
    pieces = clauses(text)
    if text.startswith("/") or not 2 <= len(pieces) <= 3 * MAX_PARTS:
        return Reading()
    whole = await parse(text)
    if intent(whole)[0] == IDENTITY:
        return await beside_facts(pieces, parse, whole)
    if not unsure(whole) and names_facts(whole) and await a_clause_of_facts(pieces, parse):
        return await beside_facts(pieces, parse, whole)
    if not unsure(whole):
        return Reading()
    parsed = [await parse(piece) for piece in pieces]
    if any(in_crisis(found) for found in parsed):
        return Reading()
    if stop := opt_out_among(text, parsed):
        return Reading(sole_request=stop)
    if flag := flag_among(parsed):
        # "I'm Sam Chen's sister. Sam died in October ... One of the letters has ACME-1002 on it": the report
        # is what the message is, read whole so the flag is recorded on the account its reference names
        return Reading(sole_request=flag)
    parts = grouped([(piece, kind_of(found)) for piece, found in zip(pieces, parsed, strict=True)])
    if disputed := dispute_beside_hard_times(parsed):
        return Reading(sole_request=disputed)
    if claimed := claim_beside_the_balance(parsed):
        return Reading(sole_request=claimed)
    if 2 <= len(parts) <= MAX_PARTS:
        return await in_parts(parts, list(zip(pieces, parsed, strict=True)), parse, whole)
    if any(alarming(found) for found in parsed):
        return Reading()
    return Reading(sole_request=sole_request(whole, parsed))


def claim_beside_the_balance(clause_parses: Sequence[Parse]) -> Intent | None:
    """A payment claim beside a question about the balance is the claim: the question asks why the balance
    still shows the payment (`about_the_claim`)."""
    read = [intent(found) for found in clause_parses if kind_of(found)]
    kept = about_the_claim(read)
    if len(kept) == len(read) or any(name != PAID for name, _ in kept):
        return None  # no balance question beside the claim, or another request too
    return max(kept, key=lambda found: found[1])


def dispute_beside_hard_times(clause_parses: Sequence[Parse]) -> Intent | None:
    """A dispute beside hard times is the dispute: collection stops on a disputed debt, so no plan is offered
    first (heldout22 749: "I got a letter saying I owe money for a hospital visit. My insurance was supposed
    to cover that and I think the amount is wrong" was offered a hardship plan after verification, the
    dispute never recorded). So is a dispute beside a request for proof, whose answer the dispute's includes
    (heldout32 1071: "... it isn't mine. I want proof before I pay a single cent." got the validation
    information only, the dispute never recorded)."""
    read = [intent(found) for found in clause_parses if kind_of(found)]
    disputes = [found for found in read if found[0] == DISPUTE]
    if not disputes or {name for name, _ in read} - {DISPUTE, HARDSHIP, VALIDATION}:
        return None
    return max(disputes, key=lambda found: found[1]) if len(disputes) < len(read) else None


def opt_out_among(text: str, clause_parses: Sequence[Parse]) -> Intent | None:
    """An opt-out a clause makes for sure, in a message that names no hours or days (those make it a
    preference), is what the message is: "i dont care what its about. stop texting me, i dont want these msgs
    anymore" went over in parts, its first read as a person, and the opt-out was relayed to the queue
    unrecorded (heldout10 374). Not when another clause makes a request of another kind (not about contact,
    not a person) for sure: "ok ill pay the whole thing this friday. also can you stop sending me texts" goes
    over in parts, the promise kept and the opt-out made on its own words (read whole, "friday" had become the
    only day for messages: heldout12 450)."""
    sure = [intent(parse) for parse in clause_parses if kind_of(parse) and sure_enough(parse)]
    stops = [found for found in sure if found[0] == OPT_OUT]
    other = any(KINDS[name] not in {KINDS[OPT_OUT], KINDS[HUMAN]} for name, _ in sure)
    return (
        max(stops, key=lambda found: found[1])
        if stops and not other and not WHEN_WORDS.search(text)
        else None
    )


def flag_among(clause_parses: Sequence[Parse]) -> Intent | None:
    """A death, a bankruptcy or an attorney a clause reports for sure, in a message judged whole for its
    distress: that report is what the message is ("I'm Sam Chen's sister. Sam died in October and I'm going
    through his mail. One of the letters has ACME-1002 on it" was asked for a birth date), and its flow is
    the gentle one (nothing to verify, collection paused, a person follows up)."""
    sure = [intent(parse) for parse in clause_parses if intent(parse)[0] in FLAGS and sure_enough(parse)]
    return max(sure, key=lambda found: found[1]) if sure else None


def names_facts(parse: Parse) -> bool:
    """The clause carries identity facts (a reference, a date of birth, a ZIP code)."""
    return any(found.get("entity") in IDENTITY_ENTITIES for found in parse.get("entities") or [])


async def a_clause_of_facts(pieces: Sequence[str], parse: Parser) -> bool:
    """A clause is surely identity facts alone ("60601. and i need a payment plan, no way i can pay it all
    at once" reads as a plan at 0.96, its ZIP an entity of it)."""
    for piece in pieces:
        name, confidence = intent(await parse(piece))
        if name == IDENTITY and confidence >= SURE:
            return True
    return False


def about_the_claim(sure: list[Intent]) -> list[Intent]:
    """Beside a payment claim, a question about the balance asks why it still shows the payment's amount ("I
    already sent Contoso $200 by check on November 20th, why does this still say I owe the full amount?": the
    charges were explained and the claim never recorded, heldout29 993)."""
    if all(name != PAID for name, _ in sure):
        return sure
    return [found for found in sure if found[0] != BALANCE]


def clear_request(parse: Parse) -> Intent | None:
    """A clause's request without identity facts: as read, or the best guess when clearly ahead ("I'd like
    to pay the Fabrikam thing off in monthly chunks if thats possible": plan 0.6 under the threshold)."""
    if names_facts(parse):
        return None
    guess = clear_best(parse)
    clear = (str(guess.get("name")), float(guess.get("confidence") or 0.0)) if guess else None
    best = intent(parse) if kind_of(parse) else clear
    if best and not said_as_such(best[0], str(parse.get("text") or "")):
        return None  # "oops typo, its the 14th not the 15th": the birth date corrected, no promise
    return best if best and best[0] in KINDS else None


def said_as_such(name: str, text: str) -> bool:
    """A promise or a payment claim beside identity facts says paying ("ugh sorry i always flip those, its
    july 2nd" had been kept as a claim: heldout22 742); an amount the debtor believed the debt to be ("i
    thought it was like 1200 tops", heldout22 741) is no offer."""
    if name in (PROMISE, PAID):
        paid = name == PAID and (PAID_HOW.search(text) or PAID_WORDS.search(text))
        return PAYMENT_WORDS.search(text) is not None or bool(paid)
    return name not in (OFFER, SETTLE) or not BELIEVED.search(text)


BELIEVED: Final = re.compile(
    r"\b(?:thought|figured|assumed|expected|was told|supposed to be|should(?: only)? be"
    r"|last i (?:checked|saw))\b",
    re.IGNORECASE,
)
"""An amount the debtor believed it was, not one they offer."""


async def beside_facts(pieces: Sequence[str], parse: Parser, whole: Parse) -> Reading:
    """A message of identity facts and what else it asks for: one kind of request is kept for once the
    debtor is verified (`beside_facts`); several kinds ("ACME-1002, 07/02/1990, 60601. I moved to Phoenix so
    I'm not on Chicago time anymore. I'd like to pay 55 a month") are handed over in parts, the facts first
    and the balance next, so that each request gets its flow once verified instead of none of them being
    kept. A part read alone as high distress takes the whole message's level, as in `in_parts` ("... 94110.
    i lost my job last month, whats the total and can i do 40 every other week?" was read whole as the facts,
    the hard times and the offer lost)."""
    parsed = [await parse(piece) for piece in pieces]
    if any(in_crisis(found) for found in parsed):
        return Reading()
    asked = [clear_request(found) for found in parsed]
    sure = about_the_claim([found for found in asked if found])
    now = [found for found in sure if found[0] in NOT_KEPT]
    if now:  # "my lawyer is handling all my medical bills now. ACME-1002 is the ref on ur letter. ..."
        return Reading(sole_request=max(now, key=lambda found: found[1]))
    kinds = {KINDS[name] for name, _ in sure}
    if len(kinds) == 1:
        name, confidence = max(sure, key=lambda found: (WEIGHT.get(found[0], 1) or 1, found[1]))
        # "... 94110. cant pay today but ill pay it in full on my next payday": the promise (heldout19 667)
        name, confidence = (dated_promise(parsed) if name == HARDSHIP else None) or (name, confidence)
        # "Would you take 200 to close this out for good? I'm ready to pay today. dob ...": the settlement is
        # judged, not the link sent for the whole balance (heldout24 834)
        offered = [
            request
            for request, found in zip(asked, parsed, strict=True)
            if request and request[0] in (OFFER, SETTLE) and "amount" in entity_kinds(found)
        ]
        name, confidence = offered[0] if name == PAY_NOW and offered else (name, confidence)
        return Reading(beside_facts=(WITH_THE_BALANCE.get(name, name), confidence))
    labelled = [
        (piece, IDENTITY if names_facts(found) else KINDS[request[0]] if request else None)
        for piece, found, request in zip(pieces, parsed, asked, strict=True)
    ]
    parts = facts_first_of(grouped(totals_first(labelled, asked)))
    facts_first = [kind == IDENTITY for _, kind in parts] == [True] + [False] * (len(parts) - 1)
    if len(kinds) < 2 or not 3 <= len(parts) <= MAX_PARTS or not facts_first:
        return Reading()
    levels = [level_of(await parse(text)) for text, _ in parts]
    if any(level in CRISIS_LEVELS - {HIGH} for level in levels):
        return Reading()  # a check-in signal in a part, read whole: the message is judged whole
    calmed = [text for (text, _), level in zip(parts, levels, strict=True) if level == HIGH]
    requests: list[Intent | None] = [None]
    for text, kind in parts[1:]:
        mine = [found for piece, found in zip(pieces, asked, strict=True) if found and piece in text]
        of_kind = [found for found in mine if KINDS[found[0]] == kind]
        requests.append(max(of_kind, key=lambda found: (WEIGHT.get(found[0], 1), found[1])))
    distress = whole.get("distress") if calmed else None
    return Reading(parts=[text for text, _ in parts], requests=requests, calmed=calmed, distress=distress)


def totals_first(
    labelled: list[tuple[str, str | None]], asked: Sequence[Intent | None]
) -> list[tuple[str, str | None]]:
    """The clauses asking only for the total first, then the others in their order (the facts go first
    after that, `facts_first_of`): the total is what terms are weighed against ("i lost my job last month,
    whats the total and can i do 40 every other week?": the hard times and the offer become one negotiation,
    answered after the total). A clause asking for the total and paying ("I'm ready to pay today" beside a
    settlement offer, heldout24 834) keeps its place."""
    totals = [entry for entry, found in zip(labelled, asked, strict=True) if found and found[0] == BALANCE]
    return [*totals, *(entry for entry in labelled if entry not in totals)]


def facts_first_of(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The identity facts as the first part, wherever the debtor wrote them ("hi, got your letter, ACME-1002.
    i know i owe it, i just cant pay anything till payday. dob 07/02/1990 zip 60601" had been read whole as
    the facts, the promise lost): the requests follow in their order, to be answered once verified."""
    facts = [text for text, kind in parts if kind == IDENTITY]
    rest = [(text, kind) for text, kind in parts if kind != IDENTITY]
    return [(" ".join(facts), IDENTITY), *rest] if facts and rest else parts


async def in_parts(
    parts: list[tuple[str, str]], parsed: list[tuple[str, Parse]], parse: Parser, whole: Parse
) -> Reading:
    """The parts, each with the request its clauses make when the NLU reads the part itself otherwise
    ("... I'm not disputing it, I just want it gone. What's the total" is the balance its last clause
    asks for); none when a part, read alone, carries a crisis signal (the part after it would be taken
    as the answer to the check-in). A part read alone as high distress, in a message that is not, takes
    the whole message's level (`calmed`): "could i do 20 a month?? and is this gonna mess up my credit even
    worse" was judged whole for its second clause, and the offer was lost."""
    requests: list[Intent | None] = []
    strongest: list[Intent] = []
    calmed: list[str] = []
    for text, kind in parts:
        own = await parse(text)
        if distressed(own) and level_of(own) != HIGH:
            return Reading()
        calmed += [text] if level_of(own) == HIGH else []
        mine = [intent(found) for clause, found in parsed if clause in text and kind_of(found) == kind]
        strongest.append(max(mine, key=lambda found: (WEIGHT.get(found[0], 1), found[1])))
        requests.append(None if kind_of(own) == kind and intent(own)[1] >= SURE else strongest[-1])
    both = with_the_balance(strongest)
    if both is not None and not calmed:
        return Reading(sole_request=both)
    distress = whole.get("distress") if calmed else None
    return Reading(parts=[text for text, _ in parts], requests=requests, calmed=calmed, distress=distress)


def with_the_balance(requests: Sequence[Intent]) -> Intent | None:
    """The balance, then paying or a plan, is the one multi-intent request Rasa has a label for: "how much
    is left on it and can i split it into payments" handed over in two parts before verification kept
    only the plan for after it (the total was never said)."""
    if len(requests) != 2 or requests[0][0] != BALANCE or requests[1][0] not in WITH_THE_BALANCE:
        return None
    return WITH_THE_BALANCE[requests[1][0]], min(confidence for _, confidence in requests)


async def parts_of(text: str, parse: Parser) -> list[str]:
    """The parts to hand Rasa one after another; [] when the message is to be handled whole."""
    return (await read(text, parse)).parts


def with_intent(parse_data: Parse, request: Intent) -> Parse:
    """The parse with `request` as its intent, first in the ranking; words and entities unchanged."""
    name, confidence = request
    chosen = {"name": name, "confidence": confidence}
    others = [entry for entry in parse_data.get("intent_ranking") or [] if entry.get("name") != name]
    return {**parse_data, "intent": chosen, "intent_ranking": [chosen, *others]}


def with_request_beside_facts(parse_data: Parse, request: Intent | None, verifying: bool = False) -> Parse:
    """A parse of identity facts, with what else the message asked for as `request` (when it asked). While
    the debtor is not verified, a message read as its request but carrying a clause of facts alone is read
    as the facts, the request kept beside them (answered once verified, as when it came first)."""
    if request is None:
        return parse_data
    if intent(parse_data)[0] != IDENTITY and verifying:
        parse_data = with_intent(parse_data, (IDENTITY, intent(parse_data)[1]))
    if intent(parse_data)[0] != IDENTITY:
        return parse_data
    logger.info("a request beside identity facts", extra={"intent": request[0]})
    return {**parse_data, "request": {"name": request[0], "confidence": request[1]}}


def part_message(message: UserMessage, text: str, index: int) -> UserMessage:
    """The same message (channel, sender, metadata) carrying one part; ids stay unique per part."""
    message_id = (
        message.message_id if index == 0 or not message.message_id else f"{message.message_id}.{index}"
    )
    return UserMessage(
        text,
        message.output_channel,
        message.sender_id,
        input_channel=message.input_channel,
        message_id=message_id,
        metadata=message.metadata,
    )


STOCK_HANDLE_MESSAGE = Agent.handle_message
STOCK_PARSE_MESSAGE = MessageProcessor.parse_message
PARSED: Final = "segment_parses"
"""The UserMessage attribute carrying the NLU's readings the segmenting step made, by text (never
persisted): Rasa reuses the whole message's (or a part's) instead of running the NLU on it again."""


def remembering_parser(processor: Any, message: UserMessage, parses: dict[str, Parse]) -> Parser:
    """The stock NLU (guarded) on texts of `message`, each reading kept in `parses` by text."""

    async def parse(text: str) -> Parse:
        if text not in parses:
            parses[text] = await STOCK_PARSE_MESSAGE(processor, part_message(message, text, 0))
        return guarded(copy.deepcopy(parses[text]))

    return parse


async def handle_in_parts(self: Any, message: UserMessage) -> list[dict[str, Any]] | None:
    """Agent.handle_message, a message of several requests handed over one part at a time, and one with
    a single sure request inside context handed over as that request."""
    parses: dict[str, Parse] = {}
    parser = remembering_parser(self.processor, message, parses)
    reading = await read(message.text or "", parser) if self.is_ready() else Reading()
    if not reading.parts:
        setattr(message, SOLE_REQUEST, reading.sole_request)
        setattr(message, BESIDE_FACTS, reading.beside_facts)
        setattr(message, PARSED, parses)
        return await STOCK_HANDLE_MESSAGE(self, message)  # type: ignore[no-any-return]
    logger.info("message handled in parts", extra={"parts": len(reading.parts)})
    for part in reading.calmed:
        parses[part] = {**parses[part], "distress": reading.distress}
    responses: list[dict[str, Any]] = []
    for index, (part, request) in enumerate(zip(reading.parts, reading.requests, strict=True)):
        part_of = part_message(message, part, index)
        setattr(part_of, PARSED, parses)
        setattr(part_of, SOLE_REQUEST, request)
        setattr(part_of, MORE_FOLLOWS, index < len(reading.parts) - 1)
        responses.extend(await STOCK_HANDLE_MESSAGE(self, part_of) or [])
    return responses


async def stock_parse(processor: Any, message: UserMessage, *args: Any, **kwargs: Any) -> Parse:
    """The NLU's reading of the message: the one the segmenting step made of its text, or a new one."""
    made: Parse | None = (getattr(message, PARSED, None) or {}).get(message.text or "")
    if made is not None:
        return copy.deepcopy(made)
    return await STOCK_PARSE_MESSAGE(processor, message, *args, **kwargs)  # type: ignore[no-any-return]


def answer_or_request(parse_data: Parse, request: Intent | None, pending: bool) -> Parse:
    """The whole message as the yes or no to the terms waiting for one, when it ends with a yes or opens
    with a no, else as its one sure request, if any: "Hmm, that's more than I hoped. Let me think...
    okay, fine, I accept that." was the promise its first sentence was read as at 0.90 (heldout14 489). A
    request that opens with a no is the no too: "no, too much. forget it", a part read as the no at 0.73 but
    carrying the dispute its clause "too much" was read as, had recorded a dispute (heldout25 862)."""
    answered = yes_last(no_first(parse_data, pending), pending)
    if answered is not parse_data or request is None:
        return answered
    requested = with_intent(parse_data, request)
    refused = no_first(requested, pending)
    if refused is not requested:
        return refused
    logger.info("message read as its one sure request", extra={"intent": request[0]})
    return requested


async def parse_with_sole_request(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> Parse:
    """MessageProcessor.parse_message, guarded (channels/guards.py), with the intent of the message's one
    sure request when it has one."""
    parse_data: Parse = guarded(await stock_parse(self, message, *args, **kwargs))
    tracker = args[0] if args else kwargs.get("tracker")
    pending, said = offer_pending(tracker), last_said(tracker)  # each read once: the tracker's events
    parse_data = answer_or_request(parse_data, getattr(message, SOLE_REQUEST, None), pending)
    beside: Intent | None = getattr(message, BESIDE_FACTS, None)
    parse_data = with_request_beside_facts(parse_data, beside, verifying(tracker))
    parse_data = opening_wave(parse_data, earlier_messages(tracker))
    opening = earlier_messages(tracker) == 0 and bot_silent(tracker)
    parse_data = opening_about_the_account(opening_yes(parse_data, opening), opening)
    parse_data = yes_with_thanks(parse_data, pending)
    parse_data = day_answered(parse_data, said in DAY_ASKED)
    parse_data = amount_answered(parse_data, said == AMOUNT_ASKED)
    parse_data = claim_detailed(parse_data, said == CLAIM_PASSED_ON)
    parse_data = attorney_detailed(parse_data, said == ATTORNEY_ASKED)
    parse_data = facts_unnamed(parse_data, tracker is not None and not verifying(tracker))
    parse_data = next_steps_asked(parse_data, said in NEXT_STEPS_SAID)
    parse_data = rating_given(parse_data, said == SURVEY_ASKED)
    # terms waiting for a yes or no were asked about, whatever line followed them ("No pressure: ... call"):
    # "yes please set that up, thank you for working with me" is the yes, not thanks (heldout28 942, 955)
    parse_data = thanks_last(parse_data, pending or bot_asked(tracker))
    parse_data = amount_on_the_table(parse_data, pending)
    parse_data = plan_asked(parse_data, pending)
    parse_data = plan_taken(parse_data, pending)
    if getattr(message, MORE_FOLLOWS, False):
        parse_data = {**parse_data, MORE_FOLLOWS: True}
    metrics.parsed(message.input_channel, intent(parse_data)[0])
    return parse_data


def facts_unnamed(parse_data: Parse, verified: bool) -> Parse:
    """A verified debtor's message read as identity facts that names none is read by its words as a message
    the NLU could not place ("perfect. and is that 665 the final number or does interest keep piling on top of
    it?" was told "you're already verified", heldout24 815: a question about the charges)."""
    if not verified or intent(parse_data)[0] != IDENTITY or names_facts(parse_data):
        return parse_data
    logger.info("identity facts naming none, from a verified debtor, read by the words")
    return read_by_words(with_intent(parse_data, (FALLBACK, PART_CONFIDENCE)))


def verifying(tracker: Any) -> bool:
    """The debtor is not verified yet (the `verified` slot; False without a tracker)."""
    return tracker is not None and not tracker.get_slot(VERIFIED)


def offer_pending(tracker: Any) -> bool:
    """Whether terms wait for the debtor's yes or no (the `offer_pending` slot; False without a tracker)."""
    return bool(tracker.get_slot(OFFER_PENDING)) if tracker is not None else False


def last_said(tracker: Any) -> str | None:
    """The response the bot last sent in this conversation (None without a tracker or a bot message)."""
    for event in reversed(list(getattr(tracker, "events", None) or [])):
        if getattr(event, "type_name", None) == "bot":
            return (getattr(event, "metadata", None) or {}).get("utter_action")
    return None


def bot_silent(tracker: Any) -> bool:
    """The bot has sent nothing in this conversation's current session (False without a tracker)."""
    for event in reversed(list(getattr(tracker, "events", None) or [])):
        kind = getattr(event, "type_name", None)
        if kind == "session_started":
            break
        if kind == "bot":
            return False
    return tracker is not None


def bot_asked(tracker: Any) -> bool:
    """The bot's last message in this conversation asked the debtor something (True without a tracker)."""
    for event in reversed(list(getattr(tracker, "events", None) or [])):
        if getattr(event, "type_name", None) == "bot":
            return "?" in str(getattr(event, "text", None) or "")
    return tracker is None


def earlier_messages(tracker: Any) -> int:
    """The debtor messages of the conversation's current session so far (0 without a tracker)."""
    count = 0
    for event in reversed(list(getattr(tracker, "events", None) or [])):
        kind = getattr(event, "type_name", None)
        if kind == "session_started":
            break
        count += kind == "user"
    return count


def install() -> None:
    """Make this process's agent hand a message of several requests over in parts."""
    Agent.handle_message = handle_in_parts
    MessageProcessor.parse_message = parse_with_sole_request


def installed() -> bool:
    """Whether this process's agent splits messages of several requests."""
    return (
        Agent.handle_message is handle_in_parts and MessageProcessor.parse_message is parse_with_sole_request
    )
