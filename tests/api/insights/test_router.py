"""The section's routes: marketing, supervisors and admins read it, agents do not; no page or JSON shows a
debtor's name, phone, account reference or identity facts; the pages are ours alone (no CDN, no script)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.insights.models import ReviewConversation
from tests.api.handoff_helpers import sign_in_as
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, action, bot, paying_conversation, slot, user
from tests.factories import FACTS, create_account, debtor_payload

SignIn = Callable[[str], TestClient]


@pytest.fixture
def sign_in(anonymous_client: TestClient, session: Session, handoff_tables: None) -> SignIn:
    """Sign a new staff user with the given role in on the browser-like client; that client."""

    def signed_in(role: str) -> TestClient:
        sign_in_as(anonymous_client, session, role)
        return anonymous_client

    return signed_in


PAGES = ("/console/insights", "/console/insights/conversations", "/console/insights/gaps")
FIGURES = (
    "per-day",
    "containment",
    "funnel",
    "handoffs",
    "fallback-by-intent",
    "conversion",
    "opt-outs",
    "distress",
    "satisfaction",
    "breakdowns",
)


def _conversations(broker: Broker, account: dict[str, Any], debtor: dict[str, Any]) -> None:
    reference, phone = account["reference"], debtor["phone"]
    broker.publish(
        phone,
        slot("requested_slot", "account_ref"),
        user(reference, "inform_identity", entities=[{"entity": "account_ref", "value": reference}]),
        slot("requested_slot", "dob"),
        user(FACTS["dob"], "inform_identity"),
        slot("requested_slot", "zip_code"),
        user(FACTS["zip_code"], "inform_identity"),
        slot("requested_slot", None),
        slot("verified", True),
        slot("account_id", account["id"]),
        bot(f"Thanks {debtor['first_name']}, you are verified.", "utter_verified"),
        user("whats the damage <script>alert(1)</script>", "nlu_fallback", 0.3),
        action("action_default_fallback"),
        user(f"text me at {phone} instead", "contact_preferences", 0.4),
    )
    broker.publish("web-2", *paying_conversation())


@pytest.mark.parametrize("role", ["marketing", "supervisor", "admin"])
def test_marketing_and_overseers_read_every_page_and_figure(
    sign_in: SignIn, role: str, session: Session, broker: Broker, ingested: Ingest
) -> None:
    broker.publish("web-2", *paying_conversation())
    ingested()
    browser = sign_in(role)
    conversation = session.query(ReviewConversation).one()

    for path in (*PAGES, f"/console/insights/conversations/{conversation.id}"):
        assert browser.get(path).status_code == 200, path
    for name in FIGURES:
        assert browser.get(f"/api/v1/insights/figures/{name}").status_code == 200, name
    assert browser.get("/api/v1/insights/figures/nope").status_code == 404
    funnel = browser.get("/api/v1/insights/figures/funnel?format=csv")
    assert funnel.headers["content-type"].startswith("text/csv")
    assert funnel.text.splitlines()[:2] == [
        "step,conversations,drop_off,drop_off_rate",
        "first message,1,0,0.0",
    ]
    containment = browser.get("/api/v1/insights/figures/containment?format=csv").text
    assert containment.splitlines()[0] == "conversations,contained,rate"


def test_agents_see_neither_pages_nor_json(sign_in: SignIn, insights_tables: None) -> None:
    browser = sign_in("agent")

    assert {browser.get(path).status_code for path in PAGES} == {403}
    for path in ("/figures/funnel", "/conversations", "/gaps"):
        assert browser.get(f"/api/v1/insights{path}").status_code == 403
    assert (
        browser.post("/api/v1/insights/labels", json={"turn_id": "x", "intent": "greet"}).status_code == 403
    )


def test_without_a_session_pages_redirect_and_json_is_401(
    anonymous_client: TestClient, insights_tables: None
) -> None:
    page = anonymous_client.get("/console/insights", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/console/login")
    assert anonymous_client.get("/api/v1/insights/figures/funnel").status_code == 401


def test_no_page_or_json_shows_the_debtors_identity(
    sign_in: SignIn, client: TestClient, broker: Broker, ingested: Ingest
) -> None:
    debtor = debtor_payload()
    account = create_account(client, debtor=debtor)
    _conversations(broker, account, debtor)
    ingested()
    browser = sign_in("marketing")
    rows = browser.get("/api/v1/insights/conversations").json()

    paths = [*PAGES, *(f"/console/insights/conversations/{row['id']}" for row in rows)]
    paths += ["/api/v1/insights/conversations", "/api/v1/insights/gaps"]
    paths += [f"/api/v1/insights/conversations/{row['id']}" for row in rows]
    bodies = " ".join(browser.get(path).text for path in paths)

    secrets = [debtor["last_name"], debtor["phone"], debtor["phone"][2:], account["reference"], account["id"]]
    secrets += [FACTS["dob"], FACTS["zip_code"], "Jordan"]
    assert [secret for secret in secrets if secret in bodies] == []
    pages = " ".join(browser.get(path).text for path in paths if path.startswith("/console"))
    assert "whats the damage" in pages and "<script>alert" not in pages and "&lt;script&gt;" in pages


def test_pages_load_nothing_from_elsewhere_and_no_inline_script(
    sign_in: SignIn, insights_tables: None
) -> None:
    browser = sign_in("marketing")

    page = browser.get("/console/insights")

    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts == [
        ' type="application/json" id="dashboard-charts"',
        ' src="/console/insights/assets/chart.umd.min.js" defer',
        ' src="/console/insights/assets/dashboard.js" defer',
    ]
    assert "http" not in page.text.split("<body")[0]
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "unsafe" not in policy
    assert 'data-chart="funnel"' in page.text


def test_the_chart_scripts_are_served_from_npm_and_the_section(
    sign_in: SignIn, insights_tables: None
) -> None:
    browser = sign_in("marketing")

    library = browser.get("/console/insights/assets/chart.umd.min.js")
    ours = browser.get("/console/insights/assets/dashboard.js")

    assert library.status_code == ours.status_code == 200
    assert (
        library.headers["content-type"].startswith("text/javascript") and "Chart.js v4" in library.text[:300]
    )
    assert "dashboard-charts" in ours.text
    assert browser.get("/console/insights/assets/console.js").status_code == 404


def test_a_reviewer_labels_a_gap_through_the_form_and_the_json_route(
    sign_in: SignIn, broker: Broker, ingested: Ingest
) -> None:
    broker.publish(
        "g", user("whats the damage", "nlu_fallback", 0.3), user("how much is it", "nlu_fallback", 0.2)
    )
    ingested()
    browser = sign_in("marketing")
    gaps = browser.get("/api/v1/insights/gaps").json()
    first, second = (group["messages"][0]["turn_id"] for group in gaps)
    token = browser.get("/console/insights/gaps").text.split('name="token" value="')[1].split('"')[0]

    forged = browser.post(
        "/console/insights/labels", data={"turn_id": first, "intent": "greet", "token": "x"}
    )
    posted = browser.post(
        "/console/insights/labels",
        data={"turn_id": first, "intent": "check_balance", "token": token},
        follow_redirects=False,
    )
    no_csrf = browser.post("/api/v1/insights/labels", json={"turn_id": second, "intent": "check_balance"})
    labelled = browser.post(
        "/api/v1/insights/labels",
        json={"turn_id": second, "intent": "check_balance"},
        headers={"X-Console-Request": "1"},
    )

    assert forged.status_code == 403 and posted.status_code == 303 and no_csrf.status_code == 403
    assert labelled.status_code == 201
    assert browser.get("/api/v1/insights/gaps").json() == []
