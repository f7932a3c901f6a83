"""choose_account: the debtor picked one of their accounts (actions/which_account.py asked): the
verification is carried over to it, and what they first asked is answered for that account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.guards import Events, Verified, run_verified
from actions.identity import continue_after_verification

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict


def chosen_reference(tracker: Tracker) -> str | None:
    """The reference the button (or a typed reference) named."""
    entities = tracker.latest_message.get("entities") or []
    values = [e.get("value") for e in entities if e.get("entity") == c.ENTITY_ACCOUNT_REF]
    return str(values[0]).strip().upper() if values and values[0] else None


async def switch_to(ctx: Verified, reference: str) -> dict[str, Any] | None:
    """The slots of the debtor's account with this reference, verified; None if it is not theirs."""
    accounts = await ctx.client.debtor_accounts(ctx.account_id, ctx.grant)
    target = next((a for a in accounts if a["reference"].upper() == reference), None)
    if target is None:
        return None
    if target["account_id"] == ctx.account_id:
        return {c.SLOT_ACCOUNT_REF: target["reference"]}
    grant = await ctx.client.exchange_grant(ctx.account_id, ctx.grant, target["account_id"])
    return {
        c.SLOT_ACCOUNT_ID: target["account_id"],
        c.SLOT_ACCOUNT_REF: target["reference"],
        c.SLOT_GRANT: grant,
    }


class ActionChooseAccount(Action):
    """choose_account: turn to the account chosen, then answer what the debtor first asked, for it."""

    def name(self) -> str:
        return c.ACTION_CHOOSE_ACCOUNT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        return await run_verified(
            dispatcher, tracker, lambda ctx: self._choose(dispatcher, tracker, ctx, domain)
        )

    @staticmethod
    async def _choose(
        dispatcher: CollectingDispatcher, tracker: Tracker, ctx: Verified, domain: DomainDict
    ) -> Events:
        reference = chosen_reference(tracker)
        slots = await switch_to(ctx, reference) if reference else None
        if slots is None:
            dispatcher.utter_message(response=c.UTTER_REFERENCE_NOT_FOUND)
            return []
        events = [SlotSet(name, value) for name, value in slots.items()]
        tracker.add_slots(events)
        return [*events, *await continue_after_verification(dispatcher, tracker, domain)]
