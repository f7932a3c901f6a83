"""Session start: the first thing every conversation hears is who we are and the mini-Miranda."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions import constants as c

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

# Identity state survives a session restart only as long as the grant would; the rest is reset.
# A handoff survives too: a person still owns the conversation, however long the debtor was silent.
# So does hardship: once stated (or offered by the bot), it judges offers for the whole conversation.
# And the reminder a reply may answer: replies often come hours after the reminder (it is cleared once named).
_CARRIED_OVER = (
    c.SLOT_ACCOUNT_ID,
    c.SLOT_ACCOUNT_REF,
    c.SLOT_IDENTITY_LOCKED,
    c.SLOT_LOOKUP_FAILURES,
    c.SLOT_HANDED_OFF,
    c.SLOT_HANDOFF_ID,
    c.SLOT_HARDSHIP,
    c.SLOT_LAST_REMINDER,
)


class ActionSessionStart(Action):
    """Start a session with the collector's introduction and the Reg F 1006.18(e) disclosure.

    While a person owns the conversation the bot says nothing, not even this: the agent introduced
    themselves, and the disclosure was given when the conversation began.
    """

    def name(self) -> str:
        return c.ACTION_SESSION_START

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if not tracker.get_slot(c.SLOT_HANDED_OFF):
            dispatcher.utter_message(response=c.UTTER_INTRODUCTION)
            dispatcher.utter_message(response=c.UTTER_DEBT_COLLECTOR_NOTICE)
        carried = {
            name: tracker.get_slot(name) for name in _CARRIED_OVER if tracker.get_slot(name) is not None
        }
        bound = bound_account(tracker)
        if bound is not None:
            carried[c.SLOT_ACCOUNT_ID] = bound
        slots = [SlotSet(name, value) for name, value in carried.items()]
        return [SessionStarted(), *slots, ActionExecuted("action_listen")]


def bound_account(tracker: Tracker) -> str | None:
    """The account the channel bound the conversation to, from the session's metadata, else the latest
    message's (SMS: the number's account; webchat: the debtor's personal link).

    Binding only names the account, as a reference would: nothing is disclosed before verification.
    """
    candidates = (tracker.get_slot(c.SLOT_SESSION_STARTED_METADATA), tracker.latest_message.get("metadata"))
    for metadata in candidates:
        account_id = metadata.get("account_id") if isinstance(metadata, dict) else None
        if account_id:
            return str(account_id)
    return None
