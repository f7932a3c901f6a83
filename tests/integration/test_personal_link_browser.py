"""The debtor's personal link through the real page and widget (issue 11): the chat opens bound to the
account, so the first reply after the introduction asks for the date of birth, never the reference; an
expired or forged link opens the chat unbound with a plain notice, and the reference is asked as usual.

Shares the stack and the headless chromium page of tests/integration/test_webchat_browser.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from shared import personal_link
from tests.integration.conftest import MINI_MIRANDA, Stack
from tests.integration.test_webchat_browser import BALANCE, CONVERSATION, REPLY_MS, open_chat, page, say  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def personal_chat_url(stack: Stack, reference: str) -> str:
    """The link the API issues for the account, on this stack's address (API_PUBLIC_URL is the default)."""
    auth = {"Authorization": f"Bearer {stack.env['API_TOKEN']}"}
    with httpx.Client(base_url=stack.api_url, headers=auth, timeout=10) as api:
        account_id = api.post("/api/v1/accounts/lookup", json={"reference": reference}).json()["account_id"]
        issued = api.post(f"/api/v1/accounts/{account_id}/chat-link")
    assert issued.status_code == 201, issued.text
    token = parse_qs(urlsplit(issued.json()["url"]).query)["link"][0]
    return f"{stack.api_url}/chat?link={token}"


def test_a_personal_link_goes_straight_to_the_identity_questions(page: Page, stack: Stack) -> None:  # noqa: F811
    from playwright.sync_api import expect

    open_chat(page, personal_chat_url(stack, "ACME-1001"))
    expect(page.locator("#chat-link-notice")).to_have_count(0)

    say(page, "hi", "date of birth")
    conversation = page.locator(CONVERSATION)
    expect(conversation).to_contain_text(MINI_MIRANDA)
    assert "reference number" not in conversation.inner_text()
    assert "Northwind" not in conversation.inner_text()  # bound, not verified: nothing disclosed
    say(page, "03/14/1985", "ZIP code")
    say(page, "20001", BALANCE)


def test_an_expired_link_opens_the_chat_unbound_with_a_clear_line(page: Page, stack: Stack) -> None:  # noqa: F811
    from playwright.sync_api import expect

    now = datetime.now(timezone.utc)
    expired = personal_link.encode(stack.env["SECRET_KEY"], "any-account", now - timedelta(days=31), now)

    response = page.goto(f"{stack.api_url}/chat?link={expired}")

    assert response is not None and response.status == 200
    expect(page.locator("#chat-link-notice")).to_contain_text("expired or is not valid")
    expect(page.locator(".rw-new-message")).to_be_enabled(timeout=REPLY_MS)
    say(page, "hi", "reference number")
