"""A debtor's conversation through the real page and widget: Debian chromium, headless, driven by
Playwright against the running stack (API serving /chat, Rasa's webchat channel, the action server).

Leaves a screenshot in artifacts/webchat.png (artifacts/webchat-failure.png when it fails).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI
from tests.integration.conftest import MINI_MIRANDA, ROOT, Stack

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts"
WIDGET = ROOT / "webchat" / "node_modules" / "rasa-webchat"
REPLY_MS = 60_000
BALANCE = "$1,320.40"
SESSION_STORE = "acme-webchat-session"


def require_browser() -> None:
    """Skip (fail under CI=true) without Debian's chromium, Playwright, or the widget's npm packages."""
    checks = {
        "Debian chromium (apt-get install chromium)": CHROMIUM.exists(),
        "Python playwright in the bot env": importlib.util.find_spec("playwright") is not None,
        "the widget (npm ci in webchat/)": WIDGET.is_dir(),
    }
    missing = [name for name, present in checks.items() if not present]
    if not missing:
        return
    reason = "browser test needs " + ", ".join(missing)
    if IN_CI:
        pytest.fail(f"{reason}; CI=true requires it")
    pytest.skip(reason)


CONVERSATION = ".rw-messages-container"


@contextmanager
def chromium(stack: Stack) -> Iterator[Browser]:
    """Headless Debian chromium against the running stack (the API revived), closed at the end."""
    require_browser()
    from playwright.sync_api import sync_playwright

    stack.revive("api")  # an earlier test may have stopped it to prove the graceful fallback
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(stack: Stack, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page in headless chromium; its last state is kept as artifacts/webchat-<test>.png."""
    with chromium(stack) as browser:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield tab
        finally:
            tab.screenshot(path=str(ARTIFACTS / f"webchat-{request.node.name}.png"))
            if errors:
                print("browser console errors:", errors)


def type_message(page: Page, text: str) -> None:
    """Type into the widget's field and send, as a debtor would."""
    field = page.locator(".rw-new-message")
    field.fill(text)
    field.press("Enter")


def say(page: Page, text: str, reply: str) -> None:
    """Send `text` in the widget; return once `reply` is on screen."""
    from playwright.sync_api import expect

    type_message(page, text)
    expect(page.locator(CONVERSATION)).to_contain_text(reply, timeout=REPLY_MS)


def open_chat(page: Page, url: str) -> None:
    """Open the chat page at `url`; return once the widget takes messages."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator(".rw-new-message")).to_be_enabled(timeout=REPLY_MS)


def verify(page: Page) -> None:
    """Answer the identity questions as the demo debtor (ACME-1001), from "hi" to the balance."""
    say(page, "hi", "reference number")
    say(page, "ACME-1001", "date of birth")
    say(page, "03/14/1985", "ZIP code")
    say(page, "20001", BALANCE)


def session_id(page: Page) -> str:
    return str(page.evaluate(f"JSON.parse(sessionStorage.getItem('{SESSION_STORE}')).session_id"))


def test_debtor_verifies_and_sees_the_balance_in_the_widget(page: Page, stack: Stack) -> None:
    from playwright.sync_api import expect

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: requested.extend(re.findall(r"https?://[^\s'\"]+", message.text)))
    page.goto(f"{stack.api_url}/chat")
    expect(page).to_have_title("Acme Recovery Services — secure chat")
    expect(page.get_by_text("never type card numbers")).to_be_visible()
    expect(page.locator(".rw-new-message")).to_be_enabled(timeout=REPLY_MS)

    say(page, "hi", "reference number")
    expect(page.locator(CONVERSATION)).to_contain_text(MINI_MIRANDA)
    say(page, "ACME-1001", "date of birth")
    say(page, "03/14/1985", "ZIP code")
    assert BALANCE not in page.locator(CONVERSATION).inner_text()
    say(page, "20001", BALANCE)
    expect(page.get_by_text(BALANCE).last).to_be_in_viewport()
    expect(page.locator(".rw-new-message")).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "webchat.png"))
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith("data:")}
    assert hosts <= {"127.0.0.1", "localhost"}, (
        hosts
    )  # no third party (fonts) learns a debtor opened the chat


def test_a_reload_keeps_the_conversation_and_its_session(page: Page, stack: Stack) -> None:
    from playwright.sync_api import expect

    open_chat(page, f"{stack.api_url}/chat")
    say(page, "hi", "reference number")
    before = session_id(page)

    page.reload()
    expect(page.locator(CONVERSATION)).to_contain_text(MINI_MIRANDA, timeout=REPLY_MS)
    expect(page.locator(".rw-new-message")).to_be_enabled(timeout=REPLY_MS)
    say(page, "ACME-1001", "date of birth")
    assert session_id(page) == before
    tracker = page.request.get(
        f"{stack.rasa_url}/conversations/{before}/tracker", params={"token": stack.rasa_token}
    )
    user_texts = [event.get("text") for event in tracker.json()["events"] if event["event"] == "user"]
    assert user_texts == ["hi", "ACME-1001"]


PAY_LINK = re.compile(r"https?://[^\s)]+/pay/[A-Za-z0-9._~-]+")


def test_a_webchat_conversation_ends_in_a_payment_link_that_opens_the_portal(
    page: Page, stack: Stack
) -> None:
    """The page as `make run` serves it, the socket Rasa opens, the link the bot sends (defects 1, 2)."""
    from playwright.sync_api import expect

    open_chat(page, f"{stack.api_url}/chat")
    verify(page)
    say(page, "i cant pay all of it at once, can we set up some kind of plan", "yes/no")
    say(page, "yes that works", "/pay/")

    link = PAY_LINK.findall(page.locator(CONVERSATION).inner_text())[-1]
    assert link.startswith(stack.env["API_PUBLIC_URL"])
    page.goto(link)
    expect(page).to_have_title(re.compile("Make a payment"))
    expect(page.get_by_text("Northwind Bank").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "webchat-payment-link.png"))
