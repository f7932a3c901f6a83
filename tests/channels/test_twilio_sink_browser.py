"""The SMS sink's page in headless Debian chromium (Playwright): a person texts the bot from the phone view
and reads its reply, through the real Twilio channel, the real API and the real worker.

Leaves a screenshot in artifacts/sms-sink.png.
"""

from __future__ import annotations

import asyncio
import importlib.util

import pytest

from sms_sink.server import SmsSink
from tests.channels.conftest import ApiServer, Sms
from tests.conftest import IN_CI
from tests.factories import phone_number
from tests.integration.test_webchat_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

REPLY = "Hello! I can help you pay. What is your date of birth?"
TIMEOUT_MS = 15_000


def require_chromium() -> None:
    """Skip (fail under CI=true) without Debian's chromium or Playwright."""
    if CHROMIUM.exists() and importlib.util.find_spec("playwright") is not None:
        return
    reason = "needs Debian chromium (apt-get install chromium) and Playwright in the bot env"
    if IN_CI:
        pytest.fail(f"{reason}; CI=true requires it")
    pytest.skip(reason)


async def test_a_person_texts_the_bot_on_the_page_and_reads_its_reply(
    sms: Sms,
    api_server: ApiServer,
    sink: SmsSink,
) -> None:
    require_chromium()
    from playwright.async_api import async_playwright, expect

    phone = phone_number()
    sms.agent.replies = [{"text": REPLY}]
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 900, "height": 760})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            await page.goto(sink.url)
            await expect(page.locator("#number")).to_have_value("+12025550143")  # the demo debtor
            await page.fill("#number", phone)
            await page.click("#number-form button")
            await expect(page.locator("#current-number")).to_have_text(phone)

            await page.fill("#body", "I want to pay")
            await page.press("#body", "Enter")
            sent = page.locator(".message.inbound")
            await expect(sent.locator(".text")).to_have_text("I want to pay", timeout=TIMEOUT_MS)
            await expect(sent).to_have_attribute("data-status", "received")

            await sms.channel.drain()  # the bot's reply is in the API's outbox ...
            await asyncio.to_thread(api_server.run_worker, sink)  # ... and the worker sends it to the sink
            reply = page.locator(".message.outbound")
            await expect(reply).to_have_count(1, timeout=TIMEOUT_MS)
            await expect(reply.locator(".text")).to_have_text(REPLY)
            await expect(reply).to_have_attribute("data-status", "delivered", timeout=TIMEOUT_MS)
            await expect(page.locator("#problem")).to_be_hidden()
        finally:
            await page.screenshot(path=str(ARTIFACTS / "sms-sink.png"))
            await browser.close()

    assert [m.text for m in sms.agent.messages] == ["I want to pay"]
    assert errors == []
