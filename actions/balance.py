"""Balance disclosure: itemized, and only ever to a debtor this conversation has verified."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import FollowupAction, SlotSet

from actions import constants as c
from actions.clients.accounts import AccountsClient, Balance
from actions.exceptions import AccountsApiError, GrantRejected
from actions.formatting import long_date, money
from actions.parsing import today_in

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


def balance_response(balance: Balance, today: date) -> str:
    """The past-due wording once the due date is behind the debtor's today: "by Dec 1" on Dec 4 misleads."""
    return c.UTTER_BALANCE_PAST_DUE if balance.due_date < today else c.UTTER_BALANCE


def balance_message_kwargs(balance: Balance) -> dict[str, str]:
    """The values utter_balance (and its past-due twin) fill in, formatted for SMS."""
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
    client = AccountsClient()
    try:
        balance = await client.balance(account_id, grant)
        today = today_in((await client.status(account_id)).timezone)
    except GrantRejected:
        dispatcher.utter_message(response=c.UTTER_VERIFICATION_EXPIRED)
        return [SlotSet(c.SLOT_VERIFIED, False), SlotSet(c.SLOT_GRANT, None), FollowupAction(c.FORM_IDENTITY)]
    except AccountsApiError as error:
        logger.warning("balance unavailable", extra={"error": type(error).__name__})
        dispatcher.utter_message(response=c.UTTER_SERVICE_UNAVAILABLE)
        return []
    dispatcher.utter_message(response=balance_response(balance, today), **balance_message_kwargs(balance))
    return []


class ActionShowBalance(Action):
    """Answer check_balance."""

    def name(self) -> str:
        return c.ACTION_SHOW_BALANCE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await disclose_balance(dispatcher, tracker)
