"""POST/GET /accounts/{id}/plans: created only on accept, idempotent per account and key."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.collections import plans
from api.collections.models import PaymentPlan
from tests.api.collections_helpers import NOW, event_types, fix_clock, verified_account

BASE = "/api/v1/accounts"
PLAN_200 = {"kind": "plan", "amount": "200", "frequency": "monthly", "start_date": None, "hardship": False}


@pytest.fixture(autouse=True)
def _clock(client: TestClient) -> None:
    fix_clock(client)


def create(
    client: TestClient, account_id: str, grant: dict[str, str], key: str, offer: dict[str, Any]
) -> Any:
    return client.post(f"{BASE}/{account_id}/plans", json=offer, headers={**grant, "Idempotency-Key": key})


def plan_count(session: Session, account_id: str) -> int:
    query = select(func.count()).select_from(PaymentPlan).where(PaymentPlan.account_id == account_id)
    return int(session.scalar(query) or 0)


def test_an_accepted_offer_becomes_an_active_plan(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = create(client, account_id, grant, "key-1", PLAN_200)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status", "terms", "created_at"}
    assert body["status"] == "active"
    terms = body["terms"]
    assert (terms["amount"], terms["frequency"], terms["instalments"], terms["total"]) == (
        "200.00",
        "monthly",
        7,
        "1320.40",
    )
    assert terms["schedule"][-1] == {"due_date": "2027-05-29", "amount": "120.40"}
    assert client.get(f"{BASE}/{account_id}/status").json()["active_plan"] is True


def test_the_plan_is_recorded_in_the_events(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    plan = create(client, account_id, grant, "key-1", PLAN_200).json()

    event = client.get(f"{BASE}/{account_id}/events").json()[-1]

    assert (event["type"], event["data"]) == (
        "plan.created",
        {
            "plan_id": plan["id"],
            "kind": "plan",
            "amount": "200.00",
            "frequency": "monthly",
            "instalments": 7,
            "start_date": "2026-11-29",
            "total": "1320.40",
            "deadline": None,
            "hardship": False,
        },
    )


def test_the_same_key_returns_the_same_plan(client: TestClient, session: Session) -> None:
    account_id, grant = verified_account(client)
    first = create(client, account_id, grant, "key-1", PLAN_200)

    again = create(client, account_id, grant, "key-1", PLAN_200)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert plan_count(session, account_id) == 1
    assert event_types(client, account_id).count("plan.created") == 1


def test_a_retried_key_returns_the_plan_even_after_the_terms_changed(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    first = create(client, account_id, grant, "key-1", PLAN_200).json()
    fix_clock(client, NOW.replace(month=12))  # the quoted start date would differ now

    again = create(client, account_id, grant, "key-1", PLAN_200)

    assert (again.status_code, again.json()["id"]) == (200, first["id"])


def test_a_concurrent_request_with_the_same_key_gets_the_first_plan(
    client: TestClient, session: Session
) -> None:
    account_id, grant = verified_account(client)
    first = create(client, account_id, grant, "key-1", PLAN_200).json()
    account = session.get(Account, account_id)
    assert account is not None

    plan, created = plans.create_plan(session, account, first["terms"], "key-1", NOW)

    assert (plan.id, created) == (first["id"], False)
    assert plan_count(session, account_id) == 1


def test_keys_are_per_account(client: TestClient) -> None:
    account_a, grant_a = verified_account(client)
    account_b, grant_b = verified_account(client)

    first = create(client, account_a, grant_a, "same-key", PLAN_200)
    second = create(client, account_b, grant_b, "same-key", PLAN_200)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_a_new_plan_supersedes_the_active_one(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    old = create(client, account_id, grant, "key-1", PLAN_200).json()

    new = create(
        client, account_id, grant, "key-2", {**PLAN_200, "amount": "400", "frequency": "weekly"}
    ).json()

    listed = client.get(f"{BASE}/{account_id}/plans", headers=grant).json()
    assert [(plan["id"], plan["status"]) for plan in listed] == [
        (old["id"], "superseded"),
        (new["id"], "active"),
    ]
    assert event_types(client, account_id)[-2:] == ["plan.superseded", "plan.created"]


def test_terms_the_policy_would_counter_are_409_with_the_evaluation(
    client: TestClient, session: Session
) -> None:
    account_id, grant = verified_account(client)

    response = create(client, account_id, grant, "key-1", {**PLAN_200, "amount": "40"})

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert (detail["decision"], detail["reasons"]) == (
        "counter",
        ["below_minimum_instalment", "exceeds_max_term"],
    )
    assert detail["counter_offers"][0]["amount"] == "110.04"
    assert plan_count(session, account_id) == 0


def test_a_counter_offer_can_be_accepted_as_it_came(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    evaluation = client.post(
        f"{BASE}/{account_id}/offers/evaluate",
        json={**PLAN_200, "amount": "40", "hardship": True},
        headers=grant,
    ).json()
    counter = evaluation["counter_offers"][0]
    accepted = {key: counter[key] for key in ("kind", "amount", "frequency", "start_date", "hardship")}

    response = create(client, account_id, grant, "key-1", accepted)

    assert response.status_code == 201
    assert response.json()["terms"] == counter


def test_an_accepted_settlement_is_created_with_its_deadline(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = create(client, account_id, grant, "key-1", {"kind": "settlement", "amount": "800"})

    assert response.status_code == 201
    terms = response.json()["terms"]
    assert (terms["kind"], terms["amount"], terms["total"], terms["deadline"]) == (
        "settlement",
        "800.00",
        "800.00",
        "2026-12-06",
    )


def test_no_plan_on_a_disputed_account(client: TestClient, session: Session) -> None:
    account_id, grant = verified_account(client)
    client.post(f"{BASE}/{account_id}/disputes", json={"reason": "not_mine"})

    response = create(client, account_id, grant, "key-1", PLAN_200)

    assert response.status_code == 409
    assert (response.json()["detail"]["decision"], response.json()["detail"]["reasons"]) == (
        "refer",
        ["account_disputed"],
    )
    assert plan_count(session, account_id) == 0


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "k" * 129}])
def test_the_idempotency_key_is_required(client: TestClient, headers: dict[str, str]) -> None:
    account_id, grant = verified_account(client)

    response = client.post(f"{BASE}/{account_id}/plans", json=PLAN_200, headers={**grant, **headers})

    assert response.status_code == 422


def test_listing_plans_of_an_account_without_any(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    response = client.get(f"{BASE}/{account_id}/plans", headers=grant)

    assert (response.status_code, response.json()) == (200, [])
