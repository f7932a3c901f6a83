"""Distress in real conversations: a gentler tone, a person offered as it rises, a crisis ends collection."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration

GENTLE = "we'll take this one step at a time"
LIFELINE = "988"


def verified(stack: Stack, sender: str) -> None:
    """Walk the identity form with the first demo account's facts."""
    for message in ("hi", "ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)


def test_a_frightened_first_message_gets_the_gentler_wording(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    replies = stack.say(sender, "im so scared, i cant sleep, i dont know what to do anymore about this debt")
    calm = stack.say(str(uuid.uuid4()), "what is my balance")
    assert any(GENTLE in text for text in replies), replies
    assert not any(GENTLE in text for text in calm), calm


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
