"""Hardship, attorneys, bankruptcy, bereavement and opt-outs: record, answer once, stop collection talk."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions import constants as c
from actions.clients.accounts import AccountsClient
from actions.exceptions import AccountsApiError
from actions.guards import Events, Verified, run_verified
from actions.handoff import reason_for, start_handoff
from actions.negotiation import hardship_offer, negotiate

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

_FLAGS = {
    c.HAS_ATTORNEY: ("attorney", c.UTTER_FLAG_ATTORNEY),
    c.BANKRUPTCY: ("bankruptcy", c.UTTER_FLAG_BANKRUPTCY),
    c.DECEASED: ("deceased", c.UTTER_FLAG_DECEASED),
}


async def hardship_options(
    dispatcher: CollectingDispatcher, ctx: Verified, message: dict[str, Any]
) -> Events:
    """The debtor's own offer on hardship terms, else the lowest plan they allow; a person always on offer."""
    status = await ctx.client.status(ctx.account_id)
    events = await negotiate(dispatcher, ctx, hardship_offer(message, status.timezone))  # sets hardship
    dispatcher.utter_message(response=c.UTTER_HARDSHIP_OPTIONS)
    return events


class ActionHardshipOptions(Action):
    """financial_hardship, with or without an offer (after the empathy the rules send first)."""

    def name(self) -> str:
        return c.ACTION_HARDSHIP_OPTIONS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        message = tracker.latest_message
        return await run_verified(dispatcher, tracker, lambda ctx: hardship_options(dispatcher, ctx, message))


class ActionRecordFlag(Action):
    """has_attorney / bankruptcy / deceased: nothing to verify, nothing disclosed, collection stops."""

    def name(self) -> str:
        return c.ACTION_RECORD_FLAG

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        flag, response = _FLAGS.get(intent, ("cease_communication", c.UTTER_PAUSED_CEASE))
        account_id = tracker.get_slot(c.SLOT_ACCOUNT_ID)
        if account_id:
            try:
                await AccountsClient().record(account_id, "flags", {"flag": flag, "note": None})
            except AccountsApiError as error:
                # The answer still goes out; the conversation (and its audit trail) keeps the statement.
                logger.warning("flag not recorded", extra={"flag": flag, "error": type(error).__name__})
        dispatcher.utter_message(response=response)
        return [
            SlotSet(c.SLOT_COLLECTION_PAUSED, True),
            SlotSet(c.SLOT_OFFER_PENDING, False),
            *await start_handoff(tracker, reason_for(tracker), pause=False),  # a person follows up
        ]


class ActionOptOut(Action):
    """opt_out in words ("please stop texting me"): the same outcome as the STOP keyword."""

    def name(self) -> str:
        return c.ACTION_OPT_OUT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        channel = "sms" if tracker.get_latest_input_channel() == "twilio" else "webchat"
        try:
            await AccountsClient().opt_out(tracker.sender_id, channel)
        except AccountsApiError as error:
            # Never claim an opt-out we could not record: say how to make it stick instead.
            logger.warning("opt-out not recorded", extra={"channel": channel, "error": type(error).__name__})
            dispatcher.utter_message(response=c.UTTER_OPT_OUT_FAILED)
            return []
        dispatcher.utter_message(response=c.UTTER_OPTED_OUT)
        return [SlotSet(c.SLOT_OFFER_PENDING, False)]
