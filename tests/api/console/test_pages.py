"""The console pages: sign-in form, queue and handoff pages behind the cookie, assets from our own host."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.handoff_helpers import sign_in_as


def test_pages_without_a_session_redirect_to_sign_in(
    anonymous_client: TestClient, handoff_tables: None
) -> None:
    for path in ("/console", "/console/handoffs/00000000-0000-4000-8000-000000000000"):
        response = anonymous_client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/console/login")


def test_the_sign_in_page_loads_only_our_own_script_and_styles(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/console/login")

    assert response.status_code == 200
    assert 'src="/console/console.js"' in response.text and "http" not in response.text.split("<body")[0]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert anonymous_client.get("/console/console.js").headers["content-type"].startswith("text/javascript")
    assert anonymous_client.get("/console/console.css").status_code == 200
    assert anonymous_client.get("/console/other.js").status_code == 404


def test_a_signed_in_agent_gets_the_queue_and_handoff_pages(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    sign_in_as(anonymous_client, session, "agent")

    queue = anonymous_client.get("/console")
    handoff = anonymous_client.get("/console/handoffs/abc")

    assert queue.status_code == 200 and 'data-page="queue"' in queue.text
    assert handoff.status_code == 200 and 'data-handoff="abc"' in handoff.text


def test_marketing_gets_no_console(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    assert anonymous_client.get("/console").status_code == 403


def test_a_handoff_id_with_a_script_tag_is_escaped_in_the_page(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    sign_in_as(anonymous_client, session, "agent")

    page = anonymous_client.get('/console/handoffs/"><script>alert(1)').text

    assert "<script>alert" not in page
    assert 'data-handoff="&#34;&gt;&lt;script&gt;alert(1)"' in page
