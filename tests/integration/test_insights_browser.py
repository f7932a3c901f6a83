"""The insights dashboard in headless Debian chromium (Playwright): Chart.js, served by the API from npm,
draws every chart from the page's JSON block under the section's CSP, with the demo data `make run` seeds.

Starts only the API (migrated and seeded as `make run` does: the embedded SQLite default gets the demo
conversations); no model needed. Leaves a screenshot in artifacts/insights-dashboard.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.running import Stack, StackError, running_api
from tests.integration.test_webchat_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, require_browser

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.integration, pytest.mark.browser]

MARKETING = {"email": "marketing@example.com", "password": "demo-marketing-password"}
FUNNEL = ["first message", "verified", "balance", "offer", "agreement", "payment link opened", "payment made"]
CREDITORS = {"Northwind Bank", "Contoso Health", "Fabrikam Telecom", "not verified"}
CHARTS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart.getChart(canvas);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted += 1; }
  return {
    id: canvas.dataset.chart,
    width: canvas.width,
    height: canvas.height,
    painted: painted,
    labels: chart ? chart.data.labels : null,
    data: chart ? chart.data.datasets.map((set) => set.data) : null,
  };
})"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The API alone, as `make run` starts and seeds it."""
    try:
        with running_api(tmp_path_factory.mktemp("insights")) as running:
            yield running
    except StackError as error:
        pytest.fail(str(error))


@dataclass
class Tab:
    """A browser tab and the errors its console reported (a CSP violation is one)."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def note(self, kind: str, text: str, url: str) -> None:
        """Keep a console error (a CSP violation is one), except the favicon the console has not."""
        if kind == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"{text} ({url})")


@pytest.fixture
def tab(api: Stack) -> Iterator[Tab]:
    """A signed-in marketing user's tab."""
    require_browser()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=api.api_url, viewport={"width": 1280, "height": 900})
        signed_in = context.request.post("/api/v1/staff/login", data=MARKETING)
        assert signed_in.ok, signed_in.text()
        opened = Tab(context.new_page())
        opened.page.on("console", lambda m: opened.note(m.type, m.text, m.location.get("url", "")))
        opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
        opened.page.on("response", lambda r: opened.errors.append(r.url) if r.status >= 400 else None)
        try:
            yield opened
        finally:
            browser.close()


def test_chartjs_draws_every_chart_with_the_demo_data(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    page.goto("/console/insights")
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    charts: list[dict[str, Any]] = page.evaluate(CHARTS)
    embedded: dict[str, Any] = page.evaluate(
        "() => JSON.parse(document.getElementById('dashboard-charts').textContent)"
    )
    page.screenshot(path=str(ARTIFACTS / "insights-dashboard.png"), full_page=True)

    drawn = {chart["id"]: chart for chart in charts}
    assert len(drawn) >= 12 and set(drawn) <= set(embedded)
    assert all(chart["labels"] == embedded[name]["labels"] for name, chart in drawn.items())
    assert all(chart["width"] > 0 and chart["height"] > 0 and chart["painted"] > 1000 for chart in charts)
    assert drawn["funnel"]["labels"] == FUNNEL and drawn["funnel"]["data"][0][0] == 240
    assert set(drawn["outcomes-creditor"]["labels"]) == CREDITORS
    assert (
        drawn["satisfaction"]["labels"] == ["1", "2", "3", "4", "5"]
        and sum(drawn["satisfaction"]["data"][0]) > 50
    )
    assert sum(drawn["per-day"]["data"][0]) > 0
    assert tab.errors == []


def test_the_csv_export_stays(tab: Tab) -> None:
    page = tab.page
    page.goto("/console/insights")
    link = page.locator("a", has_text="breakdowns").first

    with page.expect_download() as download:
        link.click()

    body = download.value.path().read_text()
    assert body.splitlines()[0].startswith("dimension,segment,conversations,verified_rate")
    assert "Northwind Bank" in body
