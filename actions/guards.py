"""Shared preconditions of every collection flow: a verified debtor, and an account we may collect on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rasa_sdk.events import FollowupAction, SlotSet

from actions import constants as c
from actions.clients.accounts import AccountsClient, AccountStatus
from actions.exceptions import AccountsApiError, GrantRejected

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

Events = list[dict[str, Any]]
# Why collection is paused, most specific first, and what we say about it.
_PAUSE_RESPONSES = (
    ("attorney", c.UTTER_PAUSED_ATTORNEY),
    ("bankruptcy", c.UTTER_PAUSED_BANKRUPTCY),
    ("deceased", c.UTTER_PAUSED_DECEASED),
    ("cease_communication", c.UTTER_PAUSED_CEASE),
)


@dataclass(frozen=True)
class Verified:
    """The account this conversation verified and the grant that proves it."""

    account_id: str
    grant: str
    client: AccountsClient


def verified(tracker: Tracker) -> Verified | None:
    """The verified context, or None when the debtor has not proven who they are."""
    account_id, grant = tracker.get_slot(c.SLOT_ACCOUNT_ID), tracker.get_slot(c.SLOT_GRANT)
    if tracker.get_slot(c.SLOT_VERIFIED) and account_id and grant:
        return Verified(account_id, grant, AccountsClient())
    return None


async def collection_status(dispatcher: CollectingDispatcher, ctx: Verified) -> AccountStatus | None:
    """The account's status when collection talk is allowed; otherwise say why not and return None."""
    status = await ctx.client.status(ctx.account_id)
    if status.collection_allowed:
        return status
    response = next((r for flag, r in _PAUSE_RESPONSES if flag in status.flags), None)
    dispatcher.utter_message(
        response=response or (c.UTTER_PAUSED_DISPUTE if status.disputed else c.UTTER_PAUSED_CEASE)
    )
    return None


async def run_verified(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    flow: Callable[[Verified], Awaitable[Events]],
) -> Events:
    """Run a flow for a verified debtor with one answer to every API failure; unverified: verify first."""
    ctx = verified(tracker)
    if ctx is None:
        dispatcher.utter_message(response=c.UTTER_NEED_VERIFICATION)
        return [FollowupAction(c.FORM_IDENTITY)]
    try:
        return await flow(ctx)
    except GrantRejected:
        dispatcher.utter_message(response=c.UTTER_VERIFICATION_EXPIRED)
        return [SlotSet(c.SLOT_VERIFIED, False), SlotSet(c.SLOT_GRANT, None), FollowupAction(c.FORM_IDENTITY)]
    except AccountsApiError as error:
        logger.warning("accounts API error in a flow", extra={"error": type(error).__name__})
        dispatcher.utter_message(response=c.UTTER_SERVICE_UNAVAILABLE)
        return []
