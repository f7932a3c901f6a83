"""Balance disclosure: itemized, and only ever to a debtor this conversation has verified."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import FollowupAction, SlotSet

from actions import constants as c
from actions.clients.accounts import AccountsClient, Balance
from actions.exceptions import AccountsApiError, GrantRejected
from actions.formatting import long_date, money

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


def balance_message_kwargs(balance: Balance) -> dict[str, str]:
    """The values utter_balance fills in, formatted for SMS."""
    return {
        "creditor": balance.creditor,
        "original_creditor": balance.original_creditor,
        "reference": balance.reference,
        "principal": money(balance.principal, balance.currency),
        "interest": money(balance.interest, balance.currency),
        "fees": money(balance.fees, balance.currency),
        "total": money(balance.total, balance.currency),
        "due_date": long_date(balance.due_date),
    }


async def disclose_balance(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Tell a verified debtor the balance; anyone else hears nothing about the debt."""
    account_id, grant = tracker.get_slot(c.SLOT_ACCOUNT_ID), tracker.get_slot(c.SLOT_GRANT)
    if not (tracker.get_slot(c.SLOT_VERIFIED) and account_id and grant):
        dispatcher.utter_message(response=c.UTTER_NEED_VERIFICATION)
        return [FollowupAction(c.FORM_IDENTITY)]
    try:
        balance = await AccountsClient().balance(account_id, grant)
    except GrantRejected:
        dispatcher.utter_message(response=c.UTTER_VERIFICATION_EXPIRED)
        return [SlotSet(c.SLOT_VERIFIED, False), SlotSet(c.SLOT_GRANT, None), FollowupAction(c.FORM_IDENTITY)]
    except AccountsApiError as error:
        logger.warning("balance unavailable", extra={"error": type(error).__name__})
        dispatcher.utter_message(response=c.UTTER_SERVICE_UNAVAILABLE)
        return []
    dispatcher.utter_message(response=c.UTTER_BALANCE, **balance_message_kwargs(balance))
    return []


class ActionShowBalance(Action):
    """Answer check_balance."""

    def name(self) -> str:
        return c.ACTION_SHOW_BALANCE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await disclose_balance(dispatcher, tracker)
