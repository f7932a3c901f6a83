"""Payment plans and settlements: the creditor's policy in the API decides, the bot never invents terms."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.exceptions import OfferRejected
from actions.formatting import describe_terms
from actions.guards import Events, Verified, collection_status, run_verified
from actions.parsing import parse_amount, parse_frequency, resolve_date

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

Offer = dict[str, Any]


def entity(message: dict[str, Any], name: str) -> str | None:
    """The first value of an entity in a parsed message."""
    return next((str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == name), None)


def offer_from_message(tracker: Tracker, message: dict[str, Any], timezone: str) -> Offer:
    """What the debtor proposed, completed from the terms under discussion ("weekly instead?")."""
    intent = (message.get("intent") or {}).get("name")
    previous: Offer = tracker.get_slot(c.SLOT_PENDING_OFFER) or {}
    kind = "settlement" if intent == c.SETTLEMENT_OFFER else previous.get("kind", "plan")
    amount = parse_amount(entity(message, c.ENTITY_AMOUNT))
    frequency = parse_frequency(entity(message, c.ENTITY_FREQUENCY))
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
        "hardship": bool(tracker.get_slot(c.SLOT_HARDSHIP)),
    }


async def negotiate(dispatcher: CollectingDispatcher, ctx: Verified, offer: Offer) -> Events:
    """Evaluate an offer and answer with acceptance, the policy's counter-offer, or a referral."""
    if offer["kind"] == "settlement" and offer["amount"] is None:
        dispatcher.utter_message(response=c.UTTER_ASK_SETTLEMENT_AMOUNT)
        return []
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
        return _propose(dispatcher, response, evaluation["counter_offers"][0])
    dispatcher.utter_message(response=c.UTTER_OFFER_REFERRED)
    return [SlotSet(c.SLOT_OFFER_PENDING, False), SlotSet(c.SLOT_PENDING_OFFER, None)]


def _propose(dispatcher: CollectingDispatcher, response: str, terms: dict[str, Any]) -> Events:
    dispatcher.utter_message(response=response, terms=describe_terms(terms))
    pending = {key: terms.get(key) for key in ("kind", "amount", "frequency", "start_date")}
    pending["hardship"] = bool(terms.get("hardship", False))
    return [SlotSet(c.SLOT_PENDING_OFFER, pending), SlotSet(c.SLOT_OFFER_PENDING, True)]


def idempotency_key(tracker: Tracker, offer: Offer) -> str:
    """The same conversation accepting the same terms twice creates one plan."""
    material = json.dumps({"conversation": tracker.sender_id, **offer}, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()


class ActionEvaluateOffer(Action):
    """offer_payment / settlement_offer: "i can do 40 a month", "would you take 800 to close it"."""

    def name(self) -> str:
        return c.ACTION_EVALUATE_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        async def flow(ctx: Verified) -> Events:
            status = await ctx.client.status(ctx.account_id)
            return await negotiate(
                dispatcher, ctx, offer_from_message(tracker, tracker.latest_message, status.timezone)
            )

        return await run_verified(dispatcher, tracker, flow)


class ActionPlanOptions(Action):
    """request_payment_plan: the lowest plan the policy allows, and an invitation to propose."""

    def name(self) -> str:
        return c.ACTION_PLAN_OPTIONS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        async def flow(ctx: Verified) -> Events:
            offer = {
                "kind": "plan",
                "amount": None,
                "frequency": "monthly",
                "start_date": None,
                "hardship": bool(tracker.get_slot(c.SLOT_HARDSHIP)),
            }
            return await negotiate(dispatcher, ctx, offer)

        return await run_verified(dispatcher, tracker, flow)


class ActionAcceptOffer(Action):
    """affirm while terms are on the table: create the plan (idempotently) and confirm its schedule."""

    def name(self) -> str:
        return c.ACTION_ACCEPT_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        pending: Offer | None = tracker.get_slot(c.SLOT_PENDING_OFFER)
        if not (tracker.get_slot(c.SLOT_OFFER_PENDING) and pending):
            dispatcher.utter_message(response=c.UTTER_NOTHING_PENDING)
            return []

        async def flow(ctx: Verified) -> Events:
            try:
                plan = await ctx.client.create_plan(
                    ctx.account_id, ctx.grant, pending, idempotency_key(tracker, pending)
                )
            except OfferRejected:
                dispatcher.utter_message(response=c.UTTER_OFFER_NO_LONGER_AVAILABLE)
                return [SlotSet(c.SLOT_OFFER_PENDING, False)]
            link = await ctx.client.payment_link(ctx.account_id, ctx.grant)
            response = (
                c.UTTER_SETTLEMENT_CREATED if pending.get("kind") == "settlement" else c.UTTER_PLAN_CREATED
            )
            dispatcher.utter_message(response=response, terms=describe_terms(plan["terms"]), url=link["url"])
            return [SlotSet(c.SLOT_OFFER_PENDING, False), SlotSet(c.SLOT_PENDING_OFFER, None)]

        return await run_verified(dispatcher, tracker, flow)


class ActionDeclineOffer(Action):
    """deny while terms are on the table: invite the debtor's own proposal."""

    def name(self) -> str:
        return c.ACTION_DECLINE_OFFER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        dispatcher.utter_message(response=c.UTTER_ASK_OTHER_OFFER)
        return [SlotSet(c.SLOT_OFFER_PENDING, False)]
