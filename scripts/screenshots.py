"""The README's screenshots of marketing's pages, taken in headless Debian chromium (Playwright) against
the API started alone on free ports, migrated and seeded as `make run` does (demo accounts, responses,
conversations and an experiment on the embedded SQLite default).

    .venv/bot/bin/python scripts/screenshots.py [--out docs/screenshots]

Writes insights-dashboard.png, insights-review.png, insights-conversation.png, insights-gaps.png,
experiments-list.png, experiments-new.png, experiments-results.png, campaigns-list.png, campaigns-new.png
and campaigns-report.png. It leaves responses-list/editor/diff.png (the response editor's) as they are.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.running import running_api  # noqa: E402 (after the path above)
from tests.integration.test_webchat_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

MARKETING = {"email": "marketing@example.com", "password": "demo-marketing-password"}
VIEWPORT = {"width": 1280, "height": 900}
VARIANT = "It takes two minutes: pay securely here: {url} (the link works for 24 hours)."


def shoot(
    page: Page, out: Path, name: str, path: str | None = None, selector: str | None = None, full: bool = True
) -> None:
    """Open `path` (or stay), wait for the page to settle, save out/<name>.png: the whole page, the window
    (`full=False`, for long pages) or one element."""
    if path is not None:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    target = out / f"{name}.png"
    if selector:
        page.locator(selector).screenshot(path=str(target))
    else:
        page.screenshot(path=str(target), full_page=full)
    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def insights(page: Page, out: Path) -> None:
    """The dashboard (once Chart.js drew it), the review list, one conversation, the gaps."""
    page.goto("/console/insights")
    page.wait_for_selector("body[data-charts=drawn]")
    shoot(page, out, "insights-dashboard")
    shoot(page, out, "insights-review", "/console/insights/conversations?outcome=link_sent", full=False)
    page.locator("table a").first.click()
    shoot(page, out, "insights-conversation")
    shoot(page, out, "insights-gaps", "/console/insights/gaps", full=False)


def experiments(page: Page, out: Path) -> None:
    """The demo experiment's results, a new one being written, and the list with both."""
    page.goto("/console/experiments")
    page.locator("#experiments a").first.click()
    shoot(page, out, "experiments-results")
    page.goto("/console/experiments/new?response=utter_payment_link")
    page.fill("#variant_1_text", VARIANT)
    shoot(page, out, "experiments-new")
    page.click("#experiment-form button[type=submit]")
    page.wait_for_selector("#verdict")
    shoot(page, out, "experiments-list", "/console/experiments")


def campaigns(page: Page, out: Path) -> None:
    """The create form filled in, the report of the campaign it makes (with the dry run), the list."""
    page.goto("/console/campaigns")
    page.fill("#name", "Past due 31-90: gentle reminder")
    page.select_option("#past_due", "31-90")
    shoot(page, out, "campaigns-new", selector="#create")
    page.click("#create button[type=submit]")
    page.goto(page.url + "?dry_run=true")
    shoot(page, out, "campaigns-report")
    shoot(page, out, "campaigns-list", "/console/campaigns", full=False)


def main() -> int:
    """Start the API, sign in as the demo marketer, take every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, running_api(Path(tmp)) as api, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=api.api_url, viewport=VIEWPORT)
        context.request.post("/api/v1/staff/login", data=MARKETING).dispose()
        page = context.new_page()
        for take in (insights, experiments, campaigns):
            take(page, out)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
