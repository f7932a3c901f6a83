"""People before collection: the tone slot, crisis support, the crisis check-in, and the offer of a person
when distress rises."""

from __future__ import annotations

import logging
from collections.abc import Sequence
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

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)
Events = list[dict[str, Any]]


IDENTITY_FACTS = frozenset({c.ENTITY_ACCOUNT_REF, c.ENTITY_DOB, c.ENTITY_ZIP})
CALM = (None, "none")


def recent_levels(tracker: Tracker) -> list[str | None]:
    """Distress levels of the last few user turns, oldest first; a calm answer to an identity question
    ("03/14/1985") says nothing of how the debtor feels, so "im so stressed i cant even sleep" before
    verification still sets the tone of the balance after it."""
    levels = [
        level_of(event)
        for event in tracker.events
        if event.get("event") == "user" and not calm_identity_answer(event)
    ]
    return levels[-WINDOW:]


def level_of(event: dict[str, Any]) -> str | None:
    """The distress level the NLU found in a user event."""
    return ((event.get("parse_data") or {}).get("distress") or {}).get("level")


def calm_identity_answer(event: dict[str, Any]) -> bool:
    """A user turn without distress that gives a reference, a date of birth or a ZIP code."""
    parse_data = event.get("parse_data") or {}
    named = {entity.get("entity") for entity in parse_data.get("entities") or []}
    identity = (parse_data.get("intent") or {}).get("name") == c.INFORM_IDENTITY or named & IDENTITY_FACTS
    return level_of(event) in CALM and bool(identity)


def distress_decision(tracker: Tracker, action: str) -> dict[str, Any]:
    """What the bot decided and on which evidence: kept in the tracker for agents and analytics."""
    distress = tracker.latest_message.get("distress") or {}
    return {
        "score": distress.get("score"),
        "level": distress.get("level"),
        "conversation_level": conversation_level(recent_levels(tracker)),
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
    """After every user message: the conversation's distress level, which selects the gentler responses."""

    async def extract_distress_level(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {c.SLOT_DISTRESS_LEVEL: conversation_level(recent_levels(tracker))}


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
