"""The stack as `make run` starts it answers a browser and a debtor the way they need (issue 10)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.conftest import Stack

pytestmark = pytest.mark.integration


def test_the_socket_handshake_carries_one_allow_origin_header(stack: Stack) -> None:
    """Two values (Rasa's --cors and socket.io's own) made Chromium refuse the webchat (defect 1)."""
    origin = stack.env["API_PUBLIC_URL"]

    reply = httpx.get(
        f"{stack.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
    )

    assert reply.status_code == 200
    assert reply.headers.get_list("access-control-allow-origin") == [origin]


def test_a_foreign_origin_gets_no_socket(stack: Stack) -> None:
    reply = httpx.get(
        f"{stack.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": "https://evil.example"},
    )

    assert "https://evil.example" not in reply.headers.get_list("access-control-allow-origin")


def test_the_payment_link_the_bot_sends_opens_the_portal_on_the_api(stack: Stack) -> None:
    """The link pointed at Rasa (404) when one setting served both services (defect 2)."""
    sender = str(uuid.uuid4())
    for message in ("hi", "ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)

    link = next(
        word
        for text in stack.say(sender, "send me the payment link")
        for word in text.split()
        if "/pay/" in word
    )

    assert link.startswith(stack.env["API_PUBLIC_URL"] + "/pay/")
    page = httpx.get(link.rstrip(".,)"), follow_redirects=True)
    assert page.status_code == 200
    assert "Make a payment" in page.text
