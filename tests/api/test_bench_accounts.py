"""The load bench's accounts (scripts/loadbench/accounts.py) are what POST /api/v1/accounts accepts."""

from fastapi.testclient import TestClient

from api.accounts.schemas import AccountCreate
from scripts.loadbench.accounts import account_body, debtor
from tests.factories import API_TOKEN


def test_bench_account_bodies_validate_and_have_distinct_phones() -> None:
    bodies = [AccountCreate.model_validate(account_body(debtor(n))) for n in range(300)]
    assert len({body.debtor.phone for body in bodies}) == 300
    assert len({body.reference for body in bodies}) == 300


def test_the_api_creates_a_bench_account(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/accounts",
        json=account_body(debtor(7)),
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["reference"] == "BENCH-0007"
