"""The optional one-question survey at the end of a conversation: "how did we do? reply 1-5".

Asked once, after goodbye, of a verified debtor whose conversation was not about a crisis; the answer is the
`satisfaction` slot, which the insights records read from the event stream (no text is kept with it). A
score given unasked in so many words ("5 stars", "4/5") by a verified debtor who has not rated yet is kept
the same way; a bare number when no survey is pending is treated as any unclear message would be.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import FollowupAction, SlotSet

from actions import constants as c
from actions.fallback import ask_affirmation
from actions.negotiation import entity
from shared.questions import RATED_IN_WORDS

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

NO_SURVEY_AT: Final = frozenset({"crisis_check", "crisis"})
_DIGIT: Final = re.compile(r"(?<![\d.,$])([1-5])(?![\d.,])")
_WORDS: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_STAR: Final = "\N{WHITE MEDIUM STAR}"


def parse_rating(text: str) -> int | None:
    """A 1-5 score from "4", "4/5", "five stars", or a row of star emoji; None when there is none."""
    lowered = text.lower()
    match = _DIGIT.search(lowered)
    if match:
        return int(match.group(1))
    words = [_WORDS[w] for w in re.findall(r"[a-z]+", lowered) if w in _WORDS]
    stars = lowered.count(_STAR)
    return words[0] if words else (stars if 1 <= stars <= 5 else None)


def survey_due(tracker: Tracker) -> bool:
    """Ask only a verified debtor, once per conversation, never after a crisis."""
    asked = tracker.get_slot(c.SLOT_SURVEY_PENDING) or tracker.get_slot(c.SLOT_SATISFACTION) is not None
    calm = tracker.get_slot(c.SLOT_DISTRESS_LEVEL) not in NO_SURVEY_AT
    return bool(tracker.get_slot(c.SLOT_VERIFIED)) and calm and not asked


class ActionGoodbye(Action):
    """Goodbye, then (when due) the survey question."""

    def name(self) -> str:
        return c.ACTION_GOODBYE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=c.UTTER_GOODBYE)
        if not survey_due(tracker):
            return []
        dispatcher.utter_message(response=c.UTTER_ASK_SATISFACTION)
        return [SlotSet(c.SLOT_SURVEY_PENDING, True)]


class ActionRecordSatisfaction(Action):
    """The survey's answer; a score nobody asked for goes the way of an unclear message."""

    def name(self) -> str:
        return c.ACTION_RECORD_SATISFACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        score = parse_rating(entity(message, c.ENTITY_RATING) or message.get("text") or "")
        if score is None or not (tracker.get_slot(c.SLOT_SURVEY_PENDING) or volunteered(tracker)):
            return unasked(dispatcher, tracker)
        dispatcher.utter_message(response=c.UTTER_THANKS_FOR_RATING)
        return [SlotSet(c.SLOT_SATISFACTION, float(score)), SlotSet(c.SLOT_SURVEY_PENDING, False)]


def volunteered(tracker: Tracker) -> bool:
    """A score a verified debtor gives unasked, in so many words, before any other."""
    text = str(tracker.latest_message.get("text") or "")
    rated = tracker.get_slot(c.SLOT_SATISFACTION) is not None
    return bool(tracker.get_slot(c.SLOT_VERIFIED)) and not rated and RATED_IN_WORDS.search(text) is not None


def unasked(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """As the low-confidence rules do: verification first, else the two best guesses, asked here: Rasa's
    two-stage fallback, given a message it did not read as unclear, takes it as confirmed and replays it, so
    "5 stars" went round this action and that one 455 times in one turn (heldout26 887)."""
    if tracker.get_slot(c.SLOT_VERIFIED):
        ask_affirmation(dispatcher, tracker)
        return []
    dispatcher.utter_message(response=c.UTTER_VERIFY_FIRST)
    return [FollowupAction(c.FORM_IDENTITY)]
