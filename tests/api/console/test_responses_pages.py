"""Marketing's response editor pages: who sees them, what they show (never a debtor), previews, diff."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.handoff_helpers import sign_in_as
from tests.api.responses_helpers import RESPONSES
from tests.factories import account_payload, create_account

PAGES = ("/console/responses", "/console/responses/utter_introduction")


def test_without_a_session_the_pages_redirect_to_sign_in(
    anonymous_client: TestClient, handoff_tables: None, seeded: Any
) -> None:
    for path in PAGES:
        response = anonymous_client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/console/login")


def test_agents_and_supervisors_never_see_the_section(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    for role in ("agent", "supervisor"):
        sign_in_as(anonymous_client, session, role)
        for path in (*PAGES, "/console/responses/utter_introduction/diff?old=1&new=1"):
            page = anonymous_client.get(path)
            assert page.status_code == 403 and "attempt to collect" not in page.text
        assert anonymous_client.get(RESPONSES).status_code == 403


def test_marketing_lists_and_searches_the_responses(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    listed = anonymous_client.get("/console/responses")
    searched = anonymous_client.get("/console/responses", params={"q": "crisis"})

    assert listed.status_code == 200 and listed.text.count('href="/console/responses/utter_') == len(seeded)
    assert "utter_crisis_support" in searched.text and "utter_introduction" not in searched.text
    assert "script-src 'self'" in listed.headers["content-security-policy"]


def test_the_queue_s_403_page_leads_marketing_to_the_editor(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    page = anonymous_client.get("/console")

    assert page.status_code == 403 and 'href="/console/responses"' in page.text


def test_the_editor_shows_variations_previews_and_history(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    page = anonymous_client.get("/console/responses/utter_ask_account_ref")

    assert page.status_code == 200 and 'data-page="response"' in page.text
    assert page.text.count('<fieldset class="variation">') == len(seeded["utter_ask_account_ref"])
    assert "distress_level is elevated" in page.text
    assert 'class="sms-bubble"' in page.text and 'class="web-bubble"' in page.text
    assert "GSM-7 · " in page.text and "per segment · 1 segment" in page.text
    assert "Publish as version 2" in page.text and "seeded from domain.yml" in page.text


def test_marketing_never_sees_a_debtor(
    client: TestClient, anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    create_account(client, reference="ACME-7777", debtor=account_payload()["debtor"])
    sign_in_as(anonymous_client, session, "marketing")

    pages = [anonymous_client.get(path).text for path in PAGES]

    last_name = account_payload()["debtor"]["last_name"]
    assert all(last_name not in page and "ACME-7777" not in page for page in pages)
    assert anonymous_client.get("/api/v1/handoffs").status_code == 403


def test_a_published_change_shows_in_history_and_diff(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")
    text = seeded["utter_goodbye"][0]["text"] + " <script>alert(1)</script>"
    headers = {"X-Console-Request": "1"}
    body = {"variations": [{"text": text}], "note": "warmer goodbye"}

    published = anonymous_client.post(f"{RESPONSES}/utter_goodbye/versions", json=body, headers=headers)
    editor = anonymous_client.get("/console/responses/utter_goodbye")
    changes = anonymous_client.get("/console/responses/utter_goodbye/diff?old=1&new=2")

    assert published.status_code == 201, published.text
    assert "warmer goodbye" in editor.text and "(live)" in editor.text and "Roll back to this" in editor.text
    assert '<span class="diff-added">+ ' in changes.text and '<span class="diff-removed">- ' in changes.text
    assert "<script>alert(1)" not in changes.text and "&lt;script&gt;alert(1)" in changes.text


def test_a_cookie_write_without_the_console_header_is_refused(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    forged = anonymous_client.post(f"{RESPONSES}/utter_goodbye/rollback", json={"version": 1})

    assert forged.status_code == 403
