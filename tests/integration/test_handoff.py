"""A real handoff over Rasa's REST channel: the bot is silent while a person owns the conversation, the
debtor's messages reach the agent, and after the release the bot answers with the context intact."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.conftest import Stack
from tests.integration.handoff_helpers import (
    HANDOFF_STARTED,
    Agent,
    bot_texts_after,
    debtor_lines,
    slot,
    tracker_events,
)

pytestmark = pytest.mark.integration

BALANCE = "$1,320.40"


def _verified_debtor(stack: Stack) -> str:
    sender = str(uuid.uuid4())
    for text in ("hi", "ACME-1001", "03/14/1985"):
        stack.say(sender, text)
    assert BALANCE in " ".join(stack.say(sender, "20001"))
    return sender


def test_while_handed_off_the_bot_says_nothing_and_after_release_it_resumes(stack: Stack) -> None:
    stack.revive("api")  # an earlier test may have stopped it to prove the graceful fallback
    sender = _verified_debtor(stack)
    assert any(HANDOFF_STARTED in text for text in stack.say(sender, "i want to talk to a person"))
    agent = Agent(stack)
    handoff = agent.handoff_of(sender)
    assert handoff is not None, "no handoff in the agent's queue"
    assert (handoff["status"], handoff["reason"], handoff["verified"]) == ("queued", "request_human", True)

    # Even a question the bot can answer is left to the person: while nobody has claimed the handoff, the
    # first question about the account hears once that the person will go through it, then nothing more.
    assert stack.say(sender, "hello? is anyone there") == []
    noted = stack.say(sender, "what's my balance")
    assert len(noted) == 1 and "passed that on" in noted[0] and BALANCE not in noted[0], noted
    assert stack.say(sender, "how much do i owe") == []
    asked = ["hello? is anyone there", "what's my balance", "how much do i owe"]
    assert debtor_lines(agent.detail(handoff["id"]))[-3:] == asked
    assert bot_texts_after(tracker_events(stack, sender), "hello? is anyone there") == noted

    assert agent.act(handoff["id"], "claim").status_code == 200
    reply = agent.act(handoff["id"], "reply", text="Hi, this is Dana from Acme. How can I help?")
    assert reply.status_code == 201, reply.text
    assert reply.json()["delivery"] == "delivered"
    assert agent.act(handoff["id"], "release").status_code == 200

    events = tracker_events(stack, sender)
    bot_lines = [event.get("text") for event in events if event["event"] == "bot"]
    assert "Hi, this is Dana from Acme. How can I help?" in bot_lines
    assert (slot(events, "handed_off"), slot(events, "verified")) == (False, True)
    after = " ".join(stack.say(sender, "what's my balance"))
    assert BALANCE in after, after
    assert agent.handoff_of(sender) is None
