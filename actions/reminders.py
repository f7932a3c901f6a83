"""A reply to a reminder is answered as a reply to it: once verified, the debtor hears which payment the
reminder was about before the answer to what they asked ("I can't pay that on Friday").

api/campaigns puts the reminder on the tracker as the `last_reminder` slot (the reminder's response name);
the reminder itself said nothing about the debt, so this is the first time the date and amount are named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.formatting import long_date, money
from actions.guards import Events, Verified, run_verified, verified

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

CONTEXT: Final[dict[str, str]] = {
    "utter_reminder_due_soon": c.UTTER_ANSWERING_DUE_SOON,
    "utter_reminder_past_due": c.UTTER_ANSWERING_PAST_DUE,
    "utter_reminder_instalment_missed": c.UTTER_ANSWERING_INSTALMENT_MISSED,
    "utter_reminder_promise_followup": c.UTTER_ANSWERING_PROMISE_FOLLOWUP,
}
"""The reminder's response name -> what the bot says the reply is about."""


async def recall_reminder(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """Say which payment the reminder was about (once) to a verified debtor; nothing otherwise."""
    response = CONTEXT.get(tracker.get_slot(c.SLOT_LAST_REMINDER) or "")
    if response is None or verified(tracker) is None:
        return []
    return await run_verified(dispatcher, tracker, lambda ctx: _about(dispatcher, ctx, response))


async def _about(dispatcher: CollectingDispatcher, ctx: Verified, response: str) -> Events:
    balance = await ctx.client.balance(ctx.account_id, ctx.grant)
    dispatcher.utter_message(
        response=response, amount=money(balance.total, balance.currency), due_date=long_date(balance.due_date)
    )
    return [SlotSet(c.SLOT_LAST_REMINDER, None)]
