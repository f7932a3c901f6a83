"""People before collection: the tone slot, crisis support, the crisis check-in, and the offer of a person
when distress rises."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.forms import ValidationAction

from actions import constants as c
from actions.clients.accounts import AccountsClient
from actions.exceptions import AccountsApiError
from actions.handoff import REASON_CRISIS, start_handoff
from actions.negotiation import hardship_plan_request
from bot.distress.escalation import WINDOW, conversation_level
from shared.distress_tone import recent_levels

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)
Events = list[dict[str, Any]]


def readings(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The NLU readings of the debtor's messages, newest first."""
    return (
        event.get("parse_data") or {} for event in reversed(tracker.events) if event.get("event") == "user"
    )


def tone(tracker: Tracker) -> str:
    """The conversation's distress level after its latest message (shared/distress_tone.py)."""
    return conversation_level(recent_levels(readings(tracker), WINDOW))


def distress_decision(tracker: Tracker, action: str) -> dict[str, Any]:
    """What the bot decided and on which evidence: kept in the tracker for agents and analytics."""
    distress = tracker.latest_message.get("distress") or {}
    return {
        "score": distress.get("score"),
        "level": distress.get("level"),
        "conversation_level": tone(tracker),
        "action": action,
    }


async def record_decision(tracker: Tracker, decision: dict[str, Any]) -> None:
    """Add the decision to the account's record, verified or not yet (marked so); never the words.

    Without an account (nobody named one yet) it stays in the tracker (distress_decision slot) only.
    A failure never stops the support.
    """
    account_id = tracker.get_slot(c.SLOT_ACCOUNT_ID)
    if not account_id:
        return
    body = decision if tracker.get_slot(c.SLOT_VERIFIED) else {**decision, "verified": False}
    try:
        await AccountsClient().record(account_id, "distress-decisions", body)
    except AccountsApiError:
        logger.warning("distress decision not recorded", extra={"action": decision["action"]})


async def answer_and_record(
    dispatcher: CollectingDispatcher, tracker: Tracker, action: str, response: str
) -> dict[str, Any]:
    """Say `response`, and record `action` as the distress decision; returns the decision."""
    dispatcher.utter_message(response=response)
    decision = distress_decision(tracker, action)
    await record_decision(tracker, decision)
    return decision


class ValidateSlotMappings(ValidationAction):
    """After every user message: the conversation's distress level, which selects the gentler responses.

    Our launcher's Rasa server computes the same slot itself and never calls this action
    (channels/distress_slot.py); it answers a Rasa run without the launcher (`rasa shell`).
    """

    async def extract_distress_level(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The tone slot, on the tracker with the debtor's latest message."""
        return {c.SLOT_DISTRESS_LEVEL: tone(tracker)}


CRISIS_STEPS: dict[str, tuple[str, str]] = {
    c.ACTION_CRISIS_SUPPORT: (c.UTTER_CRISIS_SUPPORT, "crisis support given"),
    c.ACTION_CRISIS_CHECK_IN: (c.UTTER_CRISIS_CHECK_IN, "crisis check-in asked"),
}
"""Each crisis step's response and log line."""


async def stop_collecting(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    action: str,
    check_in_open: bool,
    extra: Sequence[dict[str, Any]] = (),
) -> Events:
    """Say the crisis step's response, record the decision, and end every form and pending offer."""
    response, log_line = CRISIS_STEPS[action]
    decision = await answer_and_record(dispatcher, tracker, action, response)
    logger.info(log_line, extra={"level": decision["level"]})
    return [
        ActiveLoop(None),
        SlotSet(c.SLOT_REQUESTED, None),
        SlotSet(c.SLOT_OFFER_PENDING, False),
        *extra,
        SlotSet(c.SLOT_CRISIS_CHECK_IN_OPEN, check_in_open),
        SlotSet(c.SLOT_DISTRESS_DECISION, decision),
    ]


class ActionCrisisSupport(Action):
    """Stop every collection flow at once and give the crisis line; a person follows up first."""

    def name(self) -> str:
        return c.ACTION_CRISIS_SUPPORT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        paused = [SlotSet(c.SLOT_COLLECTION_PAUSED, True)]
        stopped = await stop_collecting(dispatcher, tracker, c.ACTION_CRISIS_SUPPORT, False, paused)
        # A person takes over with top priority; the API ranks crisis first.
        return [*stopped, *await start_handoff(tracker, REASON_CRISIS)]


class ActionCrisisCheckIn(Action):
    """A warning sign without a direct statement: stop collecting, ask directly, give the crisis line.

    Asking directly about suicide is what #BeThe1To recommends; it does not plant the idea. The
    `crisis_check_in_open` slot tells the distress policy that the next message answers the question.
    """

    def name(self) -> str:
        return c.ACTION_CRISIS_CHECK_IN

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        return await stop_collecting(dispatcher, tracker, c.ACTION_CRISIS_CHECK_IN, True)


class ActionCrisisCheckInCleared(Action):
    """The debtor said no: thank them, keep the crisis line in view, and go on at their pace."""

    def name(self) -> str:
        return c.ACTION_CRISIS_CHECK_IN_CLEARED

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        decision = await answer_and_record(
            dispatcher, tracker, c.ACTION_CRISIS_CHECK_IN_CLEARED, c.UTTER_CRISIS_CHECK_IN_CLEARED
        )
        return [SlotSet(c.SLOT_CRISIS_CHECK_IN_OPEN, False), SlotSet(c.SLOT_DISTRESS_DECISION, decision)]


class ActionOfferSupport(Action):
    """Distress keeps rising: slow down, no pressure, offer a hardship plan and a person.

    The bot's own offer binds it: hardship terms judge every later offer, and a yes gets the hardship plan
    (not terms that were on the table before).
    """

    def name(self) -> str:
        return c.ACTION_OFFER_SUPPORT

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        decision = await answer_and_record(dispatcher, tracker, c.ACTION_OFFER_SUPPORT, c.UTTER_OFFER_SUPPORT)
        return [
            SlotSet(c.SLOT_DISTRESS_DECISION, decision),
            SlotSet(c.SLOT_HARDSHIP, True),
            SlotSet(c.SLOT_PENDING_OFFER, hardship_plan_request()),
            SlotSet(c.SLOT_OFFER_PENDING, True),
            *gently_verify(tracker),
        ]


def gently_verify(tracker: Tracker) -> Events:
    """Anything on the account needs verification first: an unverified debtor is asked, gently (the
    identity questions have softer wordings while distress is raised), in the same reply."""
    if tracker.get_slot(c.SLOT_VERIFIED):
        return []
    return [FollowupAction(c.FORM_IDENTITY)]
