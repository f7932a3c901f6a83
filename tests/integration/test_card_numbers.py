"""A card number typed into the chat at any point (before verification, mid-handoff) never appears in
the tracker store (Redis), the accounts database, the agent's transcript or any process's log."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
import redis

from channels.pii import PII_REMOVED_REPLY
from tests.integration.conftest import REDIS_DB, Stack
from tests.integration.handoff_helpers import HANDOFF_STARTED, Agent

pytestmark = pytest.mark.integration

CARD = "4111 1111 1111 1111"  # a Luhn-valid test card number
SSN = "123-45-6789"
DIGIT_FORMS = (CARD, CARD.replace(" ", ""), "4111-1111-1111-1111", SSN, SSN.replace("-", ""))


def _everywhere(stack: Stack) -> str:
    """Every byte the running product has written: Redis, the API's SQLite file, every log."""
    store = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    # Rasa's RedisTrackerStore keeps each tracker as a JSON string (SET); the lock store uses strings too.
    parts = [repr(store.get(key)) for key in store.scan_iter() if store.type(key) == b"string"]
    assert any(b"tracker" in key for key in store.scan_iter()), "no tracker in Redis: wrong database?"
    assert stack.logs is not None
    database = stack.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            parts += [repr(row) for row in connection.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    parts += [log.read_text(errors="replace") for log in stack.logs.glob("*.log")]
    return "\n".join(parts)


def test_a_card_number_before_verification_and_during_a_handoff_is_never_kept(stack: Stack) -> None:
    stack.revive("api")  # an earlier test may have stopped it to prove the graceful fallback
    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    first = stack.say(sender, f"can i just pay now, my card is {CARD} exp 12/29")
    assert PII_REMOVED_REPLY in first
    assert any(HANDOFF_STARTED in text for text in stack.say(sender, "i want to talk to a person"))
    during = stack.say(sender, f"my ssn is {SSN} and the card again 4111-1111-1111-1111")
    assert during == [PII_REMOVED_REPLY]  # told why, and otherwise the bot stays silent

    handoff = Agent(stack).handoff_of(sender)
    assert handoff is not None
    transcript = " ".join(line["text"] for line in handoff["transcript"])
    everything = _everywhere(stack) + transcript
    assert "can i just pay now, my card is" in _everywhere(stack)  # the search does see what was kept
    for form in DIGIT_FORMS:
        assert form not in everything, f"{form!r} was kept somewhere"
