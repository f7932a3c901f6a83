"""The first conversation end to end over Rasa's REST channel, against the real running stack."""

from __future__ import annotations

import os
import signal
import uuid

import httpx
import pytest
import redis

from tests.integration.conftest import DEBT_WORDS, MINI_MIRANDA, REDIS_DB, Stack

pytestmark = pytest.mark.integration


def test_balance_is_disclosed_only_after_verification(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    before: list[str] = []
    before += stack.say(sender, "hi")
    assert MINI_MIRANDA in " ".join(" ".join(before).split())
    before += stack.say(sender, "ACME-1001")
    before += stack.say(sender, "03/14/1985")
    assert not any(word in text for text in before for word in DEBT_WORDS), before
    after = stack.say(sender, "20001")
    balance = " ".join(after)
    assert "Northwind Bank" in balance and "$1,320.40" in balance and "Dec 15, 2026" in balance
    assert "$1,200.00" in balance and "$85.40" in balance and "$35.00" in balance


def test_asked_why_it_is_so_much_the_bot_says_what_each_part_is(stack: Stack) -> None:
    """A new user's "why is it so much, what r the fees for" got the same balance line again."""
    sender = str(uuid.uuid4())
    for message in ("ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)

    said = " ".join(" ".join(stack.say(sender, "why is it so much, what r the fees for")).split())

    assert "$1,320.40" in said and "original Northwind Bank Visa account ($1,200.00)" in said, said
    assert "dispute all or part of it" in said


def test_wrong_identity_facts_disclose_nothing_and_lock_after_three_tries(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    replies = stack.say(sender, "hello") + stack.say(sender, "ACME-1002")
    for _ in range(3):
        replies += stack.say(sender, "01/01/1970") + stack.say(sender, "99999")
    assert not any(word in text for text in replies for word in (*DEBT_WORDS, "Contoso", "665")), replies
    assert "can't try again" in replies[-1]


def test_conversations_live_in_redis(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    keys = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).keys("debtbot*")
    assert any(sender.encode() in key for key in keys)


def test_the_rasa_http_api_needs_its_token(stack: Stack) -> None:
    url = f"{stack.rasa_url}/conversations/someone/tracker"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": stack.rasa_token}, timeout=10).status_code == 200


def test_an_unreachable_accounts_api_gets_a_graceful_reply(stack: Stack) -> None:
    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    api = stack.processes["api"]
    os.killpg(api.pid, signal.SIGTERM)
    api.wait(timeout=30)
    try:
        replies = stack.say(sender, "ACME-1001")
    finally:
        stack.revive("api")  # later tests need the API again
    assert any("can't reach our account system" in text for text in replies), replies
