"""PUT /accounts/{id}/contact-preferences: days and hours a verified debtor says are inconvenient, and the
media they refuse or prefer, are stored (a statement adds to what is stored; `clear` starts the days and
hours over, `clear_channels` the media), each change is an event on the account's record, and the
compliance gate keeps bot-initiated messages away from them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.vocabulary import BlockReason
from tests.api.collections_helpers import verified_account
from tests.api.compliance_helpers import TOLL_FREE, send
from tests.factories import debtor_payload

NO_CHANNEL: dict[str, Any] = {"refused_channels": [], "preferred_channel": None}
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

    assert stored == {
        "inconvenient_weekdays": [5, 6],
        "inconvenient_hours": [[0, 10]],
        **NO_CHANNEL,
        "changed": True,
    }
    assert changes(client, account_id) == [
        {
            "source": "conversation",
            "inconvenient_weekdays": [5, 6],
            "inconvenient_hours": [[0, 10]],
            **NO_CHANNEL,
            "changed": ["inconvenient_weekdays", "inconvenient_hours"],
        }
    ]


def test_a_later_statement_adds_and_a_repeat_changes_nothing(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, inconvenient_weekdays=[6])

    added = put(client, account_id, grant, inconvenient_hours=[[22, 7]])
    repeated = put(client, account_id, grant, inconvenient_weekdays=[6])

    assert added == {
        "inconvenient_weekdays": [6],
        "inconvenient_hours": [[22, 7]],
        **NO_CHANNEL,
        "changed": True,
    }
    assert repeated["changed"] is False
    assert len(changes(client, account_id)) == 2


def test_clear_drops_what_is_stored_and_with_days_replaces_it(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, inconvenient_weekdays=[0, 1], inconvenient_hours=[[8, 17]])

    replaced = put(client, account_id, grant, clear=True, inconvenient_weekdays=[6])
    cleared = put(client, account_id, grant, clear=True)

    assert replaced == {"inconvenient_weekdays": [6], "inconvenient_hours": [], **NO_CHANNEL, "changed": True}
    assert cleared == {"inconvenient_weekdays": [], "inconvenient_hours": [], **NO_CHANNEL, "changed": True}


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
        {"refused_channels": ["voice"]},
        {"refused_channels": ["webchat"]},
        {"preferred_channel": "phone"},
        {"refused_channels": ["sms"], "preferred_channel": "sms"},
    ],
)
def test_days_hours_and_media_out_of_range_are_refused(client: TestClient, body: dict[str, Any]) -> None:
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


# Reg F 1006.14(h): media the debtor refuses or prefers


def channel_of(stored: dict[str, Any]) -> tuple[list[str], str | None]:
    return stored["refused_channels"], stored["preferred_channel"]


def test_a_refused_medium_and_the_preferred_one_are_stored_and_recorded(client: TestClient) -> None:
    """'Stop texting me, email me instead.'"""
    account_id, grant = verified_account(client)

    stored = put(client, account_id, grant, refused_channels=["sms"], preferred_channel="email")

    assert (channel_of(stored), stored["changed"]) == ((["sms"], "email"), True)
    [event] = changes(client, account_id)
    assert event["changed"] == ["refused_channels", "preferred_channel"]
    assert (event["refused_channels"], event["preferred_channel"]) == (["sms"], "email")


def test_callers_that_send_only_days_and_hours_leave_the_media_alone(client: TestClient) -> None:
    """'You can text me anytime' clears the days and hours, not a refusal of email."""
    account_id, grant = verified_account(client)
    put(client, account_id, grant, refused_channels=["email"], preferred_channel="sms")

    cleared = put(client, account_id, grant, clear=True)
    days = put(client, account_id, grant, inconvenient_weekdays=[6])

    assert channel_of(cleared) == channel_of(days) == (["email"], "sms")


def test_asking_for_a_refused_medium_takes_it_off_the_refused_ones(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, refused_channels=["sms"], preferred_channel="email")

    back = put(client, account_id, grant, preferred_channel="sms")

    assert channel_of(back) == ([], "sms")


def test_refusing_the_preferred_medium_leaves_none_preferred(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(client, account_id, grant, preferred_channel="email")

    refused = put(client, account_id, grant, refused_channels=["email"])

    assert channel_of(refused) == (["email"], None)


def test_clear_channels_drops_the_media_and_keeps_the_days(client: TestClient) -> None:
    account_id, grant = verified_account(client)
    put(
        client,
        account_id,
        grant,
        inconvenient_weekdays=[6],
        refused_channels=["sms"],
        preferred_channel="email",
    )

    cleared = put(client, account_id, grant, clear_channels=True)
    again = put(client, account_id, grant, clear_channels=True)

    assert (channel_of(cleared), cleared["inconvenient_weekdays"]) == (([], None), [6])
    assert again["changed"] is False


def test_the_gate_keeps_texts_from_a_debtor_who_refused_them(client: TestClient) -> None:
    account_id, grant = verified_account(
        client, debtor=debtor_payload(phone=TOLL_FREE, timezone="America/New_York")
    )
    put(client, account_id, grant, refused_channels=["sms"], preferred_channel="email")

    blocked = send(client, MONDAY_0900_NEW_YORK + timedelta(hours=1), TOLL_FREE)

    assert blocked["reasons"] == [BlockReason.CHANNEL_REFUSED]
