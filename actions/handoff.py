"""Handing a conversation to a person: the handoff record, the pause, and relaying the debtor's messages.

A handoff is created in the accounts API (reason, priority, transcript, distress trend, summary) and the
`handed_off` slot pauses the bot: `bot.policies.handoff.HandoffPolicy` then answers every debtor message
with `action_handoff_relay` (which passes it to the agent and says nothing) until the agent releases the
conversation, which clears the slot through Rasa's HTTP API. The API, not this process, holds the state.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import constants as c
from actions import metrics
from actions.clients.accounts import AccountsClient
from actions.exceptions import AccountsApiError
from shared import identity

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)
Events = list[dict[str, Any]]

TRANSCRIPT_TURNS = 40
# Reasons the API knows (see api/handoffs/schemas.py, Reason); the API derives the priority from the reason.
REASON_REQUEST = "request_human"
REASON_CRISIS = "crisis"
REASON_HIGH_DISTRESS = "high_distress"
REASON_LOCKOUT = "verification_lockout"
REASON_DISPUTE = "dispute"
REASON_OUTSIDE_POLICY = "outside_policy"
_INTENT_REASONS = {
    c.DISPUTE_DEBT: REASON_DISPUTE,
    c.HAS_ATTORNEY: "attorney",
    c.BANKRUPTCY: "bankruptcy",
    c.DECEASED: "deceased",
}
STATUS_QUEUED = "queued"
"""The API's status of a handoff no agent has claimed yet (api/handoffs, HandoffStatus)."""
LEVEL_CRISIS, LEVEL_CRISIS_CHECK = "crisis", "crisis_check"
BY_SIMILARITY_ONLY = "by_similarity_only"
"""The distress component's marks (bot/distress/detector.py), which this process does not import."""
REPEAT_LINE_EVERY = 3
"""In a crisis handoff nobody has claimed: the line again after this many debtor messages without it."""
REASONS: Final = frozenset(
    {REASON_REQUEST, REASON_CRISIS, REASON_HIGH_DISTRESS, REASON_LOCKOUT, REASON_OUTSIDE_POLICY}
    | set(_INTENT_REASONS.values())
)
"""The metric's labels: a fixed list."""


def channel_of(tracker: Tracker) -> str:
    """The channel the debtor is using, in the API's words."""
    return "sms" if tracker.get_latest_input_channel() == "twilio" else "webchat"


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The last turns as {sender, text, at}, identity facts withheld (shared.identity, the agent's level);
    the API redacts cards and SSNs too."""
    turns, requested = [], None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == c.SLOT_REQUESTED:
            requested = event.get("value")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        text = event["text"]
        if kind == "user":
            text = identity.shown(identity.AGENT, text, requested, event.get("parse_data"))
        sender = "debtor" if kind == "user" else "bot"
        turns.append({"sender": sender, "text": text, "at": _iso(event.get("timestamp"))})
    return turns[-TRANSCRIPT_TURNS:]


def _iso(timestamp: float | None) -> str | None:
    """Rasa's epoch seconds as the ISO time the API expects."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def distress_trend(tracker: Tracker) -> list[dict[str, Any]]:
    """Score and level of every debtor message so far, oldest first."""
    trend = []
    for event in tracker.events:
        distress = (event.get("parse_data") or {}).get("distress") if event.get("event") == "user" else None
        if distress:
            trend.append({"score": distress.get("score"), "level": distress.get("level")})
    return trend


def latest_distress(tracker: Tracker) -> dict[str, Any] | None:
    """The distress component's level and score of the debtor's latest message, for the agent's markers."""
    distress = tracker.latest_message.get("distress")
    if not isinstance(distress, dict) or distress.get("level") is None:
        return None
    return {"level": distress["level"], "score": distress.get("score")}


def summary(tracker: Tracker, reason: str) -> str:
    """A short machine summary for the agent: why, verified or not, what the debtor asked for."""
    intents = [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    asked = ", ".join(dict.fromkeys(name for name in intents if name)) or "nothing yet"
    verified = "verified" if tracker.get_slot(c.SLOT_VERIFIED) else "not verified"
    return f"Handoff: {reason.replace('_', ' ')}. Debtor {verified}. Asked about: {asked}."


def handoff_request(tracker: Tracker, reason: str, flagged: str | None = None) -> dict[str, Any]:
    """The body of POST /api/v1/handoffs for this conversation: on the verified account, or on the one a
    flag was just recorded on (`flagged`: a bankruptcy named by its reference before verification, so the
    agent who follows up sees which account the notice is about; the debtor is told nothing of it)."""
    verified = bool(tracker.get_slot(c.SLOT_VERIFIED))
    return {
        "conversation_id": tracker.sender_id,
        "channel": channel_of(tracker),
        "account_id": tracker.get_slot(c.SLOT_ACCOUNT_ID) if verified else flagged,
        "reason": reason,
        "transcript": transcript(tracker),
        "distress": distress_trend(tracker),
        "summary": summary(tracker, reason),
    }


async def start_handoff(
    tracker: Tracker, reason: str, *, pause: bool = True, flagged: str | None = None
) -> Events:
    """Create (or join) the conversation's handoff; [] when the API cannot be reached.

    `pause` (the debtor asked for a person, or a crisis): the bot goes silent until the agent releases
    it. Without it (a dispute, attorney, bankruptcy, deceased, lockout): the record waits in the queue
    for a person to follow up, and the bot still answers what it may (validation information, help).
    """
    try:
        handoff = await AccountsClient().create_handoff(handoff_request(tracker, reason, flagged))
    except AccountsApiError as error:
        logger.warning("handoff not created", extra={"reason": reason, "error": type(error).__name__})
        return []
    logger.info("handoff created", extra={"reason": reason, "handoff_id": handoff.get("id"), "pause": pause})
    metrics.handoff_started(reason, REASONS)
    if not pause:
        return [SlotSet(c.SLOT_HANDOFF_ID, str(handoff.get("id")))]
    return [
        ActiveLoop(None),
        SlotSet(c.SLOT_REQUESTED, None),
        SlotSet(c.SLOT_HANDED_OFF, True),
        SlotSet(c.SLOT_HANDOFF_ID, str(handoff.get("id"))),
    ]


def latest_intent(tracker: Tracker) -> str:
    """The intent the NLU read from the debtor's latest message ("" when none)."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def reason_for(tracker: Tracker) -> str:
    """Why the debtor is handed over, from what they just said."""
    return reason_of(latest_intent(tracker))


def reason_of(intent: str) -> str:
    """Why a debtor who said `intent` is handed over."""
    return _INTENT_REASONS.get(intent, REASON_REQUEST)


class ActionHandoff(Action):
    """The debtor asked for a person (or a flow needs one): queue a handoff and tell them what happens."""

    def name(self) -> str:
        return c.ACTION_HANDOFF

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        events = await start_handoff(tracker, reason_for(tracker))
        dispatcher.utter_message(response=c.UTTER_HANDOFF_STARTED if events else c.UTTER_HANDOFF_UNAVAILABLE)
        return events


class ActionHandoffRelay(Action):
    """While a person owns the conversation: pass the debtor's message to them and, as a rule, say nothing.

    The exception is safety: a message with a crisis signal, or any message in a crisis handoff that no
    agent has claimed yet, gets the crisis line again (`crisis_while_waiting`), so that a debtor in crisis
    is never met with silence while they wait. The API raises the handoff to crisis priority on its own.
    """

    def name(self) -> str:
        return c.ACTION_HANDOFF_RELAY

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        handoff_id = tracker.get_slot(c.SLOT_HANDOFF_ID)
        text = tracker.latest_message.get("text") or ""
        if not handoff_id or not text:
            return []
        handoff: dict[str, Any] = {}
        try:
            handoff = await AccountsClient().append_handoff_message(
                handoff_id, text, latest_distress(tracker)
            )
        except AccountsApiError as error:
            # Nothing is lost: the message stays in the tracker store, which the agent can export.
            logger.warning("debtor message not relayed", extra={"error": type(error).__name__})
        if crisis_while_waiting(tracker, handoff):
            logger.info("crisis line repeated while the handoff waits", extra={"handoff_id": handoff_id})
            dispatcher.utter_message(response=c.UTTER_CRISIS_WHILE_WAITING)
        elif asked_while_waiting(tracker, handoff):
            dispatcher.utter_message(response=c.UTTER_HANDOFF_STARTED)
        elif account_asked_while_waiting(tracker, handoff):
            dispatcher.utter_message(response=c.UTTER_HANDOFF_NOTED)
        elif (parting := parting_while_waiting(tracker, handoff)) is not None:
            dispatcher.utter_message(response=parting)
        return []


def crisis_while_waiting(tracker: Tracker, handoff: dict[str, Any]) -> bool:
    """Whether the debtor gets the crisis line again: their message carries a crisis signal (the API
    could not be reached or not), or the handoff is a crisis one nobody has claimed and the line was not
    given while waiting in reply to one of their last few messages already."""
    if has_crisis_signal(tracker.latest_message.get("distress")):
        return True
    waiting = handoff.get("reason") == REASON_CRISIS and handoff.get("status") == STATUS_QUEUED
    return waiting and messages_since_line(tracker) >= REPEAT_LINE_EVERY


WAITING_WORDS: Final = re.compile(
    r"\b(?:any|some) ?(?:one|body) (?:there|here|around|coming)\b|\bstill waiting\b",
    re.IGNORECASE,
)
HOW_LONG: Final = re.compile(r"\bhow long\b|\bwhen will (?:some|any)|\bhow soon\b", re.IGNORECASE)
"""A question about the wait is answered even right after the handoff's answer ("how long is that gonna take":
silence, heldout18 632); the answer says how soon."""


def asked_while_waiting(tracker: Tracker, handoff: dict[str, Any]) -> bool:
    """Whether the debtor, while nobody has claimed the handoff yet, asks for the person or after them
    ("could a real human maybe reach out to me tomorrow", "still waiting, is anybody there yet?": silence,
    heldout15 524 and 533) and the last answer did not already say a person is coming: the debtor is told
    again, once per question, instead of hearing nothing."""
    if handoff.get("status") != STATUS_QUEUED:
        return False
    text = str(tracker.latest_message.get("text") or "")
    intent = latest_intent(tracker)
    asked = intent == c.REQUEST_HUMAN or WAITING_WORDS.search(text) is not None
    told = messages_since(tracker, c.UTTER_HANDOFF_STARTED) <= 1
    return HOW_LONG.search(text) is not None or (asked and not told)


ACCOUNT_ASKS: Final = frozenset(
    {
        c.CHECK_BALANCE,
        c.MAKE_PAYMENT,
        c.REQUEST_PAYMENT_PLAN,
        c.OFFER_PAYMENT,
        c.SETTLEMENT_OFFER,
        c.PROMISE_TO_PAY,
        c.ALREADY_PAID,
        c.DISPUTE_DEBT,
        c.REQUEST_VALIDATION,
        c.FINANCIAL_HARDSHIP,
        c.CONTACT_PREFERENCES,
    }
)
"""What a debtor may ask about the account; a multi-intent reading counts when one of its parts is here."""


def account_asked_while_waiting(tracker: Tracker, handoff: dict[str, Any]) -> bool:
    """Whether the debtor, while nobody has claimed the handoff yet, asks about the account ("could we
    maybe do something small each month, like 20" after crisis support: silence, heldout22 764) and has not
    been told since the handoff began that the person will take it up: told once, instead of silence."""
    if handoff.get("status") != STATUS_QUEUED:
        return False
    intent = latest_intent(tracker)
    asked = any(part in ACCOUNT_ASKS for part in intent.split("+"))
    return asked and not said_since_handoff(tracker, c.UTTER_HANDOFF_NOTED)


PARTINGS: Final = {c.THANK_YOU: c.UTTER_YOU_ARE_WELCOME, c.GOODBYE: c.UTTER_GOODBYE}
THANKED: Final = re.compile(r"\b(?:thanks?|thank (?:you|u)|thx|ty|tysm|appreciate)\b", re.IGNORECASE)
"""Thanks anywhere in a message ("ok appreciate it, i'll keep an eye on this chat")."""
UNPLACED: Final = frozenset({c.NLU_FALLBACK, c.OUT_OF_SCOPE})


def parting_while_waiting(tracker: Tracker, handoff: dict[str, Any]) -> str | None:
    """The answer to thanks or a goodbye while nobody has claimed the handoff yet ("ok. gracias" after a death
    was reported and a person asked for: silence, heldout23 781), unless the bot's last words were that
    answer; an unplaced message with thanks and no question is the thanks ("ok appreciate it, i'll keep an eye
    on this chat": silence, heldout26 873)."""
    intent = latest_intent(tracker)
    text = str(tracker.latest_message.get("text") or "")
    thanked = intent in UNPLACED and THANKED.search(text) is not None and "?" not in text
    answer = PARTINGS.get(c.THANK_YOU if thanked else intent)
    if handoff.get("status") != STATUS_QUEUED or answer is None or messages_since(tracker, answer) <= 1:
        return None
    return answer


def said_since_handoff(tracker: Tracker, response: str) -> bool:
    """Whether the bot said `response` since the conversation was last handed to a person."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return True
        if event.get("event") == "slot" and event.get("name") == c.SLOT_HANDED_OFF and event.get("value"):
            return False
    return False


def has_crisis_signal(distress: Any) -> bool:
    """A direct crisis statement, or a warning sign the detector found in words (not by similarity alone)."""
    if not isinstance(distress, dict):
        return False
    level = distress.get("level")
    return level == LEVEL_CRISIS or (level == LEVEL_CRISIS_CHECK and not distress.get(BY_SIMILARITY_ONLY))


def messages_since_line(tracker: Tracker) -> int:
    """The debtor's messages since the bot last gave the crisis line while waiting, this one included; a
    large number when it never did (the first answer, which handed over, does not count)."""
    return messages_since(tracker, c.UTTER_CRISIS_WHILE_WAITING)


def messages_since(tracker: Tracker, response: str) -> int:
    """The debtor's messages since the bot last said `response`, this one included; a large number (more
    than REPEAT_LINE_EVERY) when it never did."""
    count = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            count += 1
        elif kind == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return count
    return REPEAT_LINE_EVERY + count
