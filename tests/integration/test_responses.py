"""Marketing's edit reaches the running bot's next reply; with the API down, the bot says domain.yml's.

Over Rasa's REST channel and by SMS (the sink's phone, signed Twilio webhooks) against the real stack
(endpoints.yml's `nlg` section, channels/nlg.py).
"""

from __future__ import annotations

import os
import signal
import uuid

import httpx
import pytest
import yaml

from tests.factories import phone_number
from tests.integration.conftest import ROOT, Stack
from tests.integration.test_sms import text

pytestmark = pytest.mark.integration

INTRODUCTION = "utter_introduction"
EDITED = "Hello, this is Penny at Acme Recovery Services, edited by marketing."
"""Who we are only: the mini-Miranda is utter_debt_collector_notice's (a live version's disclosure must stay,
so an edit carrying it could not be rolled back to domain.yml's introduction)."""


def _marketing(stack: Stack) -> dict[str, str]:
    """Bearer headers of the demo marketer `python -m api.seed` created."""
    password = stack.env.get("DEMO_MARKETING_PASSWORD") or "demo-marketing-password"
    body = {"email": "marketing@example.com", "password": password}
    login = httpx.post(f"{stack.api_url}/api/v1/staff/login", json=body, timeout=30)
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['token']}"}


def _publish(stack: Stack, headers: dict[str, str], text: str) -> int:
    """Publish `text` as the introduction's only variation; returns the new version's number."""
    url = f"{stack.api_url}/api/v1/responses/{INTRODUCTION}/versions"
    reply = httpx.post(
        url, json={"variations": [{"text": text}], "note": "integration"}, headers=headers, timeout=30
    )
    assert reply.status_code == 201, reply.text
    return int(reply.json()["number"])


def test_a_published_edit_is_the_next_reply_and_domain_yml_answers_when_the_api_is_down(stack: Stack) -> None:
    stack.revive("api")  # an earlier test may have stopped it
    domain_text = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"][INTRODUCTION][0]["text"]
    headers = _marketing(stack)
    _publish(stack, headers, EDITED)
    try:
        edited = stack.say(str(uuid.uuid4()), "hi")
        texted = text(stack, phone_number(), "hi")
        api = stack.processes["api"]
        os.killpg(api.pid, signal.SIGTERM)
        api.wait(timeout=30)
        fallback = stack.say(str(uuid.uuid4()), "hi")
    finally:
        stack.revive("api")
        url = f"{stack.api_url}/api/v1/responses/{INTRODUCTION}/rollback"  # later tests expect domain.yml's
        httpx.post(url, json={"version": 1}, headers=_marketing(stack), timeout=30).raise_for_status()
    assert edited[0] == EDITED, edited
    assert " ".join(texted[0].split()) == EDITED, texted  # the SMS reply: the same edit, one text
    assert fallback[0] == domain_text, fallback
