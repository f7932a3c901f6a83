"""GET /api/v1/accounts/{id}/balance: only with a valid verification grant for that very account."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from api.accounts import grants
from tests.api.accounts_helpers import BALANCE_KEYS
from tests.factories import SECRET_KEY, create_account, verify


def test_a_verified_conversation_gets_the_itemised_balance(client: TestClient) -> None:
    account = create_account(client, reference="ACME-8001")
    grant = verify(client, account["id"]).json()["grant"]

    response = client.get(
        f"/api/v1/accounts/{account['id']}/balance", headers={"X-Verification-Grant": grant}
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == BALANCE_KEYS
    assert body["account_id"] == account["id"]
    assert (body["principal"], body["interest"], body["fees"], body["total"]) == (
        "1200.00",
        "85.40",
        "35.00",
        "1320.40",
    )
    assert (body["creditor"], body["original_creditor"], body["due_date"]) == (
        "Northwind Bank",
        "Northwind Bank Visa",
        "2026-12-15",
    )


def test_a_disclosure_is_recorded(client: TestClient) -> None:
    account = create_account(client)
    grant = verify(client, account["id"]).json()["grant"]
    client.get(f"/api/v1/accounts/{account['id']}/balance", headers={"X-Verification-Grant": grant})

    events = client.get(f"/api/v1/accounts/{account['id']}/events").json()

    assert (events[-1]["type"], events[-1]["data"]) == (
        "balance.disclosed",
        {"total": "1320.40", "currency": "USD"},
    )


def test_a_grant_for_account_a_is_rejected_for_account_b(client: TestClient) -> None:
    account_a, account_b = create_account(client), create_account(client)
    grant_a = verify(client, account_a["id"]).json()["grant"]

    response = client.get(
        f"/api/v1/accounts/{account_b['id']}/balance", headers={"X-Verification-Grant": grant_a}
    )

    assert response.status_code == 403
    events = client.get(f"/api/v1/accounts/{account_b['id']}/events").json()
    assert "balance.disclosed" not in [event["type"] for event in events]


def test_an_expired_grant_is_rejected(client: TestClient) -> None:
    account = create_account(client)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    grant, _ = grants.create_grant(SECRET_KEY, account["id"], ttl_seconds=1800, now=an_hour_ago)

    response = client.get(
        f"/api/v1/accounts/{account['id']}/balance", headers={"X-Verification-Grant": grant}
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "verification grant expired"}


def _forged(account_id: str, key: str = SECRET_KEY, **claims: object) -> str:
    exp = datetime.now(UTC) + timedelta(minutes=5)
    return jwt.encode({"sub": account_id, "purpose": "debtor-disclosure", "exp": exp, **claims}, key, "HS256")


@pytest.mark.parametrize(
    "make_grant",
    [
        lambda account_id: None,
        lambda account_id: "",
        lambda account_id: "not-a-jwt",
        lambda account_id: _forged(account_id, key="another-secret-key-0123456789abcdef0123"),
        lambda account_id: _forged(account_id, purpose="something-else"),
        lambda account_id: jwt.encode(
            {"sub": account_id, "purpose": "debtor-disclosure"}, SECRET_KEY, "HS256"
        ),
        lambda account_id: jwt.encode(
            {"sub": account_id, "purpose": "debtor-disclosure", "exp": 9999999999}, None, "none"
        ),
    ],
    ids=["missing", "empty", "garbage", "wrong-key", "wrong-purpose", "no-expiry", "unsigned"],
)
def test_anything_but_a_valid_grant_is_403(client: TestClient, make_grant: object) -> None:
    account = create_account(client)
    grant = make_grant(account["id"])  # type: ignore[operator]
    headers = {"X-Verification-Grant": grant} if grant is not None else {}

    response = client.get(f"/api/v1/accounts/{account['id']}/balance", headers=headers)

    assert response.status_code == 403


def test_a_grant_without_the_service_token_is_401(client: TestClient, anonymous_client: TestClient) -> None:
    account = create_account(client)
    grant = verify(client, account["id"]).json()["grant"]

    response = anonymous_client.get(
        f"/api/v1/accounts/{account['id']}/balance", headers={"X-Verification-Grant": grant}
    )

    assert response.status_code == 401
