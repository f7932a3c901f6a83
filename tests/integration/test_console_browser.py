"""The agent console and the webchat together, in two headless chromium contexts driven by Playwright
against the running stack: a debtor asks for a person, the agent sees it arrive in the live queue (SSE,
no reload), claims it, replies, the debtor sees the reply, the agent releases, the bot answers again.

Screenshots go to artifacts/console-*.png (each step); docs/console.png (the README's) is written when
missing or with UPDATE_DOCS_SCREENSHOT=1, so ordinary runs leave the tracked file alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.integration.conftest import ROOT, Stack
from tests.integration.handoff_helpers import (
    AGENT_EMAIL,
    AGENT_PASSWORD,
    HANDOFF_STARTED,
    Agent,
    bot_texts_after,
    tracker_events,
)
from tests.integration.test_webchat_browser import (
    ARTIFACTS,
    BALANCE,
    CONVERSATION,
    REPLY_MS,
    chromium,
    open_chat,
    say,
    session_id,
    type_message,
    verify,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.integration, pytest.mark.browser]

BOT_LINES = ".rw-response"
README_SCREENSHOT = ROOT / "docs" / "console.png"
REPLY = "Hi, this is Dana from Acme. I can see your account; how can I help?"
WHILE_PAUSED = "are you there? I need to talk about my balance"
SUPERVISOR_EMAIL, SUPERVISOR_PASSWORD = "supervisor@example.com", "demo-supervisor-password"


@pytest.fixture
def browser(stack: Stack) -> Iterator[Browser]:
    """Headless Debian chromium."""
    with chromium(stack) as launched:
        yield launched


def shot(page: Page, name: str) -> None:
    """Keep the page as artifacts/console-<name>.png, and say where."""
    path = ARTIFACTS / f"console-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def send(page: Page, text: str) -> None:
    """The debtor sends a message and sees it in the conversation (no reply awaited)."""
    from playwright.sync_api import expect

    type_message(page, text)
    expect(page.locator(".rw-client").filter(has_text=text).last).to_be_visible(timeout=REPLY_MS)


def sign_in(page: Page, stack: Stack, email: str = AGENT_EMAIL, password: str = AGENT_PASSWORD) -> None:
    """A staff user (the demo agent by default) signs in and lands on the live queue."""
    from playwright.sync_api import expect

    page.goto(f"{stack.api_url}/console/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live")).to_contain_text("Live", timeout=REPLY_MS)


def verified_debtor(page: Page, stack: Stack) -> None:
    """The debtor opens the chat and verifies, so the handoff carries the account."""
    open_chat(page, f"{stack.api_url}/chat")
    verify(page)


def test_an_agent_takes_over_a_webchat_conversation_and_hands_it_back(browser: Browser, stack: Stack) -> None:
    from playwright.sync_api import expect

    debtor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        sign_in(console, stack)
        console.evaluate("window.__sameDocument = true")  # a reload or navigation would drop it
        verified_debtor(debtor, stack)
        say(debtor, "i want to talk to a person", HANDOFF_STARTED)
        conversation = session_id(debtor)
        handoff = Agent(stack).handoff_of(conversation)
        assert handoff is not None, "no handoff in the queue"

        # The queue shows it without a reload (server-sent events).
        row = console.locator(f'#queue tr[data-id="{handoff["id"]}"]')
        expect(row).to_contain_text("request human", timeout=REPLY_MS)
        assert console.evaluate("window.__sameDocument") is True
        shot(console, "1-queue")

        # While handed off, the bot sends nothing; the debtor's message reaches the agent.
        bot_lines = debtor.locator(BOT_LINES).count()
        send(debtor, WHILE_PAUSED)
        row.get_by_role("button", name="Claim").click()
        expect(console).to_have_url(f"{stack.api_url}/console/handoffs/{handoff['id']}")
        expect(console.locator("#transcript")).to_contain_text(WHILE_PAUSED, timeout=REPLY_MS)
        assert bot_texts_after(tracker_events(stack, conversation), WHILE_PAUSED) == []
        expect(debtor.locator(BOT_LINES)).to_have_count(bot_lines)

        # The agent's reply arrives in the debtor's widget and is marked delivered.
        console.fill("#reply", REPLY)
        console.get_by_role("button", name="Send reply").click()
        expect(debtor.locator(CONVERSATION)).to_contain_text(REPLY, timeout=REPLY_MS)
        expect(console.locator("#transcript li.agent").last).to_contain_text("delivered", timeout=REPLY_MS)
        console.fill("#note", "Verified; asked about the balance. Offer a plan if they call back.")
        console.get_by_role("button", name="Add note").click()
        expect(console.locator("#notes")).to_contain_text("Offer a plan", timeout=REPLY_MS)
        shot(debtor, "2-debtor-sees-reply")
        shot(console, "3-handoff")
        if not README_SCREENSHOT.exists() or os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
            console.screenshot(path=str(README_SCREENSHOT), full_page=True)

        # Released, the bot answers the next message, still knowing the debtor is verified.
        console.locator("#release").click()
        expect(console.locator("#facts-list")).to_contain_text("released", timeout=REPLY_MS)
        balances = debtor.locator(BOT_LINES).filter(has_text=BALANCE)
        before = balances.count()
        send(debtor, "what's my balance")
        expect(balances).to_have_count(before + 1, timeout=REPLY_MS)
        shot(debtor, "4-bot-answers-again")
    except Exception:
        shot(debtor, "failure-debtor")
        shot(console, "failure-console")
        raise


def test_a_supervisor_reassigns_a_waiting_handoff_to_an_agent(browser: Browser, stack: Stack) -> None:
    from playwright.sync_api import expect

    sender = str(uuid.uuid4())
    stack.say(sender, "hi")
    assert any(HANDOFF_STARTED in text for text in stack.say(sender, "can i talk to a real person"))
    handoff = Agent(stack).handoff_of(sender)
    assert handoff is not None, "no handoff in the queue"
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        sign_in(console, stack, SUPERVISOR_EMAIL, SUPERVISOR_PASSWORD)
        console.goto(f"{stack.api_url}/console/handoffs/{handoff['id']}")
        expect(console.locator("#reassign-form")).to_be_visible(timeout=REPLY_MS)
        console.select_option("#reassign-to", label=f"{AGENT_EMAIL} (agent)")
        console.get_by_role("button", name="Reassign").click()
        expect(console.locator("#facts-list")).to_contain_text(AGENT_EMAIL, timeout=REPLY_MS)
        expect(console.locator("#facts-list")).to_contain_text("claimed")
        shot(console, "5-supervisor-reassigned")
        assert Agent(stack).detail(handoff["id"])["claimed_by_email"] == AGENT_EMAIL
    except Exception:
        shot(console, "failure-supervisor")
        raise
