"""Faults mid-conversation on the running product (issue 15, Reliability): the action server killed with
SIGKILL, the accounts API killed; the debtor always gets a short graceful reply, a person is queued when
the bot could not answer, the conversation carries on once the service is back, and nothing the debtor
agreed to is recorded twice."""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from channels.turns import SERVICE_TROUBLE_REPLY
from tests.integration.conftest import DEBT_WORDS, MINI_MIRANDA, Stack
from tests.integration.handoff_helpers import Agent

pytestmark = pytest.mark.integration

PROMISE = "i get paid next thursday so ill pay it then"
"""tests/e2e/test_promises.yml's promise with its date: recorded in one turn."""


def verified(stack: Stack) -> str:
    """A REST conversation verified as the demo debtor of ACME-1001."""
    sender = str(uuid.uuid4())
    for message in ("hi", "ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)
    return sender


def promises(stack: Stack) -> int:
    with sqlite3.connect(stack.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return int(db.execute("SELECT count(*) FROM promises").fetchone()[0])


def service_unavailable_handoffs(stack: Stack) -> list[dict[str, object]]:
    queue = httpx.get(f"{stack.api_url}/api/v1/handoffs", headers=Agent(stack)._headers, timeout=30)
    queue.raise_for_status()
    return [item for item in queue.json() if item["reason"] == "service_unavailable"]


def test_with_the_action_server_killed_the_debtor_gets_the_fixed_reply_and_then_carries_on(
    stack: Stack,
) -> None:
    stack.revive("actions")
    sender = str(uuid.uuid4())
    assert MINI_MIRANDA in " ".join(" ".join(stack.say(sender, "hi")).split())
    stack.kill("actions")
    try:
        during = stack.say(sender, "ACME-1001")
    finally:
        stack.revive("actions")
    after = stack.say(sender, "ACME-1001")

    assert SERVICE_TROUBLE_REPLY in during, during
    assert not any(word in text for text in during for word in DEBT_WORDS), during
    assert SERVICE_TROUBLE_REPLY not in after and "date of birth" in " ".join(after), after


def test_an_sms_debtor_is_queued_for_a_person_while_the_action_server_is_down(stack: Stack) -> None:
    from tests.integration.test_sms import text  # the sink's own `make sms-demo` client

    stack.revive("actions")
    stack.revive("api")
    number = f"+1202555{uuid.uuid4().int % 10_000:04d}"
    text(stack, number, "hi")
    before = len(service_unavailable_handoffs(stack))
    stack.kill("actions")
    try:
        during = text(stack, number, "ACME-1001")
    finally:
        stack.revive("actions")
    after = text(stack, number, "ACME-1001")

    assert SERVICE_TROUBLE_REPLY in during, during
    assert len(service_unavailable_handoffs(stack)) == before + 1
    assert SERVICE_TROUBLE_REPLY not in after and "date of birth" in " ".join(after), after


def test_a_promise_repeated_across_an_api_outage_is_recorded_once(stack: Stack) -> None:
    stack.revive("api")
    stack.revive("actions")
    sender, before = verified(stack), promises(stack)
    first = " ".join(stack.say(sender, PROMISE))
    stack.kill("api")
    try:
        during = " ".join(stack.say(sender, PROMISE))
    finally:
        stack.revive("api")
    again = " ".join(stack.say(sender, PROMISE))

    assert "noted" in first.lower() or "promise" in first.lower(), first
    assert "$" not in during and "Northwind" not in during, during
    assert "Nothing on your account has changed" in during or SERVICE_TROUBLE_REPLY in during, during
    assert promises(stack) == before + 1, (first, during, again)
