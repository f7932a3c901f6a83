"""PUT /accounts/{id}/timezone: a verified debtor who moved ("I'm on Pacific time now") gets contact hours
in the new zone; the record notes the change without the zone; no grant, no change."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts.models import Account
from tests.api.collections_helpers import verified_account
from tests.api.compliance_helpers import TOLL_FREE, send
from tests.factories import debtor_payload

MONDAY_0830_NEW_YORK = datetime(2026, 12, 7, 13, 30, tzinfo=UTC)
"""05:30 in Los Angeles."""


def move(client: TestClient, account_id: str, grant: dict[str, str], zone: str) -> dict[str, bool]:
    response = client.put(f"/api/v1/accounts/{account_id}/timezone", json={"timezone": zone}, headers=grant)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_move_changes_the_debtors_zone_and_the_record_says_so_without_it(
    client: TestClient, session: Session
) -> None:
    account_id, grant = verified_account(client)

    assert move(client, account_id, grant, "America/Denver") == {"changed": True}
    assert move(client, account_id, grant, "America/Denver") == {"changed": False}

    account = session.get(Account, account_id)
    assert account is not None and account.debtor.timezone == "America/Denver"
    events = client.get(f"/api/v1/accounts/{account_id}/events").json()
    changes = [e["data"] for e in events if e["type"] == "contact.timezone_changed"]
    assert changes == [{"source": "conversation"}]


def test_the_contact_window_follows_the_move(client: TestClient) -> None:
    """08:30 in New York was fine for a debtor on file there; after moving to Los Angeles it is 05:30."""
    account_id, grant = verified_account(
        client, debtor=debtor_payload(phone=TOLL_FREE, timezone="America/New_York")
    )
    before = send(client, MONDAY_0830_NEW_YORK, TOLL_FREE)

    move(client, account_id, grant, "America/Los_Angeles")
    after = send(client, MONDAY_0830_NEW_YORK, TOLL_FREE)

    assert before["status"] == "queued"
    assert (after["status"], after["reasons"]) == ("blocked", ["outside_contact_hours"])


def test_without_a_grant_or_with_a_made_up_zone_nothing_changes(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    path = f"/api/v1/accounts/{account_id}/timezone"

    assert client.put(path, json={"timezone": "America/Denver"}).status_code == 403
    assert client.put(path, json={"timezone": "Mars/Olympus_Mons"}, headers=grant).status_code == 422
