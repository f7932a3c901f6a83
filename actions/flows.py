"""What to do once a debtor is verified, for each request that needed verification first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rasa_sdk.events import FollowupAction, SlotSet

from actions import constants as c
from actions.balance import disclose_balance
from actions.circumstances import hardship_options
from actions.disputes import dispute_for_review, send_validation
from actions.guards import Events, run_verified
from actions.negotiation import negotiate_message
from actions.parsing import corrects_a_date, parse_past_date, resolve_date
from actions.payments import claim_facts, day_paid_said, send_payment_link
from shared.questions import TIME_FROM_NOW
from shared.rest_of_it import rest_with_a_day

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher


async def _payment_link(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]
) -> Events:
    return await run_verified(dispatcher, tracker, lambda ctx: send_payment_link(dispatcher, ctx))


async def _offer(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    # A yes that needed verification first (to the hardship plan offered before it) is asked again here.
    return await run_verified(
        dispatcher, tracker, lambda ctx: negotiate_message(dispatcher, ctx, tracker, request)
    )


async def _validation(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    return await run_verified(dispatcher, tracker, lambda ctx: send_validation(dispatcher, ctx))


async def _hardship(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    return await run_verified(dispatcher, tracker, lambda ctx: hardship_options(dispatcher, ctx, request))


async def _dispute(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    return await dispute_for_review(dispatcher, tracker, request.get("text") or "")


async def _consequences(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]
) -> Events:
    # "dob 11/30/78 zip 94110, can you people sue me over this?": verified, the balance, and the question
    # had gone unanswered (session 33, tried as a new user)
    dispatcher.utter_message(response=c.UTTER_CREDIT_REPORTING)
    return []


def last_entity(message: dict[str, Any], name: str) -> str | None:
    """The last usable value of an entity: "can't on Friday, can I do Monday?" proposes Monday, and in
    "200 on the 18th and the rest after" the stray "after" is no date."""
    usable = usable_entities(message, name)
    return usable[-1] if usable else None


def usable_entities(message: dict[str, Any], name: str) -> list[str]:
    """The entity's values in the message, in order; for a date only those that read as one."""
    values = [str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == name]
    return [v for v in values if name != c.ENTITY_DATE or reads_as_date(v)]


def reads_as_date(text: str) -> bool:
    """A date in either direction ("the 18th", "last friday"), whatever the debtor's zone."""
    return resolve_date(text, "UTC") is not None or parse_past_date(text) is not None


def given(request: dict[str, Any], name: str) -> str | None:
    """What the debtor said for an entity: its last value; for a date corrected in the message, the whole text
    ("i can pay the whole thing on the 20th.. no wait make it the 18th" had marked only the 20th); for a date
    the NLU did not mark, a time from now in the words ("I can put 300 towards it in a week": heldout17 597
    was asked which day)."""
    text = str(request.get("text") or "")
    if name != c.ENTITY_DATE:
        return last_entity(request, name)
    if corrects_a_date(text):
        return text
    if rest_with_a_day(text):  # "150 next friday and the rest by the end of the month": the first
        return next(iter(usable_entities(request, name)), None)
    later = TIME_FROM_NOW.search(text)
    return last_entity(request, name) or (WITHIN.sub("in", later.group(0)) if later else None)


WITHIN = re.compile(r"^within\b", re.IGNORECASE)
"""Read as "in": the day at the end of the time ("within a week" is a promise for a week from today)."""


def _form(name: str, request: dict[str, Any], slots: dict[str, str]) -> Events:
    """Start a form with what the debtor already said before verification (the form validates it on
    activation, so a volunteered date or amount is used, not asked for again)."""
    given_slots = ((slot, given(request, key)) for slot, key in slots.items())
    return [*(SlotSet(slot, value) for slot, value in given_slots if value), FollowupAction(name)]


async def _promise(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    slots = {c.SLOT_PROMISE_DATE: "date", c.SLOT_PROMISE_AMOUNT: "amount"}
    return _form(c.FORM_PROMISE, request, slots)


async def _claim(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
    events = _form(c.FORM_CLAIM, request, {c.SLOT_CLAIM_DATE: "date", c.SLOT_CLAIM_AMOUNT: "amount"})
    named = {e.get("name") for e in events}
    in_words = None if c.SLOT_CLAIM_DATE in named else day_paid_said(str(request.get("text") or ""))
    events = [SlotSet(c.SLOT_CLAIM_DATE, in_words), *events] if in_words else events
    said = claim_facts(request, tracker)
    facts = [SlotSet(slot, value) for slot, value in said.items() if slot not in named]
    # "I already paid this in october" names no day to check against: the form asks when, exactly.
    kept = [e for e in events if not (e.get("name") == c.SLOT_CLAIM_DATE and not names_a_day(e["value"]))]
    return [*facts, *kept]


def names_a_day(text: str) -> bool:
    """A date precise enough to find a payment by: a number or a named day, not just a month."""
    return bool(re.search(r"\d|day\b|tonight", text.lower()))


def _balance_then(
    second: Callable[[CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[Events]],
) -> Callable[[CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[Events]]:
    """Two requests in one message ("what's the total and send me a link"), answered in order."""

    async def both(dispatcher: CollectingDispatcher, tracker: Tracker, request: dict[str, Any]) -> Events:
        return [*await disclose_balance(dispatcher, tracker), *await second(dispatcher, tracker, request)]

    return both


FOLLOW_ON: dict[str, Callable[[CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[Events]]] = {
    c.MAKE_PAYMENT: _payment_link,
    c.REQUEST_PAYMENT_PLAN: _offer,
    c.OFFER_PAYMENT: _offer,
    c.SETTLEMENT_OFFER: _offer,
    c.AFFIRM: _offer,
    c.REQUEST_VALIDATION: _validation,
    c.FINANCIAL_HARDSHIP: _hardship,
    c.DISPUTE_DEBT: _dispute,
    c.PROMISE_TO_PAY: _promise,
    c.ALREADY_PAID: _claim,
    c.ASK_CREDIT_REPORTING: _balance_then(_consequences),
    c.BALANCE_AND_PAYMENT: _balance_then(_payment_link),
    c.BALANCE_AND_PLAN: _balance_then(_offer),
}
