"""When the bot is unsure: its two best guesses as buttons, and after two misses the offer of a person.

Rasa's two-stage fallback (`action_two_stage_fallback`) runs these in place of its default actions: first
the guesses; a tap (or any message it understands) replaces the unclear one and the conversation goes on
as if the debtor had said that; "Something else" leads to Rasa's request to rephrase; a second miss gives up
with the offer of a person instead of a third "say it another way". An unclear question right after an
answer that says what happens next (a claim passed on, a promise noted) gets that answer again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import UserUtteranceReverted

from actions import constants as c
from actions.history import last_answer, response_of, said_before
from shared.purposes import RESPONSE_PURPOSES
from shared.questions import NEXT_STEPS_SAID, QUESTION_FORM

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

GUESSES: Final = 2

# What a guess is called on its button: the debtor's words for the request, not the intent's name.
LABELS: Final[dict[str, str]] = {
    c.CHECK_BALANCE: "What I owe",
    c.MAKE_PAYMENT: "Make a payment",
    c.REQUEST_PAYMENT_PLAN: "A payment plan",
    c.OFFER_PAYMENT: "Offer an amount",
    c.SETTLEMENT_OFFER: "Settle for less",
    c.PROMISE_TO_PAY: "Pay on a date",
    c.ALREADY_PAID: "I already paid",
    c.DISPUTE_DEBT: "I dispute this debt",
    c.REQUEST_VALIDATION: "Proof of the debt",
    c.FINANCIAL_HARDSHIP: "I can't afford it",
    c.REQUEST_HUMAN: "Talk to a person",
    "contact_preferences": "When to contact me",
    "opt_out": "Stop messages",
    "help": "What you can do",
}


def best_guesses(tracker: Tracker, count: int = GUESSES) -> list[str]:
    """The most likely intents of the unclear message that a button can name, best first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    names = [str(entry.get("name")) for entry in ranking if isinstance(entry, dict)]
    return [name for name in names if name in LABELS][:count]


def guess_buttons(guesses: list[str]) -> list[dict[str, str]]:
    """A button per guess (its payload is the intent: a tap is understood exactly), then "Something else"."""
    buttons = [{"title": LABELS[name], "payload": f"/{name}"} for name in guesses]
    return [*buttons, {"title": "Something else", "payload": f"/{c.OUT_OF_SCOPE}"}]


RESTATED: Final = NEXT_STEPS_SAID
"""Answers that say what happens next: an unclear question right after one is about it."""


def answer_asked_about(tracker: Tracker) -> dict[str, Any] | None:
    """An unclear question right after an answer that says what happens next is about that answer, which
    is given again ("so how long till i know if it went thru?" after "... within 5 business days" had got
    "Did you mean: What I owe / Offer an amount"), with that answer's purpose for the gate (on SMS, the
    dispute's answer said again had been withheld as collection talk on a paused account: heldout18 618)."""
    said = last_answer(tracker)
    asks = QUESTION_FORM.search(str(tracker.latest_message.get("text") or ""))
    response = response_of(said) if said is not None else None
    if said is None or not asks or response not in RESTATED or not said.get("text"):
        return None
    return {"text": str(said["text"]), "purpose": RESPONSE_PURPOSES.get(str(response))}


ABOUT_PAYING: Final = re.compile(r"\b(?:pay|paying|payments?|owe|collect\w*|bills?)\b", re.IGNORECASE)


def pause_asked_about(tracker: Tracker) -> bool:
    """An unclear question about paying after a dispute was recorded in this conversation is about the pause
    ("so i dont have to pay anything while you look into it, right?" had got "I can't afford it / A plan")."""
    text = str(tracker.latest_message.get("text") or "")
    asked = QUESTION_FORM.search(text) is not None and ABOUT_PAYING.search(text) is not None
    return asked and said_before(tracker, c.UTTER_DISPUTE_RECORDED)


class ActionAskAffirmation(Action):
    """First stage: "Did you mean ...?" with the two best guesses as buttons."""

    def name(self) -> str:
        return c.ACTION_ASK_AFFIRMATION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        ask_affirmation(dispatcher, tracker)
        return []


def ask_affirmation(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The answer to an unclear message: what it asks about, else the two best guesses, else a rephrase."""
    if pause_asked_about(tracker):
        dispatcher.utter_message(response=c.UTTER_PAUSED_DISPUTE)
        return
    restated = answer_asked_about(tracker)
    if restated is not None:
        dispatcher.utter_message(**restated)
        return
    guesses = best_guesses(tracker)
    if not guesses:
        dispatcher.utter_message(response=c.UTTER_ASK_REPHRASE)
        return
    dispatcher.utter_message(response=c.UTTER_ASK_AFFIRMATION, buttons=guess_buttons(guesses))


A_PERSON: Final = [{"title": "Talk to a person", "payload": f"/{c.REQUEST_HUMAN}"}]
"""The one button offered after misses: a person."""


class ActionDefaultFallback(Action):
    """Two misses in a row (or a policy unsure what to do): offer a person rather than ask again."""

    def name(self) -> str:
        return c.ACTION_DEFAULT_FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response=c.UTTER_OFFER_PERSON_AFTER_MISSES,
            buttons=A_PERSON,
        )
        # As Rasa's own default: the message it could not place does not steer what comes next.
        return [UserUtteranceReverted()]
