"""Every grant endpoint of the collections contract: no grant, a forged or expired one, or a grant for
another account is 403, and nothing is recorded."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from api.accounts import grants
from tests.api.collections_helpers import GRANT, event_types, fix_clock, verified_account
from tests.factories import SECRET_KEY, create_account

BASE = "/api/v1/accounts"
OFFER = {"kind": "plan", "amount": "200", "frequency": "monthly", "start_date": None, "hardship": False}
GRANT_ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, dict[str, str]]] = [
    ("POST", "offers/evaluate", OFFER, {}),
    ("POST", "plans", OFFER, {"Idempotency-Key": "grant-test"}),
    ("GET", "plans", None, {}),
    ("POST", "promises", {"date": "2026-12-01", "amount": None}, {}),
    ("GET", "validation-notice", None, {}),
    ("POST", "payment-links", {"amount": None}, {}),
]
IDS = [f"{method} {path}" for method, path, _, _ in GRANT_ENDPOINTS]


@pytest.fixture(autouse=True)
def _clock(client: TestClient) -> None:
    fix_clock(client)


def call(client: TestClient, account_id: str, endpoint: tuple[Any, ...], grant: dict[str, str]) -> Any:
    method, path, body, headers = endpoint
    return client.request(method, f"{BASE}/{account_id}/{path}", json=body, headers={**headers, **grant})


@pytest.mark.parametrize("endpoint", GRANT_ENDPOINTS, ids=IDS)
def test_a_verified_debtor_is_served(client: TestClient, endpoint: tuple[Any, ...]) -> None:
    account_id, grant = verified_account(client)

    assert call(client, account_id, endpoint, grant).status_code in (200, 201)


@pytest.mark.parametrize("endpoint", GRANT_ENDPOINTS, ids=IDS)
def test_without_a_grant_it_is_403(client: TestClient, endpoint: tuple[Any, ...]) -> None:
    account = create_account(client)
    before = event_types(client, account["id"])

    response = call(client, account["id"], endpoint, {})

    assert response.status_code == 403
    assert event_types(client, account["id"]) == before


@pytest.mark.parametrize("endpoint", GRANT_ENDPOINTS, ids=IDS)
def test_a_grant_for_another_account_is_403(client: TestClient, endpoint: tuple[Any, ...]) -> None:
    _, grant_a = verified_account(client)
    account_b = create_account(client)
    before = event_types(client, account_b["id"])

    response = call(client, account_b["id"], endpoint, grant_a)

    assert response.status_code == 403
    assert event_types(client, account_b["id"]) == before


@pytest.mark.parametrize("endpoint", GRANT_ENDPOINTS, ids=IDS)
def test_an_expired_or_forged_grant_is_403(client: TestClient, endpoint: tuple[Any, ...]) -> None:
    account = create_account(client)
    issued = datetime.now(UTC) - timedelta(hours=2)
    expired, _ = grants.create_grant(SECRET_KEY, account["id"], 60, issued)
    forged = jwt.encode(
        {"sub": account["id"], "purpose": "debtor-disclosure", "exp": datetime.now(UTC) + timedelta(hours=1)},
        "another-secret-key-0123456789abcdef012345",
        algorithm="HS256",
    )

    for grant in (expired, forged, "not-a-jwt"):
        assert call(client, account["id"], endpoint, {GRANT: grant}).status_code == 403


@pytest.mark.parametrize("endpoint", GRANT_ENDPOINTS, ids=IDS)
def test_the_service_token_is_needed_too(
    anonymous_client: TestClient, client: TestClient, endpoint: Any
) -> None:
    account_id, grant = verified_account(client)

    assert call(anonymous_client, account_id, endpoint, grant).status_code == 401
