"""A debtor with several accounts (one phone number, one person): once verified on one, the conversation
lists them by creditor and reference (never amounts) and carries the verification over to the one chosen;
never to another person's account, never without a grant."""

from fastapi.testclient import TestClient

from tests.api.collections_helpers import GRANT, verified_account
from tests.factories import create_account, debtor_payload, phone_number


def two_accounts_of_one_debtor(client: TestClient) -> tuple[str, dict[str, str], str]:
    phone = phone_number()
    older = create_account(client, debtor=debtor_payload(phone=phone), creditor="Contoso Lending")
    newest_id, grant = verified_account(client, debtor=debtor_payload(phone=phone), creditor="Northwind Bank")
    return newest_id, grant, str(older["id"])


def test_the_verified_debtors_accounts_are_listed_by_creditor_newest_first(client: TestClient) -> None:
    newest_id, grant, older_id = two_accounts_of_one_debtor(client)

    response = client.get(f"/api/v1/accounts/{newest_id}/debtor-accounts", headers=grant)

    assert response.status_code == 200
    listed = response.json()
    assert [(a["account_id"], a["creditor"]) for a in listed] == [
        (newest_id, "Northwind Bank"),
        (older_id, "Contoso Lending"),
    ]
    assert all(set(a) == {"account_id", "reference", "creditor"} for a in listed)


def test_nothing_is_listed_before_verification(client: TestClient) -> None:
    newest_id, _, _ = two_accounts_of_one_debtor(client)

    assert client.get(f"/api/v1/accounts/{newest_id}/debtor-accounts").status_code == 403


def test_the_verification_carries_over_to_the_account_chosen(client: TestClient) -> None:
    newest_id, grant, older_id = two_accounts_of_one_debtor(client)

    path = f"/api/v1/accounts/{newest_id}/grants"
    response = client.post(path, json={"account_id": older_id}, headers=grant)

    assert response.status_code == 200, response.text
    carried = {GRANT: response.json()["grant"]}
    assert client.get(f"/api/v1/accounts/{older_id}/balance", headers=carried).status_code == 200
    events = client.get(f"/api/v1/accounts/{older_id}/events").json()
    assert ("verification.carried_over", {"from": newest_id}) in [(e["type"], e["data"]) for e in events]


def test_another_persons_account_gets_nothing(client: TestClient) -> None:
    newest_id, grant, _ = two_accounts_of_one_debtor(client)
    stranger = create_account(client)

    response = client.post(
        f"/api/v1/accounts/{newest_id}/grants", json={"account_id": stranger["id"]}, headers=grant
    )

    assert response.status_code == 404
