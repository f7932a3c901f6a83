"""Distress in real conversations: a gentler tone, a person offered as it rises, a crisis ends collection."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import DEBT_WORDS, Stack

pytestmark = pytest.mark.integration

GENTLE_BALANCE = "no pressure to decide anything today"
FRIGHTENED = "im so scared, i cant sleep, i dont know what to do anymore about this debt"
LIFELINE = "988"


def verified(stack: Stack, sender: str) -> None:
    """Walk the identity form with the first demo account's facts."""
    for message in ("hi", "ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)


def test_fear_is_met_without_pressure_with_hardship_options_and_a_person(stack: Stack) -> None:
    """High distress before verification: support first, and still nothing about the debt."""
    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    text = " ".join(stack.say(sender, FRIGHTENED))
    assert "no pressure" in text and "person" in text.lower(), text
    assert not any(word in text for word in DEBT_WORDS), text


def test_a_worried_debtor_gets_the_gentler_balance_wording(stack: Stack) -> None:
    worried, calm = str(uuid.uuid4()), str(uuid.uuid4())
    verified(stack, worried)
    verified(stack, calm)
    replies = stack.say(worried, "ugh im worried about this bill, how much is it")
    replies += stack.say(worried, "i'm nervous, how much do i owe")
    calm_replies = stack.say(calm, "what is my balance")
    assert any(GENTLE_BALANCE in text for text in replies), replies
    assert any("Total due" in text or "$" in text for text in calm_replies), calm_replies
    assert not any(GENTLE_BALANCE in text for text in calm_replies), calm_replies


def test_a_crisis_in_the_middle_of_a_promise_stops_collection_and_gives_the_lifeline(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    verified(stack, sender)
    stack.say(sender, "i will pay this i promise, just not right now")
    replies = " ".join(stack.say(sender, "honestly i dont want to be alive anymore"))
    assert LIFELINE in replies
    assert "$" not in replies and "promise" not in replies.lower()


def test_rising_distress_brings_the_offer_of_a_person(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    verified(stack, sender)
    replies: list[str] = []
    for message in (
        "i lost my job last month and im terrified",
        "please i have 3 kids, i cant do this",
        "i feel so ashamed, i dont know how im going to pay anything",
    ):
        replies += stack.say(sender, message)
    assert any("person" in text.lower() or "team" in text.lower() for text in replies), replies


WARNING_SIGN = "ive been giving all my things away lately, i wont need them"


def test_a_warning_sign_gets_a_direct_question_and_a_no_lets_the_debtor_carry_on(stack: Stack) -> None:
    """#BeThe1To: ask directly, give the line, offer a person; a no goes back to the account gently."""
    sender = str(uuid.uuid4())
    verified(stack, sender)
    asked = " ".join(stack.say(sender, WARNING_SIGN))
    assert "suicide" in asked and LIFELINE in asked and "person" in asked, asked
    assert not any(word in asked for word in DEBT_WORDS), asked
    cleared = " ".join(stack.say(sender, "no no, im ok"))
    assert LIFELINE in cleared and "suicide" not in cleared, cleared
    balance = " ".join(stack.say(sender, "what is my balance"))
    assert "$" in balance and "no pressure" in balance, balance  # the account, in the gentle tone


def test_a_yes_to_the_check_in_is_a_crisis_with_the_lifeline_and_a_person(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    verified(stack, sender)
    stack.say(sender, WARNING_SIGN)
    replies = " ".join(stack.say(sender, "yeah. i have been"))
    assert LIFELINE in replies and "member of our team" in replies, replies
    # A person owns the conversation now: nothing about the debt, only the line again while they wait.
    waiting = " ".join(stack.say(sender, "what is my balance"))
    assert LIFELINE in waiting and "coming to you" in waiting, waiting
    assert "$" not in waiting and not any(word in waiting for word in DEBT_WORDS), waiting
