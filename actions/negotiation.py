"""Payment plans and settlements: the creditor's policy in the API decides, the bot never invents terms."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.exceptions import OfferRejected
from actions.formatting import describe_terms
from actions.guards import Events, Verified, collection_status, run_verified
from actions.parsing import parse_amount, parse_frequency, resolve_date
from shared.identity_facts import in_identity_facts
from shared.questions import SETTLEMENT_WORDS
from shared.vocabulary import MORE_FOLLOWS

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

Offer = dict[str, Any]


_CORRECTION: Final = re.compile(
    r"\b(?:no|nope|sorry|i mean|actually|wait|make (?:that|it)|scratch that|correction|rather)\b",
    re.IGNORECASE,
)
"""Words that take back what came before them: "45 a month, no sorry, 55 a month"."""


def entity(message: dict[str, Any], name: str) -> str | None:
    """An entity's value in a parsed message: the first, or the first said after the debtor took an earlier
    one back ("Could I do 45 a month, no sorry, 55 a month" offers 55, not 45). An amount is never a digit
    of the identity facts beside it (a ZIP, a birth date, a reference), and with a frequency it is the one
    said with it ("no way i can drop 1300 at once. could i do like 25 a week" offers 25 a week)."""
    found = [e for e in message.get("entities") or [] if e.get("entity") == name]
    if name == c.ENTITY_AMOUNT:
        found = [e for e in found if not _identity_digits(message, int(e.get("start") or 0))]
        found = [e for e in found if not _negated(message, e)] or found
        found = _said_with_frequency(message, found) or found
    if not found:
        return None
    taken_back = [m.end() for m in _CORRECTION.finditer(str(message.get("text") or ""))]
    after = [e for e in found if taken_back and int(e.get("start") or 0) >= taken_back[-1]]
    corrected = after[0] if after and len(found) > 1 else found[0]
    return str(corrected.get("value"))


_NOT_BEFORE: Final = re.compile(r"\bnot\s+\$?$|\bif\s+\$?$", re.IGNORECASE)


def _negated(message: dict[str, Any], found: dict[str, Any]) -> bool:
    """The amount is the one taken back in "i meant 75 not 57", or the condition of another offer: "if 800
    wont do it i could stretch to 950" offers 950 (taking 800 as the yes had agreed a settlement nobody
    accepted)."""
    return _NOT_BEFORE.search(str(message.get("text") or "")[: int(found.get("start") or 0)]) is not None


_PACE_GAP: Final = 16
"""At most this many characters between an amount and the frequency it goes with ("25 a week")."""


def _in_identity_facts(message: dict[str, Any], position: int) -> bool:
    return in_identity_facts(str(message.get("text") or ""), position)


def _said_with_frequency(message: dict[str, Any], amounts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of several amounts, those said right before a frequency of the message (none when none is)."""
    paces = [
        int(e.get("start") or 0)
        for e in message.get("entities") or []
        if e.get("entity") == c.ENTITY_FREQUENCY
    ]
    if len(amounts) < 2:
        return []
    return [e for e in amounts if any(0 <= pace - int(e.get("end") or 0) <= _PACE_GAP for pace in paces)]


_BARE_NUMBER: Final = re.compile(
    r"(?<![\w.,/:#-])\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?![\w/:%-]|[.,]\d)"
)
_ENDS_WITH_MONTH: Final = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I
)
_NOT_AMOUNTS: Final = frozenset({c.ENTITY_DATE, c.ENTITY_DOB, c.ENTITY_ACCOUNT_REF, c.ENTITY_ZIP})
"""Entities whose digits are no amount: a bare ZIP beside the other facts ("ACME-1002, 07/02/1990, 60601 - ...
can I break it up into payments?" was offered a single payment of the whole total)."""
MIN_BARE_AMOUNT: Final = Decimal(10)
"""A bare number below this ("in 2 weeks", "option 1") is no money offer."""


def _inside_other_entities(message: dict[str, Any], position: int) -> bool:
    spans = [e for e in message.get("entities") or [] if e.get("entity") in _NOT_AMOUNTS]
    return any(int(e.get("start", -1)) <= position < int(e.get("end", -1)) for e in spans)


def _identity_digits(message: dict[str, Any], position: int) -> bool:
    """The digit at `position` belongs to a date or an identity fact, by the NLU's entities or the words."""
    return _inside_other_entities(message, position) or _in_identity_facts(message, position)


def bare_amount(message: dict[str, Any]) -> str | None:
    """The one plain number of a message the NLU found no amount in ("how about 660", "fine 800", or the
    same one per payment: "how about 660 now and 660 next month"); not a date, an ordinal ("the 18th"), a
    reference, a time or a small count."""
    text = str(message.get("text") or "")
    numbers = {
        parse_amount(found.group(0))
        for found in _BARE_NUMBER.finditer(text)
        if not _identity_digits(message, found.start()) and not _ENDS_WITH_MONTH.search(text[: found.start()])
    }
    amount = numbers.pop() if len(numbers) == 1 else None
    return str(amount) if amount is not None and amount >= MIN_BARE_AMOUNT else None


def offered_amount(message: dict[str, Any]) -> str | None:
    """The amount an offer names: the NLU's entity, else the message's one plain number."""
    return entity(message, c.ENTITY_AMOUNT) or bare_amount(message)


def intent_of(message: dict[str, Any]) -> str | None:
    """The message's intent; below the NLU threshold, the best guess Rasa keeps in the ranking."""
    intent = (message.get("intent") or {}).get("name")
    if intent != c.NLU_FALLBACK:
        return intent
    guesses = (r.get("name") for r in message.get("intent_ranking") or [] if r.get("name") != c.NLU_FALLBACK)
    return next(guesses, None)


def names_terms(message: dict[str, Any]) -> bool:
    """The message names an amount, a frequency or a date: it proposes terms, whatever else it says."""
    named = (entity(message, name) is not None for name in (c.ENTITY_FREQUENCY, c.ENTITY_DATE))
    return offered_amount(message) is not None or any(named)


def states_hardship(message: dict[str, Any]) -> bool:
    """The message says times are hard ("i lost my job, can i pay 20 a month" is financial_hardship too)."""
    return intent_of(message) == c.FINANCIAL_HARDSHIP


def hardship_applies(tracker: Tracker, message: dict[str, Any]) -> bool:
    """Hardship, once stated (or offered by the bot), judges every offer for the rest of the conversation."""
    return bool(tracker.get_slot(c.SLOT_HARDSHIP)) or states_hardship(message)


def says_settlement(message: dict[str, Any]) -> bool:
    """The words ask to settle ("would you take 400 to settle the whole thing?"), whatever the intent read
    first (a paragraph about surgery and lost work with an offer in it reads as hardship)."""
    return SETTLEMENT_WORDS.search(str(message.get("text") or "")) is not None


def per_payment(message: dict[str, Any]) -> bool:
    """The same amount named for more than one payment ("how about 660 now and 660 next month"): instalments,
    whatever the intent read (a settlement at 0.60 on one model, countered as one: heldout14 512)."""
    text = str(message.get("text") or "")
    numbers = [parse_amount(found.group(0)) for found in _BARE_NUMBER.finditer(text)]
    return len(numbers) >= 2 and None not in numbers and len(set(numbers)) == 1


def _kind(intent: str | None, frequency: str | None, previous: Offer, settle: bool = False) -> str:
    """Settlement when offered as one; plan when asked for or given a frequency; else the kind discussed."""
    if intent == c.SETTLEMENT_OFFER:
        return "settlement"
    if intent == c.REQUEST_PAYMENT_PLAN or frequency:
        return "plan"
    return "settlement" if settle else str(previous.get("kind", "plan"))


def kind_of_offer(intent: str | None, frequency: str | None, previous: Offer, message: dict[str, Any]) -> str:
    """The kind of deal a message offers: a plan when it names one amount per payment, unless it says
    "settle" in words."""
    settle = says_settlement(message)
    if per_payment(message) and not settle:
        return "plan"
    return _kind(intent, frequency, previous, settle)


def offer_from_message(tracker: Tracker, message: dict[str, Any], timezone: str) -> Offer:
    """What the debtor proposed, completed from the terms under discussion ("weekly instead?")."""
    intent = intent_of(message)
    previous: Offer = tracker.get_slot(c.SLOT_PENDING_OFFER) or {}
    amount = parse_amount(offered_amount(message))
    frequency = parse_frequency(entity(message, c.ENTITY_FREQUENCY))
    kind = kind_of_offer(intent, frequency, previous, message)
    start = resolve_date(entity(message, c.ENTITY_DATE), timezone)
    same_kind = previous.get("kind") == kind
    if amount is None and frequency is None and same_kind:
        amount = previous.get("amount")  # "can i start on the 15th?" keeps the amount under discussion
    return {
        "kind": kind,
        "amount": str(amount) if amount is not None else None,
        "frequency": None
        if kind == "settlement"
        else frequency or (previous.get("frequency") if same_kind else None),
        "start_date": start.isoformat() if start else (previous.get("start_date") if same_kind else None),
        "hardship": hardship_applies(tracker, message),
    }


def hardship_plan_request() -> Offer:
    """The hardship plan offered before its terms are known ("I can look at a lower hardship plan")."""
    return {"kind": "plan", "amount": None, "frequency": "monthly", "start_date": None, "hardship": True}


def hardship_offer(message: dict[str, Any], timezone: str) -> Offer:
    """A hardship statement asks for the hardship plan; an amount in it ("can i pay 20 a month") is the offer.

    Nothing is carried over from the terms on the table: the debtor just said those are out of reach. An
    amount offered "to settle" is a hardship settlement offer.
    """
    amount = parse_amount(offered_amount(message))
    start = resolve_date(entity(message, c.ENTITY_DATE), timezone)
    frequency = parse_frequency(entity(message, c.ENTITY_FREQUENCY))
    settle = amount is not None and frequency is None and says_settlement(message)
    return {
        "kind": "settlement" if settle else "plan",
        "amount": str(amount) if amount is not None else None,
        "frequency": None if settle else frequency or "monthly",
        "start_date": start.isoformat() if start else None,
        "hardship": True,
    }


def names_other_terms(message: dict[str, Any], pending: Offer) -> bool:
    """A yes or no naming other terms ("yes... actually no, can i do 300") is a new offer, not an answer."""
    amount = parse_amount(offered_amount(message))
    frequency = parse_frequency(entity(message, c.ENTITY_FREQUENCY))
    other_amount = amount is not None and amount != parse_amount(pending.get("amount"))
    return other_amount or (frequency is not None and frequency != pending.get("frequency"))


def repeats_terms(message: dict[str, Any], pending: Offer) -> bool:
    """The offer names exactly the terms on the table ("yep 100 a month, lock it in" after $100 a month)."""
    amount = parse_amount(offered_amount(message))
    on_the_table = parse_amount(pending.get("amount"))
    return amount is not None and amount == on_the_table and not names_other_terms(message, pending)


def _terms_on_the_table(tracker: Tracker) -> Offer | None:
    pending: Offer | None = tracker.get_slot(c.SLOT_PENDING_OFFER)
    return pending if tracker.get_slot(c.SLOT_OFFER_PENDING) and pending else None


async def negotiate(dispatcher: CollectingDispatcher, ctx: Verified, offer: Offer) -> Events:
    """Evaluate an offer and answer with acceptance, the policy's counter-offer, or a referral.

    A hardship offer also keeps hardship for the rest of the conversation, however it was stated.
    """
    remembered = [SlotSet(c.SLOT_HARDSHIP, True)] if offer.get("hardship") else []
    return remembered + await _evaluate(dispatcher, ctx, offer)


async def negotiate_message(
    dispatcher: CollectingDispatcher, ctx: Verified, tracker: Tracker, message: dict[str, Any]
) -> Events:
    """Evaluate the offer a message makes, its dates read in the debtor's time zone."""
    status = await ctx.client.status(ctx.account_id)
    return await negotiate(dispatcher, ctx, offer_from_message(tracker, message, status.timezone))


async def evaluate_latest(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """Evaluate the offer the debtor's latest message makes, once verified."""
    message = tracker.latest_message
    return await run_verified(
        dispatcher, tracker, lambda ctx: negotiate_message(dispatcher, ctx, tracker, message)
    )


async def _evaluate(dispatcher: CollectingDispatcher, ctx: Verified, offer: Offer) -> Events:
    if offer["kind"] == "settlement" and offer["amount"] is None:
        dispatcher.utter_message(response=c.UTTER_ASK_SETTLEMENT_AMOUNT)
        return under_discussion(offer)
    if await collection_status(dispatcher, ctx) is None:
        return [SlotSet(c.SLOT_OFFER_PENDING, False)]
    evaluation = await ctx.client.evaluate_offer(
        ctx.account_id, ctx.grant, {**offer, "amount": offer["amount"] or "0"}
    )
    decision = evaluation.get("decision")
    if decision == "accept" and evaluation.get("offer") and offer["amount"] is not None:
        return _propose(dispatcher, c.UTTER_OFFER_ACCEPTABLE, evaluation["offer"])
    if decision in ("accept", "counter") and evaluation.get("counter_offers"):
        response = c.UTTER_COUNTER_OFFER if offer["amount"] is not None else c.UTTER_PLAN_OPTIONS
        counter = evaluation["counter_offers"][0]
        return _propose(dispatcher, response, counter, frequency_note(offer, counter))
    dispatcher.utter_message(response=c.UTTER_OFFER_REFERRED)
    return under_discussion(offer)


def under_discussion(offer: Offer) -> Events:
    """The kind of deal being talked about, with no terms yet: after "what would you offer to settle?" or
    a referred offer, the next amount ("how about 350", even put unclearly) is the next offer of that kind,
    a yes asks for the amount, a no closes the talk."""
    kind_only = {"kind": offer["kind"], "amount": None, "frequency": None, "start_date": None}
    pending = {**kind_only, "hardship": bool(offer.get("hardship"))}
    return [SlotSet(c.SLOT_PENDING_OFFER, pending), SlotSet(c.SLOT_OFFER_PENDING, True)]


def frequency_note(offer: Offer, counter: dict[str, Any]) -> str:
    """Why a counter is in another frequency than the one asked for ("30 every two weeks" answered with a
    monthly plan three times, the debtor never told that the creditor takes monthly plans only: heldout15
    519); nothing when it is the same."""
    asked, given = offer.get("frequency"), counter.get("frequency")
    if not asked or not given or asked == given or counter.get("kind") == "settlement":
        return ""
    return f"; plans on this account are paid {FREQUENCY_WORDS.get(str(given), str(given))} only"


FREQUENCY_WORDS: Final = {"monthly": "monthly", "biweekly": "every two weeks", "weekly": "weekly"}


def _propose(
    dispatcher: CollectingDispatcher, response: str, terms: dict[str, Any], note: str = ""
) -> Events:
    dispatcher.utter_message(response=response, terms=describe_terms(terms) + note)
    pending = {key: terms.get(key) for key in ("kind", "amount", "frequency", "start_date")}
    pending["hardship"] = bool(terms.get("hardship", False))
    return [SlotSet(c.SLOT_PENDING_OFFER, pending), SlotSet(c.SLOT_OFFER_PENDING, True)]


def idempotency_key(tracker: Tracker, offer: Offer) -> str:
    """The same conversation accepting the same terms twice creates one plan."""
    material = json.dumps({"conversation": tracker.sender_id, **offer}, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


ON_THE_TABLE_CHOICES: Final = [
    {"title": "Yes, those terms work", "payload": f"/{c.AFFIRM}"},
    {"title": "No, I'd like other terms", "payload": "/deny"},
    {"title": "Talk to a person", "payload": f"/{c.REQUEST_HUMAN}"},
]
"""What an unclear answer to terms on the table is offered instead of "say it another way"."""


class ActionEvaluateOffer(Action):
    """offer_payment / settlement_offer: "i can do 40 a month", "would you take 800 to close it".

    Also an unclear message while terms are on the table: an offer if it names terms, else the choices as
    buttons (yes, other terms, a person; numbered over SMS), never a bare "say it another way". An offer
    repeating the terms on the table is the yes to them.
    """

    def name(self) -> str:
        return c.ACTION_EVALUATE_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        message = tracker.latest_message
        if (message.get("intent") or {}).get("name") == c.NLU_FALLBACK and not names_terms(message):
            dispatcher.utter_message(response=c.UTTER_ASK_AFFIRMATION, buttons=ON_THE_TABLE_CHOICES)
            return []
        pending = _terms_on_the_table(tracker)
        if pending and repeats_terms(message, pending):
            return await run_verified(
                dispatcher, tracker, lambda ctx: _create(dispatcher, ctx, tracker, pending)
            )
        return await evaluate_latest(dispatcher, tracker)


class ActionPlanOptions(Action):
    """request_payment_plan: the lowest plan the policy allows, and an invitation to propose.

    A request that names terms ("yes but can we make it 350", "weekly payments?") is evaluated as that offer.
    """

    def name(self) -> str:
        return c.ACTION_PLAN_OPTIONS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if names_terms(tracker.latest_message):
            return await evaluate_latest(dispatcher, tracker)
        offer = plan_on_the_table(tracker) or {
            "kind": "plan",
            "amount": None,
            "frequency": "monthly",
            "start_date": None,
            "hardship": hardship_applies(tracker, tracker.latest_message),
        }
        return await run_verified(dispatcher, tracker, lambda ctx: negotiate(dispatcher, ctx, offer))


def plan_on_the_table(tracker: Tracker) -> Offer | None:
    """The plan waiting for a yes or no: asked about ("so what would the plan look like?"), it is said again,
    not replaced by the lowest plan the policy allows."""
    pending: Offer = tracker.get_slot(c.SLOT_PENDING_OFFER) or {}
    waiting = tracker.get_slot(c.SLOT_OFFER_PENDING) and pending.get("kind") == "plan"
    return pending if waiting and pending.get("amount") else None


def _new_offer_in_answer(tracker: Tracker) -> bool:
    """The yes or no names other terms, or there were no terms yet (the bot offered the hardship plan)."""
    pending: Offer = tracker.get_slot(c.SLOT_PENDING_OFFER) or {}
    return pending.get("amount") is None or names_other_terms(tracker.latest_message, pending)


class ActionAcceptOffer(Action):
    """affirm while terms are on the table: create the plan (idempotently) and confirm its schedule.

    A yes that names other terms ("yes but 300") is evaluated as the new offer it is; a yes to the bare
    offer of a hardship plan gets that plan's terms for a last yes/no.
    """

    def name(self) -> str:
        return c.ACTION_ACCEPT_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        pending = _terms_on_the_table(tracker)
        if pending is None:
            dispatcher.utter_message(response=c.UTTER_NOTHING_PENDING)
            return []
        if _new_offer_in_answer(tracker):
            return await evaluate_latest(dispatcher, tracker)
        return await run_verified(dispatcher, tracker, lambda ctx: _create(dispatcher, ctx, tracker, pending))


def first_payment(terms: dict[str, Any], pending: Offer) -> str | None:
    """The amount due first under the agreed terms: the instalment or the settlement amount."""
    amount = terms.get("amount") or pending.get("amount")
    return str(amount) if amount else None


async def _create(
    dispatcher: CollectingDispatcher, ctx: Verified, tracker: Tracker, pending: Offer
) -> Events:
    """Create the accepted plan or settlement and send the link to pay it."""
    try:
        plan = await ctx.client.create_plan(
            ctx.account_id, ctx.grant, pending, idempotency_key(tracker, pending)
        )
    except OfferRejected:
        dispatcher.utter_message(response=c.UTTER_OFFER_NO_LONGER_AVAILABLE)
        return [SlotSet(c.SLOT_OFFER_PENDING, False)]
    # The page suggests what was just agreed (the first instalment, or the settlement), not the balance.
    link = await ctx.client.payment_link(ctx.account_id, ctx.grant, first_payment(plan["terms"], pending))
    response = c.UTTER_SETTLEMENT_CREATED if pending.get("kind") == "settlement" else c.UTTER_PLAN_CREATED
    dispatcher.utter_message(response=response, terms=describe_terms(plan["terms"]), url=link["url"])
    return [SlotSet(c.SLOT_OFFER_PENDING, False), SlotSet(c.SLOT_PENDING_OFFER, None)]


class ActionDeclineOffer(Action):
    """deny while terms are on the table: invite the debtor's own proposal.

    A no that names other terms ("no, can i do 300") is that offer; a no to the bare offer of a hardship
    plan asks nothing more about money; a no the debtor says more after, in the same message, asks nothing:
    the rest says what they want ("no, too much. forget it, I'll just pay the full thing, send the link over"
    was asked what amount they could manage before the link came, heldout25 862).
    """

    def name(self) -> str:
        return c.ACTION_DECLINE_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        pending: Offer = tracker.get_slot(c.SLOT_PENDING_OFFER) or {}
        if pending and names_other_terms(tracker.latest_message, pending):
            return await evaluate_latest(dispatcher, tracker)
        if pending and pending.get("amount") is None:
            dispatcher.utter_message(response=c.UTTER_NOTHING_PENDING)
            return [SlotSet(c.SLOT_OFFER_PENDING, False), SlotSet(c.SLOT_PENDING_OFFER, None)]
        if not tracker.latest_message.get(MORE_FOLLOWS):
            dispatcher.utter_message(response=c.UTTER_ASK_OTHER_OFFER)
        return [SlotSet(c.SLOT_OFFER_PENDING, False)]
