"""POST/GET /api/v1/accounts, lookup and the event record, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts.models import Account
from tests.api.accounts_helpers import ACCOUNT_OUT_KEYS
from tests.factories import account_payload, create_account, debtor_payload


def test_create_returns_the_account_without_identity_facts(client: TestClient) -> None:
    payload = account_payload(reference="ACME-7001")

    response = client.post("/api/v1/accounts", json=payload)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == ACCOUNT_OUT_KEYS
    assert body["reference"] == "ACME-7001"
    assert (body["principal"], body["interest"], body["fees"]) == ("1200.00", "85.40", "35.00")
    assert body["total"] == "1320.40"
    assert (body["currency"], body["due_date"], body["days_past_due"]) == ("USD", "2026-12-15", 45)
    assert body["time_barred"] is False


def test_amounts_are_exact_decimals_end_to_end(client: TestClient, session: Session) -> None:
    payload = account_payload(principal="9999999999.99", interest="0.10", fees="0.2")

    created = client.post("/api/v1/accounts", json=payload).json()
    fetched = client.get(f"/api/v1/accounts/{created['id']}").json()
    row = session.get(Account, created["id"])

    assert (fetched["principal"], fetched["interest"], fetched["fees"]) == ("9999999999.99", "0.10", "0.20")
    assert fetched["total"] == "10000000000.29"
    assert row is not None
    assert (row.principal, row.interest, row.fees) == (
        Decimal("9999999999.99"),
        Decimal("0.10"),
        Decimal("0.20"),
    )
    assert isinstance(row.principal, Decimal)


def test_whole_amounts_gain_two_decimal_places(client: TestClient) -> None:
    body = create_account(client, principal=640, interest="0", fees="25")

    assert (body["principal"], body["interest"], body["fees"], body["total"]) == (
        "640.00",
        "0.00",
        "25.00",
        "665.00",
    )


@pytest.mark.parametrize(
    ("debtor_field", "value"),
    [
        ("phone", "12345"),
        ("phone", "not a phone"),
        ("timezone", "Mars/Olympus_Mons"),
        ("zip_code", "2000"),
        ("zip_code", "ABCDE"),
        ("ssn_last4", "12a4"),
        ("ssn_last4", "12345"),
        ("dob", "14/03/1985"),
        ("dob", "2999-01-01"),
    ],
)
def test_invalid_debtor_facts_are_422(client: TestClient, debtor_field: str, value: str) -> None:
    payload = account_payload(debtor=debtor_payload(**{debtor_field: value}))

    response = client.post("/api/v1/accounts", json=payload)

    assert response.status_code == 422
    assert ["body", "debtor", debtor_field] in [error["loc"][:3] for error in response.json()["detail"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("principal", "10.001"),
        ("fees", "-1.00"),
        ("principal", "1e20"),
        ("currency", "DOLLARS"),
        ("reference", ""),
    ],
)
def test_invalid_account_fields_are_422(client: TestClient, field: str, value: str) -> None:
    response = client.post("/api/v1/accounts", json=account_payload(**{field: value}))

    assert response.status_code == 422


def test_validation_errors_do_not_echo_identity_facts(client: TestClient) -> None:
    payload = account_payload(debtor=debtor_payload(ssn_last4="98x7", dob="1984-02-31"))

    response = client.post("/api/v1/accounts", json=payload)

    assert response.status_code == 422
    assert "98x7" not in response.text
    assert "1984-02-31" not in response.text


def test_duplicate_reference_is_409_whatever_its_case(client: TestClient) -> None:
    create_account(client, reference="ACME-7002")

    response = client.post("/api/v1/accounts", json=account_payload(reference=" acme-7002 "))

    assert response.status_code == 409


def test_an_account_for_a_known_phone_joins_that_debtor(client: TestClient) -> None:
    first = create_account(client, debtor=debtor_payload(phone="+12025550143"))

    second = create_account(client, debtor=debtor_payload(phone="(202) 555-0143"))

    assert second["debtor_id"] == first["debtor_id"]
    assert second["id"] != first["id"]


def test_read_returns_the_created_account(client: TestClient) -> None:
    created = create_account(client)

    response = client.get(f"/api/v1/accounts/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_read_unknown_account_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/accounts/00000000-0000-4000-8000-000000000000")

    assert response.status_code == 404


def test_lookup_by_phone_in_any_format_returns_only_the_account_id(client: TestClient) -> None:
    created = create_account(client, debtor=debtor_payload(phone="+12025550143"))

    response = client.post("/api/v1/accounts/lookup", json={"phone": "(202) 555-0143"})

    assert response.status_code == 200
    assert response.json() == {"account_id": created["id"]}


def test_lookup_by_reference_ignores_case_and_surrounding_spaces(client: TestClient) -> None:
    created = create_account(client, reference="ACME-7003")

    response = client.post("/api/v1/accounts/lookup", json={"reference": "  acme-7003 "})

    assert response.json() == {"account_id": created["id"]}


def test_lookup_by_phone_returns_the_newest_of_several_accounts(client: TestClient) -> None:
    debtor = debtor_payload(phone="+13125550188")
    create_account(client, debtor=debtor)
    newest = create_account(client, debtor=debtor)

    response = client.post("/api/v1/accounts/lookup", json={"phone": "+1 312 555 0188"})

    assert response.json() == {"account_id": newest["id"]}


@pytest.mark.parametrize("body", [{"phone": "+14155550100"}, {"reference": "NOPE-1"}])
def test_lookup_without_a_match_is_404(client: TestClient, body: dict[str, str]) -> None:
    create_account(client)

    assert client.post("/api/v1/accounts/lookup", json=body).status_code == 404


@pytest.mark.parametrize("body", [{}, {"phone": "+12025550143", "reference": "ACME-1001"}, {"phone": "12"}])
def test_lookup_needs_exactly_one_valid_key(client: TestClient, body: dict[str, str]) -> None:
    assert client.post("/api/v1/accounts/lookup", json=body).status_code == 422


def test_events_start_with_account_created(client: TestClient) -> None:
    created = create_account(client, reference="ACME-7004")

    response = client.get(f"/api/v1/accounts/{created['id']}/events")

    assert response.status_code == 200
    [event] = response.json()
    assert (event["type"], event["account_id"], event["data"]) == (
        "account.created",
        created["id"],
        {"reference": "ACME-7004"},
    )


def test_events_of_unknown_account_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/accounts/00000000-0000-4000-8000-000000000000/events").status_code == 404


ENDPOINTS = [
    ("POST", "/api/v1/accounts", {}),
    ("GET", "/api/v1/accounts/{id}", None),
    ("POST", "/api/v1/accounts/lookup", {"reference": "ACME-1001"}),
    ("POST", "/api/v1/accounts/{id}/verify", {"dob": "1985-03-14", "zip_code": "20001"}),
    ("GET", "/api/v1/accounts/{id}/balance", None),
    ("GET", "/api/v1/accounts/{id}/events", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-0123456789", "Basic dGVzdDp0ZXN0"])
def test_api_calls_without_the_service_token_are_401(
    client: TestClient,
    anonymous_client: TestClient,
    method: str,
    path: str,
    body: dict[str, str] | None,
    authorization: str | None,
) -> None:
    account = create_account(client)
    headers = {"Authorization": authorization} if authorization else {}

    response = anonymous_client.request(method, path.format(id=account["id"]), json=body, headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
