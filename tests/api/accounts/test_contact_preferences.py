"""PUT /accounts/{id}/contact-preferences: days and hours a verified debtor says are inconvenient are stored
(a statement adds to what is stored; `clear` starts over), each change is an event on the account's record,
and the compliance gate keeps bot-initiated messages away from them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.vocabulary import BlockReason
from tests.api.collections_helpers import verified_account
from tests.api.compliance_helpers import TOLL_FREE, send
from tests.factories import debtor_payload

SATURDAY_NOON_NEW_YORK = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
MONDAY_0900_NEW_YORK = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def put(client: TestClient, account_id: str, grant: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.put(f"/api/v1/accounts/{account_id}/contact-preferences", json=body, headers=grant)
    assert response.status_code == 200, response.text
    return dict(response.json())


def changes(client: TestClient, account_id: str) -> list[dict[str, Any]]:
    events = client.get(f"/api/v1/accounts/{account_id}/events").json()
    return [e["data"] for e in events if e["type"] == "contact.preferences_changed"]


def test_a_statement_is_stored_and_recorded(client: TestClient) -> None:
    account_id, grant = verified_account(client)

    stored = put(client, account_id, grant, inconvenient_weekdays=[6, 5], inconvenient_hours=[[0, 10]])

    assert stored == {"inconvenient_weekdays": [5, 6], "inconvenient_hours": [[0, 10]], "changed": True}
    assert changes(client, account_id) == [
        {"source": "conversation", "inconvenient_weekdays": [5, 6], "inconvenient_hours": [[0, 10]]}
    ]


def test_a_later_statement_adds_and_a_repeat_changes_nothing(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, inconvenient_weekdays=[6])

    added = put(client, account_id, grant, inconvenient_hours=[[22, 7]])
    repeated = put(client, account_id, grant, inconvenient_weekdays=[6])

    assert added == {"inconvenient_weekdays": [6], "inconvenient_hours": [[22, 7]], "changed": True}
    assert repeated["changed"] is False
    assert len(changes(client, account_id)) == 2


def test_clear_drops_what_is_stored_and_with_days_replaces_it(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, inconvenient_weekdays=[0, 1], inconvenient_hours=[[8, 17]])

    replaced = put(client, account_id, grant, clear=True, inconvenient_weekdays=[6])
    cleared = put(client, account_id, grant, clear=True)

    assert replaced == {"inconvenient_weekdays": [6], "inconvenient_hours": [], "changed": True}
    assert cleared == {"inconvenient_weekdays": [], "inconvenient_hours": [], "changed": True}


def test_without_a_grant_nothing_is_stored(client: TestClient) -> None:
    account_id, _ = verified_account(client)
    path = f"/api/v1/accounts/{account_id}/contact-preferences"

    assert client.put(path, json={"inconvenient_weekdays": [6]}).status_code == 403
    assert changes(client, account_id) == []


@pytest.mark.parametrize(
    "body",
    [
        {"inconvenient_weekdays": [7]},
        {"inconvenient_weekdays": [-1]},
        {"inconvenient_hours": [[9, 25]]},
        {"inconvenient_hours": [[9]]},
        {"inconvenient_hours": [[9, 9]]},
        {"inconvenient_hours": [[9, 10, 11]]},
        {"preferred_days": [1]},
    ],
)
def test_days_and_hours_out_of_range_are_refused(client: TestClient, body: dict[str, Any]) -> None:
    account_id, grant = verified_account(client)
    path = f"/api/v1/accounts/{account_id}/contact-preferences"

    assert client.put(path, json=body, headers=grant).status_code == 422


def test_the_gate_honours_a_stated_preference(client: TestClient) -> None:
    """'No texts on weekends, none before 10': Saturday noon and Monday 9:00 are blocked, 10:00 is fine."""
    account_id, grant = verified_account(
        client, debtor=debtor_payload(phone=TOLL_FREE, timezone="America/New_York")
    )
    put(client, account_id, grant, inconvenient_weekdays=[5, 6], inconvenient_hours=[[0, 10]])

    saturday = send(client, SATURDAY_NOON_NEW_YORK, TOLL_FREE)
    early = send(client, MONDAY_0900_NEW_YORK, TOLL_FREE)
    at_ten = send(client, MONDAY_0900_NEW_YORK + timedelta(hours=1), TOLL_FREE)

    assert saturday["reasons"] == [BlockReason.INCONVENIENT_FOR_DEBTOR]
    assert early["reasons"] == [BlockReason.INCONVENIENT_FOR_DEBTOR]
    assert at_ten["status"] == "queued"
