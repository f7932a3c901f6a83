"""Paying: a secure link (never card numbers in chat), promises to pay, and "i already paid" claims."""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions import constants as c
from actions.exceptions import AccountsApiError
from actions.fallback import A_PERSON
from actions.formatting import long_date, money
from actions.guards import Events, Verified, collection_status, run_verified, verified
from actions.history import last_answer, response_of, said_since_last_message
from actions.negotiation import bare_amount, offered_amount
from actions.parsing import corrects_a_date, parse_amount, parse_past_date, resolve_date, today_in
from shared.questions import LINK_ASKED, PAID_HOW
from shared.rest_of_it import rest_when
from shared.vocabulary import CLAIM_DETAILS_MAX

DEFAULT_TIMEZONE = "America/New_York"
"""Where a date is read when the debtor's own time zone is not known."""

if TYPE_CHECKING:
    from collections.abc import Callable

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)
Slots = dict[str, Any]


def date_slot(dispatcher: CollectingDispatcher, slot: str, value: date | None, invalid: str) -> Slots:
    """A form's date slot in ISO form; None, and the `invalid` response to the debtor, when none was read."""
    if value is None:
        dispatcher.utter_message(response=invalid)
    return {slot: value.isoformat() if value else None}


async def send_payment_link(dispatcher: CollectingDispatcher, ctx: Verified) -> Events:
    """Answer make_payment with the self-service link."""
    if await collection_status(dispatcher, ctx) is None:
        return []
    link = await ctx.client.payment_link(ctx.account_id, ctx.grant)
    dispatcher.utter_message(response=c.UTTER_PAYMENT_LINK, url=link["url"])
    return []


class ActionPaymentLink(Action):
    """make_payment: the link, and a day to pay said beside it is noted as a promise."""

    def name(self) -> str:
        return c.ACTION_PAYMENT_LINK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        async def flow(ctx: Verified) -> Events:
            link = await send_payment_link(dispatcher, ctx)
            await promise_beside_the_link(dispatcher, ctx, str(tracker.latest_message.get("text") or ""))
            return link

        return await run_verified(dispatcher, tracker, flow)


PAYING_ON_A_DAY: Final = re.compile(
    r"\b(?:i'?ll|ill|i will|i can|i could|gonna|going to|i'?m going to|will)\s+(?:\w+\s+)?pay\b",
    re.IGNORECASE,
)
"""Words of paying later: "can u send the link, ill pay thurs"."""


async def promise_beside_the_link(dispatcher: CollectingDispatcher, ctx: Verified, text: str) -> None:
    """A day after today the debtor says they will pay on, beside asking for the link, is a promise: the link
    alone had been sent and Thursday forgotten. Today ("send me the link and i'll pay it tonight") is the
    link."""
    if not PAYING_ON_A_DAY.search(text):
        return
    zone = await debtor_timezone(ctx)
    day = resolve_date(text, zone)
    if day is not None and day > today_in(zone):
        await record_promise(dispatcher, ctx, day.isoformat(), None, corrects=False)


class ValidatePromiseForm(FormValidationAction):
    """promise_to_pay: resolve the date in the debtor's time zone; the API holds the limits."""

    def name(self) -> str:
        return c.ACTION_VALIDATE_PROMISE

    async def validate_promise_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        zone = await debtor_timezone(verified(tracker))
        promised = date_read(value, tracker, lambda said: resolve_date(said, zone))
        if promised is None and said_since_last_message(tracker, c.UTTER_INVALID_PROMISE_DATE):
            # A second answer that is no date ("zelle from my chase account, confirmation 7XK2P9"): the form
            # ends with a way forward rather than asking the same question a third time.
            dispatcher.utter_message(response=c.UTTER_PROMISE_DATE_LATER)
            return {c.SLOT_PROMISE_DATE: None, REQUESTED_SLOT: None}
        return date_slot(dispatcher, c.SLOT_PROMISE_DATE, promised, c.UTTER_INVALID_PROMISE_DATE)

    async def validate_promise_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        amount = parse_amount(str(value or ""))
        return {c.SLOT_PROMISE_AMOUNT: str(amount) if amount else None}


def date_said(value: Any, tracker: Tracker) -> str:
    """The text to read a date from: the slot's value, or the whole message when it named several dates
    ("wait sorry, the 18th not the 15th. they pushed payday back this month": Rasa fills the slot with one
    of them; actions.parsing reads the one the debtor keeps)."""
    dates = [e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == c.ENTITY_DATE]
    text = str(tracker.latest_message.get("text") or "")
    if text and (len({str(e.get("value")) for e in dates}) > 1 or corrects_a_date(text)):
        return text
    return str(value or "")


def date_read(value: Any, tracker: Tracker, read: Callable[[str], date | None]) -> date | None:
    """The date `read` finds in what was said, else in the whole message: the NLU sometimes marks part of a
    date ("the" of "the 18th", so "I couldn't read that as a future date" after "the 18th")."""
    said, text = date_said(value, tracker), str(tracker.latest_message.get("text") or "")
    found = read(said)
    return found if found is not None or said == text or not text else read(text)


async def debtor_timezone(ctx: Verified | None) -> str:
    """The debtor's time zone, or the default when unverified or the API cannot say: the date is only read
    here; recording it (action_record_promise) answers an API outage gracefully, so the form must not fail."""
    if ctx is None:
        return DEFAULT_TIMEZONE
    try:
        return (await ctx.client.status(ctx.account_id)).timezone
    except AccountsApiError as error:
        logger.warning(
            "time zone unavailable, reading the date in the default", extra={"error": type(error).__name__}
        )
        return DEFAULT_TIMEZONE


CORRECTION: re.Pattern[str] = re.compile(
    r"\b(scratch that|actually|instead|make it|change (it|that|the date)|on second thought|i meant|correction"
    r"|no wait)\b",
    re.IGNORECASE,
)
"""Words that take back what was just said ("wait actually scratch that, make it one week from today")."""
BARE_DATE: re.Pattern[str] = re.compile(r"^\s*(?:on |by )?\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\s*[.!]?\s*$")


def messages_since_promise(tracker: Tracker) -> list[str] | None:
    """The debtor's messages since a promise was last recorded in this session; None when none was."""
    texts: list[str] = []
    for event in reversed(tracker.events):
        kind, said = event.get("event"), (event.get("metadata") or {}).get("utter_action")
        if kind == "session_started":
            return None
        if kind == "user":
            texts.append(str(event.get("text") or ""))
        elif kind == "bot" and said == c.UTTER_PROMISE_RECORDED:
            return texts
    return None


def corrects_promise(tracker: Tracker) -> bool:
    """The promise being made takes back the one recorded earlier in this session: the debtor said so
    ("scratch that", "make it ... instead"); a second promise without such words stands beside the first."""
    texts = messages_since_promise(tracker) or []
    just_a_date = len(texts) == 1 and BARE_DATE.match(texts[0]) is not None  # "12/18" right after it
    return just_a_date or any(CORRECTION.search(text) for text in texts)


MONTH_ONLY: re.Pattern[str] = re.compile(
    r"^\W*(?:(?:in|by|during|sometime in|some ?time in|early|mid|late|end of|the end of)\s+)*"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\W*$",
    re.IGNORECASE,
)
"""'in january': a month is not yet a day, so the day is asked rather than guessed."""


def rest_asked(tracker: Tracker) -> bool:
    """Between the debtor's last two messages the bot asked when the rest will be paid."""
    return said_since_last_message(tracker, c.UTTER_ASK_PROMISE_REST)


def rest_amount(tracker: Tracker) -> str | None:
    """The amount of a promise of "the rest": what was left after the last promise, when this message is
    about it (it says "the rest", or it answers the question of which day)."""
    left, text = tracker.get_slot(c.SLOT_PROMISE_REST), str(tracker.latest_message.get("text") or "")
    return str(left) if left and (rest_when(text) is not None or rest_asked(tracker)) else None


class ActionRecordPromise(Action):
    """After the promise form: record the promise (replacing the one just made when the debtor corrects
    it); the API refuses dates past the policy window. A promise of part of the total keeps what is left,
    and "... and the rest on Jan 20" in the same message promises that too (or asks the day)."""

    def name(self) -> str:
        return c.ACTION_RECORD_PROMISE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        promised, rest = tracker.get_slot(c.SLOT_PROMISE_DATE), rest_amount(tracker)
        amount = rest or tracker.get_slot(c.SLOT_PROMISE_AMOUNT)
        cleared = [SlotSet(c.SLOT_PROMISE_DATE, None), SlotSet(c.SLOT_PROMISE_AMOUNT, None)]

        async def flow(ctx: Verified) -> Events:
            if not promised or await collection_status(dispatcher, ctx) is None:
                return cleared
            corrects = rest is None and corrects_promise(tracker)
            if not await record_promise(dispatcher, ctx, promised, amount, corrects):
                ask_the_rest_again(dispatcher, rest)
                return cleared
            # The promise answers terms the bot had offered (the support message's hardship plan): a "yes
            # Thursday" after it confirms the promise, it does not accept that plan.
            settled = [SlotSet(c.SLOT_OFFER_PENDING, False), SlotSet(c.SLOT_PENDING_OFFER, None)]
            left = None if rest else await what_is_left(ctx, amount)
            text = promise_words(tracker)
            the_rest = await promise_the_rest(dispatcher, ctx, (promised, left), text)
            link = await send_payment_link(dispatcher, ctx) if LINK_ASKED.search(text) else []
            return [*cleared, *settled, *the_rest, *link]

        return await run_verified(dispatcher, tracker, flow)


def promise_words(tracker: Tracker) -> str:
    """The words of the promise being recorded: the latest message, or, when that message is the identity
    facts that verified the debtor, the promise they made before it ("I can pay 150 next friday and the rest
    by the end of the month", then the birth date: the rest was never asked about, heldout32 1081)."""
    latest = tracker.latest_message
    if not only_facts(latest):
        return str(latest.get("text") or "")
    said = [e for e in tracker.events if e.get("event") == "user"][:-1]
    asked = [e for e in said if not only_facts(e.get("parse_data") or {})]
    return str((asked[-1] if asked else latest).get("text") or "")


def only_facts(parse_data: dict[str, Any]) -> bool:
    """A message of identity facts asking for nothing beside them (channels/segments.py keeps a request)."""
    return (parse_data.get("intent") or {}).get("name") == c.INFORM_IDENTITY and not parse_data.get("request")


async def record_promise(
    dispatcher: CollectingDispatcher, ctx: Verified, promised: str, amount: str | None, corrects: bool
) -> bool:
    """Record a promise and say so; False (and the latest date allowed said) when the API refuses it.
    The amount goes as a number: a slot filled from the debtor's words before verification ("$400")
    never passed the form's validation."""
    promised_amount = parse_amount(amount) if amount else None
    body = {"date": promised, "amount": None if promised_amount is None else str(promised_amount)}
    response = await ctx.client.record_promise(
        ctx.account_id, ctx.grant, {**body, **({"corrects_latest": True} if corrects else {})}
    )
    if response.status_code == 422:
        latest = latest_date_allowed(response.json())
        dispatcher.utter_message(
            response=c.UTTER_PROMISE_TOO_FAR,
            latest=long_date(date.fromisoformat(latest)) if latest else "soon",
        )
        return False
    response.raise_for_status()
    what = f"{money(promised_amount)} " if promised_amount else ""
    dispatcher.utter_message(
        response=c.UTTER_PROMISE_RECORDED, what=what, date=long_date(date.fromisoformat(promised))
    )
    return True


def latest_date_allowed(refusal: Any) -> str | None:
    """The latest promise date the API allows, from its 422 (None when the refusal is not about the date,
    e.g. a validation error's list of problems)."""
    detail = refusal.get("detail") if isinstance(refusal, dict) else None
    return detail.get("latest_date") if isinstance(detail, dict) else None


async def what_is_left(ctx: Verified, amount: str | None) -> Decimal | None:
    """The total less a promise of part of it; None for a promise of no amount or of all of it."""
    promised = parse_amount(amount) if amount else None
    if promised is None:
        return None
    left = (await ctx.client.balance(ctx.account_id, ctx.grant)).total - promised
    return left if left > 0 else None


async def promise_the_rest(
    dispatcher: CollectingDispatcher, ctx: Verified, first: tuple[str, Decimal | None], text: str
) -> Events:
    """What is left after a promise: promised too when the message names its day after the first one, its
    day asked when it names only a month or none; kept (promise_rest) for the answer or a later "the rest
    on ..."."""
    promised, left = first
    when = rest_when(text)
    keep = [SlotSet(c.SLOT_PROMISE_REST, str(left) if left else None)]
    if left is None or when is None:
        return keep
    day = None if MONTH_ONLY.match(when) else resolve_date(when, await debtor_timezone(ctx))
    if day is None or day <= date.fromisoformat(promised):
        dispatcher.utter_message(response=c.UTTER_ASK_PROMISE_REST, amount=money(left))
        return keep  # the day that answers it is a promise (channels/guards.py), of the rest (rest_amount)
    if not await record_promise(dispatcher, ctx, day.isoformat(), str(left), corrects=False):
        ask_the_rest_again(dispatcher, str(left))
        return keep
    return [SlotSet(c.SLOT_PROMISE_REST, None)]


def ask_the_rest_again(dispatcher: CollectingDispatcher, rest: str | None) -> None:
    """After a day for the rest refused as too far: the rest stays to promise and its day is asked again,
    so the next day the debtor names ("jan 2 then") is a promise of the rest, not one of no amount."""
    if rest is not None:
        dispatcher.utter_message(response=c.UTTER_ASK_PROMISE_REST, amount=money(Decimal(rest)))


def details_of_the_claim(tracker: Tracker) -> bool:
    """A message right after a claim was passed on that names no day paid is more about that payment
    ("personal check, number 1047, it cleared my bank": the form had asked again when it was paid, heldout14
    498): it is kept with the claim, not made another one."""
    said = last_answer(tracker)
    text = str(tracker.latest_message.get("text") or "")
    # a day named in words, not "check 1047" (which the date parser reads as a year)
    another_day = _DATE_WORDS.search(text) is not None and parse_past_date(text) is not None
    return said is not None and response_of(said) == c.UTTER_CLAIM_RECORDED and not another_day


class ValidatePaymentClaimForm(FormValidationAction):
    """already_paid: when, how much, and how, so the team can find the payment."""

    def name(self) -> str:
        return c.ACTION_VALIDATE_CLAIM

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return [] if details_of_the_claim(tracker) else domain_slots

    async def validate_claim_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        paid_on = date_read(value, tracker, parse_past_date)
        if paid_on is None and said_since_last_message(tracker, c.UTTER_INVALID_CLAIM_DATE):
            # A second answer that is no date ("ok how much is it and can i split it in 3", then an opt-out,
            # each met with the same question): the form ends with a person offered, and what the debtor
            # says next is read for itself.
            dispatcher.utter_message(response=c.UTTER_OFFER_PERSON_AFTER_MISSES, buttons=A_PERSON)
            return {c.SLOT_CLAIM_DATE: None, REQUESTED_SLOT: None}
        slots = date_slot(dispatcher, c.SLOT_CLAIM_DATE, paid_on, c.UTTER_INVALID_CLAIM_DATE)
        return {**slots, **(said_with_the_date(tracker) if paid_on else {})}

    async def validate_claim_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        message, text = tracker.latest_message, str(tracker.latest_message.get("text") or "")
        if is_a_date(text) and not carried_over(value, text):  # "october 28": the date, not $28
            return {c.SLOT_CLAIM_AMOUNT: bare_amount(message)}  # "nov 20, the full 665": 665
        said = offered_amount(message) if str(value or "").strip() == text.strip() else str(value or "")
        amount = parse_amount(said)  # the whole text: its amount, never a confirmation number's digits
        if amount is None:
            dispatcher.utter_message(response=c.UTTER_INVALID_AMOUNT)
        return {c.SLOT_CLAIM_AMOUNT: str(amount) if amount else None}

    async def validate_claim_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text = " ".join(str(value or "").split())[:80]
        if is_only_an_amount(text):  # "300 bucks" answers how much, not how: kept, and "how" asked again
            amount = tracker.get_slot(c.SLOT_CLAIM_AMOUNT) or str(parse_amount(text))
            return {c.SLOT_CLAIM_METHOD: None, c.SLOT_CLAIM_AMOUNT: amount}
        return {c.SLOT_CLAIM_METHOD: text or None}


def carried_over(value: Any, text: str) -> bool:
    """A slot value the latest message does not hold: said before verification ("sent the full 665 on dec 2"),
    the latest message being the birth date and ZIP ("07/02/1990, 60601", itself read as a date)."""
    said = str(value or "").strip()
    return bool(said) and re.search(rf"(?<![\d.]){re.escape(said)}(?!\d)", text) is None


def said_with_the_date(tracker: Tracker) -> Slots:
    """How much and how, when the message giving the date says them ("It was nov 20. I paid the full 665
    with my visa debit": Rasa fills only the date, so both were asked again)."""
    return claim_facts(tracker.latest_message, tracker)


def claim_facts(message: dict[str, Any], tracker: Tracker) -> Slots:
    """How much and how a message about a payment made says, for the slots not filled yet (also for a claim
    made before verification: "sent the full 665 on dec 2 through zelle" was asked how much, then how)."""
    text = " ".join(str(message.get("text") or "").split())
    amount = parse_amount(offered_amount(message))
    slots: Slots = {}
    if amount is not None and not tracker.get_slot(c.SLOT_CLAIM_AMOUNT):
        slots[c.SLOT_CLAIM_AMOUNT] = str(amount)
    if PAID_HOW.search(text) and not tracker.get_slot(c.SLOT_CLAIM_METHOD):
        slots[c.SLOT_CLAIM_METHOD] = text[:80]
    return slots


_DATE_WORDS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{1,2}/\d{1,2}\b|"
    r"\b(mon|tues?|wed|thu|thurs|fri|sat|sun)[a-z]*day\b|\b(yesterday|today|last week|last month)\b",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(r"[$]|\b(dollars?|bucks|usd)\b", re.IGNORECASE)


CLAIM_LOOKBACK_DAYS: Final = 400
"""A day paid said before verification is at most this old: an older date in the message is a birth date."""


def day_paid_said(text: str, today: date | None = None) -> str | None:
    """The day a payment claim names in words when the NLU marked none ("I paid this in full, $665 by Zelle on
    November 28": the day was marked as a birth date, and the claim form asked when it was paid, heldout32
    1065), as an ISO date; None without one, or for a day long past (a birth date)."""
    today = today or date.today()
    paid_on = parse_past_date(text, today) if _DATE_WORDS.search(text) else None
    recent = paid_on is not None and (today - paid_on).days <= CLAIM_LOOKBACK_DAYS
    return paid_on.isoformat() if paid_on is not None and recent else None


def is_only_an_amount(text: str) -> bool:
    """An answer that names money and no way of paying ("300 bucks", "$300")."""
    return parse_amount(text) is not None and not PAID_HOW.search(text) and len(text.split()) <= 4


def is_a_date(text: str) -> bool:
    """A message that is a date ("october 28", "10/28") and names no money: its number is no amount."""
    return (
        bool(_DATE_WORDS.search(text)) and not _MONEY_WORDS.search(text) and parse_past_date(text) is not None
    )


class ActionRecordClaim(Action):
    """After the claim form: record it for review; the debtor hears what happens next."""

    def name(self) -> str:
        return c.ACTION_RECORD_CLAIM

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        claim = {
            "paid_on": tracker.get_slot(c.SLOT_CLAIM_DATE),
            "amount": tracker.get_slot(c.SLOT_CLAIM_AMOUNT),
            "method": tracker.get_slot(c.SLOT_CLAIM_METHOD),
        }

        details = {"text": str(tracker.latest_message.get("text") or "")[:CLAIM_DETAILS_MAX]}
        added = details_of_the_claim(tracker) and not any(claim.values())

        async def flow(ctx: Verified) -> Events:
            if added:
                await ctx.client.record(ctx.account_id, "payment-claims/latest/details", details)
            else:
                await ctx.client.record(ctx.account_id, "payment-claims", claim)
            dispatcher.utter_message(response=c.UTTER_CLAIM_RECORDED)
            return [
                SlotSet(c.SLOT_CLAIM_DATE, None),
                SlotSet(c.SLOT_CLAIM_AMOUNT, None),
                SlotSet(c.SLOT_CLAIM_METHOD, None),
            ]

        return await run_verified(dispatcher, tracker, flow)
