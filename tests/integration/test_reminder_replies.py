"""A reply to a campaign reminder that opened the conversation: the debtor hears who we are first."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
import pytest

from tests.integration.conftest import DEBT_WORDS, MINI_MIRANDA, Stack

pytestmark = pytest.mark.integration

REMINDER = "Hello from Acme Recovery Services. A payment date is coming up soon. Reply to this message."


def remind(stack: Stack, sender: str) -> None:
    """Put a reminder on a new tracker as api/campaigns/reminders.inject does (Rasa's tracker events API)."""
    events = [
        {
            "event": "bot",
            "text": REMINDER,
            "metadata": {"sender": "campaign", "response": "utter_reminder_due_soon"},
        },
        {"event": "slot", "name": "last_reminder", "value": "utter_reminder_due_soon"},
        {"event": "action", "name": "action_listen"},
    ]
    url = f"{stack.rasa_url}/conversations/{quote(sender, safe='')}/tracker/events"
    httpx.post(url, params={"token": stack.rasa_token}, json=events, timeout=30).raise_for_status()


def test_the_first_reply_to_a_reminder_carries_the_introduction_and_asks_for_identity(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    remind(stack, sender)
    first = " ".join(stack.say(sender, "got the reminder. ill pay it on the 15th like it says, dont worry"))
    assert MINI_MIRANDA in first and "Acme Recovery Services" in first, first
    assert "date of birth" in first or "reference" in first, first
    assert not any(word in first for word in DEBT_WORDS), first
    second = " ".join(stack.say(sender, "ACME-1001"))
    assert MINI_MIRANDA not in second, second  # once per session, not at every message
