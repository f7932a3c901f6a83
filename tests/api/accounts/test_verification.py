"""POST /api/v1/accounts/{id}/verify: facts checked, attempts counted, lockout, events."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts.models import Debtor
from tests.factories import DOB, SSN_LAST4, ZIP_CODE, create_account, debtor_payload, verify

WRONG = {"dob": "1985-03-15", "zip_code": ZIP_CODE}


def _debtor(session: Session, debtor_id: str) -> Debtor:
    debtor = session.get(Debtor, debtor_id, populate_existing=True)
    assert debtor is not None
    return debtor


@pytest.mark.parametrize(
    "facts",
    [
        {"dob": DOB, "zip_code": ZIP_CODE},
        {"dob": DOB, "ssn_last4": SSN_LAST4},
        {"dob": DOB, "zip_code": f"{ZIP_CODE}-1234", "ssn_last4": SSN_LAST4},
    ],
)
def test_correct_facts_verify_and_return_a_grant(client: TestClient, facts: dict[str, str]) -> None:
    account = create_account(client)

    response = verify(client, account["id"], **facts)

    assert response.status_code == 200
    body = response.json()
    assert (body["verified"], body["locked"], body["locked_until"]) == (True, False, None)
    assert body["attempts_remaining"] == 3
    assert body["grant"]
    expires_at = datetime.fromisoformat(body["grant_expires_at"])
    assert timedelta(minutes=29) < expires_at - datetime.now(UTC) <= timedelta(minutes=30)


@pytest.mark.parametrize(
    "facts",
    [
        {"dob": "1985-03-15", "zip_code": ZIP_CODE},
        {"dob": DOB, "zip_code": "20002"},
        {"dob": DOB, "ssn_last4": "1234"},
        {"dob": DOB, "zip_code": ZIP_CODE, "ssn_last4": "1234"},
    ],
)
def test_any_wrong_fact_fails_without_a_grant(client: TestClient, facts: dict[str, str]) -> None:
    account = create_account(client)

    body = verify(client, account["id"], **facts).json()

    assert body == {
        "verified": False,
        "attempts_remaining": 2,
        "locked": False,
        "locked_until": None,
        "grant": None,
        "grant_expires_at": None,
    }


@pytest.mark.parametrize("facts", [{"dob": DOB}, {"zip_code": ZIP_CODE, "ssn_last4": SSN_LAST4}, {}])
def test_dob_plus_a_second_fact_is_required(client: TestClient, facts: dict[str, str]) -> None:
    account = create_account(client)

    assert client.post(f"/api/v1/accounts/{account['id']}/verify", json=facts).status_code == 422


def test_three_failures_lock_the_debtor_out(client: TestClient, session: Session) -> None:
    account = create_account(client)

    remaining = [verify(client, account["id"], **WRONG).json()["attempts_remaining"] for _ in range(2)]
    third = verify(client, account["id"], **WRONG).json()

    assert remaining == [2, 1]
    assert (third["verified"], third["locked"], third["attempts_remaining"]) == (False, True, 0)
    locked_until = datetime.fromisoformat(third["locked_until"])
    assert timedelta(hours=23, minutes=59) < locked_until - datetime.now(UTC) <= timedelta(hours=24)
    assert _debtor(session, account["debtor_id"]).failed_verifications == 3


def test_a_locked_debtor_cannot_verify_even_with_correct_facts(client: TestClient, session: Session) -> None:
    account = create_account(client)
    for _ in range(3):
        verify(client, account["id"], **WRONG)

    body = verify(client, account["id"]).json()

    assert (body["verified"], body["locked"], body["grant"]) == (False, True, None)
    assert _debtor(session, account["debtor_id"]).failed_verifications == 3  # not counted further
    assert client.get(f"/api/v1/accounts/{account['id']}/balance").status_code == 403


def test_the_lockout_covers_every_account_of_the_debtor(client: TestClient) -> None:
    debtor = debtor_payload()
    first = create_account(client, debtor=debtor)
    second = create_account(client, debtor=debtor)
    for _ in range(3):
        verify(client, first["id"], **WRONG)

    body = verify(client, second["id"]).json()

    assert (body["verified"], body["locked"]) == (False, True)


def test_an_expired_lockout_gives_fresh_attempts(client: TestClient, session: Session) -> None:
    account = create_account(client)
    for _ in range(3):
        verify(client, account["id"], **WRONG)
    debtor = _debtor(session, account["debtor_id"])
    debtor.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()

    body = verify(client, account["id"]).json()

    assert (body["verified"], body["locked"], body["attempts_remaining"]) == (True, False, 3)
    assert _debtor(session, account["debtor_id"]).locked_until is None


def test_success_resets_the_failure_count(client: TestClient, session: Session) -> None:
    account = create_account(client)
    verify(client, account["id"], **WRONG)
    verify(client, account["id"], **WRONG)

    body = verify(client, account["id"]).json()

    assert (body["verified"], body["attempts_remaining"]) == (True, 3)
    assert _debtor(session, account["debtor_id"]).failed_verifications == 0
    assert verify(client, account["id"], **WRONG).json()["attempts_remaining"] == 2


def test_attempts_are_recorded_as_events_holding_only_counts(client: TestClient) -> None:
    account = create_account(client)
    verify(client, account["id"])
    for _ in range(3):
        verify(client, account["id"], **WRONG)
    verify(client, account["id"])

    events = client.get(f"/api/v1/accounts/{account['id']}/events").json()

    assert [(event["type"], event["data"]) for event in events[1:]] == [
        ("verification.succeeded", {"attempts": 1}),
        ("verification.failed", {"attempts": 1}),
        ("verification.failed", {"attempts": 2}),
        ("verification.failed", {"attempts": 3}),
        ("verification.locked", {"attempts": 3}),
        ("verification.blocked", {"attempts": 3}),
    ]


def test_verify_unknown_account_is_404(client: TestClient) -> None:
    assert verify(client, "00000000-0000-4000-8000-000000000000").status_code == 404
