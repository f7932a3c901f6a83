"""SMS on the stack as `make run` starts it, with no Twilio account: the worker's real twilio client sends
to the local SMS sink, and a phone texts the bot through the sink as `make sms-demo` does (issue 10)."""

from __future__ import annotations

import sqlite3
import subprocess
import time

import httpx
import pytest

from tests.factories import phone_number
from tests.integration.conftest import API_BIN, MINI_MIRANDA, Stack

pytestmark = pytest.mark.integration

DEMO_DEBTOR_PHONE = "+12025550143"
SECOND_DEMO_DEBTOR_PHONE = "+13125550188"
"""Sam Chen's (ACME-1002, Contoso Health): a conversation no other test here has started."""
DELIVERY_SECONDS = 30


def text(stack: Stack, number: str, *messages: str) -> list[str]:
    """`make sms-demo`'s command against this stack's sink: the bot's replies, in order."""
    command = [str(API_BIN / "python"), "-m", "sms_sink.demo", "--sink", stack.sink_url, "--from", number]
    done = subprocess.run(
        [*command, "--wait", "60", "--quiet", "4", *messages],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line.removeprefix("bot> ") for line in done.stdout.splitlines() if line.startswith("bot> ")]


def outbound_statuses(stack: Stack) -> set[str]:
    with sqlite3.connect(stack.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return {row[0] for row in db.execute("SELECT status FROM outbound_messages")}


def test_help_says_who_we_are_exactly_as_configured(stack: Stack) -> None:
    """.env's unquoted values reached the API with their spaces removed under honcho (defect 7)."""
    stack.revive("api")

    replies = text(stack, phone_number(), "HELP")

    assert "Acme Recovery Services" in replies[0]
    assert "1-800-555-0100, Mon-Fri 8am-8pm ET" in replies[0]


def test_a_debtor_texts_the_bot_and_its_replies_are_delivered_to_the_phone(stack: Stack) -> None:
    """Without a Twilio account the replies failed against Twilio; the sink receives them (defect 8)."""
    stack.revive("api")

    replies = text(stack, DEMO_DEBTOR_PHONE, "hi")

    assert MINI_MIRANDA in " ".join(" ".join(replies).split())
    deadline = time.monotonic() + DELIVERY_SECONDS
    while "delivered" not in outbound_statuses(stack) and time.monotonic() < deadline:
        time.sleep(0.5)  # the sink reports delivery to the API's status callback a moment after sending
    assert "delivered" in outbound_statuses(stack)


def test_an_sms_from_the_number_on_the_account_is_never_asked_for_the_reference(stack: Stack) -> None:
    """Issue 11: the number binds the account (API lookup, channel metadata, action_session_start), so the
    debtor goes straight to the date of birth, and nothing about the debt is said before verification."""
    stack.revive("api")

    replies = " ".join(text(stack, SECOND_DEMO_DEBTOR_PHONE, "i want to pay this off"))

    assert "date of birth" in replies
    assert "reference number" not in replies
    assert "Contoso" not in replies and "$" not in replies


def test_the_webhook_is_served_on_its_own_port_and_rasas_keeps_only_the_health(stack: Stack) -> None:
    """Twilio posts to PUBLIC_BASE_URL, the webhook's own server (TWILIO_ACK_PORT), off Rasa's event loop."""
    assert stack.twilio_webhook_url == (
        f"http://localhost:{stack.env['TWILIO_ACK_PORT']}/webhooks/twilio/webhook"
    )
    on_rasa = httpx.post(f"{stack.rasa_url}/webhooks/twilio/webhook", content=b"x", timeout=30)
    unsigned = httpx.post(stack.twilio_webhook_url, data={"MessageSid": "SM1"}, timeout=30)

    assert on_rasa.status_code in (404, 405)
    assert unsigned.status_code == 403
    assert httpx.get(f"{stack.rasa_url}/webhooks/twilio/", timeout=30).status_code == 200
