"""Several accounts, one person: a debtor the channel bound by phone number who turns out to have more than
one account with us is asked which one they mean, right after verification and before any amount.

Creditors are named only then: before verification not even the creditor's name is disclosed. The
verification is of the person (the facts are the debtor's), so the API carries it over to the account
chosen. Until domain.yml has utter_choose_account (a retrain), the newest account is used, as before.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from actions import constants as c
from actions.exceptions import AccountsApiError
from actions.guards import verified
from actions.session import bound_account

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)


def can_ask(tracker: Tracker, domain: DomainDict) -> bool:
    """Ask only a debtor the channel bound (one who typed a reference has chosen), once the domain can."""
    bound = bound_account(tracker) is not None and not tracker.get_slot(c.SLOT_ACCOUNT_REF)
    return bound and c.UTTER_CHOOSE_ACCOUNT in (domain.get("responses") or {})


def choice_button(account: dict[str, str]) -> dict[str, str]:
    """One account as a button: the creditor and reference (no amounts), choosing it by reference."""
    entities = json.dumps({c.ENTITY_ACCOUNT_REF: account["reference"]})
    return {
        "title": f"{account['creditor']} ({account['reference']})",
        "payload": f"/{c.CHOOSE_ACCOUNT}{entities}",
    }


async def ask_which_account(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
    """Ask a just-verified debtor with several accounts which one they mean; False when there is no choice."""
    ctx = verified(tracker)
    if ctx is None or not can_ask(tracker, domain):
        return False
    try:
        accounts = await ctx.client.debtor_accounts(ctx.account_id, ctx.grant)
    except AccountsApiError as error:
        logger.warning("accounts of the debtor unavailable", extra={"error": type(error).__name__})
        return False
    if len(accounts) < 2:
        return False
    dispatcher.utter_message(response=c.UTTER_CHOOSE_ACCOUNT, buttons=[choice_button(a) for a in accounts])
    return True
