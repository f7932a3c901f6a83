"""Fewer dead ends, over the REST channel of the running stack: whatever the first message says, the reply
leads to verification; what was asked during verification is answered after it; an unclear message from a
verified debtor gets the two best guesses as buttons, and two misses the offer of a person."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import DEBT_WORDS, MINI_MIRANDA, Stack

pytestmark = pytest.mark.integration

DID_NOT_UNDERSTAND = "didn't understand"
ASKS_FOR_REFERENCE = "reference number"

FIRST_MESSAGES = (
    "who are you people and why do you keep texting me",
    "am i talking to a bot",
    "what can you do",
    "can you order me a pizza",
    "hi",
    "how much do i owe",
    "i want to pay this off today",
    "I lost my job and can't pay right now",
)


@pytest.mark.parametrize("first", FIRST_MESSAGES)
def test_the_first_reply_to_any_first_message_leads_to_verification(stack: Stack, first: str) -> None:
    replies = stack.say(str(uuid.uuid4()), first)

    said = " ".join(" ".join(replies).split())
    assert MINI_MIRANDA in said
    assert ASKS_FOR_REFERENCE in said, replies
    assert DID_NOT_UNDERSTAND not in said
    assert not any(word in said for word in DEBT_WORDS), replies


def _verify(stack: Stack, sender: str, first: str = "hi") -> list[str]:
    replies = stack.say(sender, first)
    for fact in ("ACME-1001", "03/14/1985", "20001"):
        replies += stack.say(sender, fact)
    return replies


def test_a_request_made_during_verification_is_answered_after_it(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    stack.say(sender, "hello")
    stack.say(sender, "ACME-1001")

    meanwhile = " ".join(stack.say(sender, "can i set up a payment plan"))
    stack.say(sender, "03/14/1985")
    after = " ".join(stack.say(sender, "20001"))

    assert "as soon as I've confirmed who you are" in meanwhile
    assert not any(word in meanwhile for word in DEBT_WORDS)
    assert "a month" in after or "per month" in after or "monthly" in after, after


def test_an_unclear_message_gets_guesses_as_buttons_and_a_tap_is_understood(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    _verify(stack, sender)

    guesses = stack.send(sender, "/nlu_fallback")
    assert DID_NOT_UNDERSTAND not in " ".join(m.get("text", "") for m in guesses)
    tapped = stack.say(sender, "/request_payment_plan")

    assert any("month" in text for text in tapped), tapped


def test_two_misses_in_a_row_offer_a_person_not_a_third_rephrase(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    _verify(stack, sender)

    first = stack.send(sender, "/nlu_fallback")
    second = stack.send(sender, "/nlu_fallback")

    payloads = [b.get("payload") for m in second for b in m.get("buttons") or []]
    assert "/request_human" in payloads, second
    assert all(DID_NOT_UNDERSTAND not in m.get("text", "") for m in [*first, *second])
