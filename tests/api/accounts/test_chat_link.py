"""POST /api/v1/accounts/{id}/chat-link: the debtor's personal link to the webchat, bound to the account
and expiring; the account's record notes it (its expiry, never the token)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from api.accounts import links
from api.core.config import Settings
from shared import personal_link
from tests.factories import SECRET_KEY, create_account


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["link"][0]


def test_a_link_opens_the_chat_bound_to_the_account(client: TestClient, settings: Settings) -> None:
    account = create_account(client)

    response = client.post(f"/api/v1/accounts/{account['id']}/chat-link")

    assert response.status_code == 201
    body = response.json()
    assert body["url"].startswith(f"{settings.portal_base_url}/chat?link=")
    assert personal_link.decode(token_of(body["url"]), SECRET_KEY) == account["id"]
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=29) < expires_at - datetime.now(UTC) <= timedelta(days=30)


def test_a_shorter_life_can_be_asked_never_a_longer_one(client: TestClient) -> None:
    account = create_account(client)

    short = client.post(f"/api/v1/accounts/{account['id']}/chat-link", json={"ttl_seconds": 3600}).json()
    too_long = client.post(f"/api/v1/accounts/{account['id']}/chat-link", json={"ttl_seconds": 10**9})

    assert datetime.fromisoformat(short["expires_at"]) - datetime.now(UTC) <= timedelta(hours=1)
    assert too_long.status_code == 422


def test_the_event_record_notes_the_link_without_the_token(client: TestClient) -> None:
    account = create_account(client)
    link = client.post(f"/api/v1/accounts/{account['id']}/chat-link").json()

    events = client.get(f"/api/v1/accounts/{account['id']}/events").json()

    [issued] = [event for event in events if event["type"] == "chat_link.issued"]
    assert set(issued["data"]) == {"expires_at"}
    assert token_of(link["url"]) not in str(events)


def test_unknown_accounts_and_callers_without_the_service_token_get_nothing(
    client: TestClient, anonymous_client: TestClient
) -> None:
    account = create_account(client)

    assert client.post("/api/v1/accounts/no-such-account/chat-link").status_code == 404
    assert anonymous_client.post(f"/api/v1/accounts/{account['id']}/chat-link").status_code == 401


def test_campaigns_and_letters_issue_links_with_the_same_function(settings: Settings) -> None:
    now = datetime.now(UTC)

    link = links.issue(settings, "acc-9", ttl_seconds=7 * 86400, now=now)

    assert link.expires_at == now + timedelta(days=7)
    assert personal_link.decode(token_of(link.url), SECRET_KEY) == "acc-9"
