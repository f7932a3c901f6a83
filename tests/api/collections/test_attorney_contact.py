"""POST /accounts/{id}/flags with the attorney's name and phone: kept with the attorney flag (phone in
E.164), never echoed, never in an event or a log line; a later statement fills in what was missing."""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.collections.models import AccountFlag
from tests.factories import create_account

BASE = "/api/v1/accounts"
ATTORNEY = {"flag": "attorney", "attorney_name": "Dana Whitfield", "attorney_phone": "(202) 555-0187"}


def flag_row(session: Session, account_id: str) -> AccountFlag:
    session.expire_all()
    return session.scalars(select(AccountFlag).where(AccountFlag.account_id == account_id)).one()


def test_the_attorneys_name_and_phone_are_kept_with_the_flag(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    account = create_account(client)

    with caplog.at_level(logging.DEBUG):
        response = client.post(f"{BASE}/{account['id']}/flags", json=ATTORNEY)

    assert response.status_code == 201
    assert set(response.json()) == {"id", "flag", "created_at"}
    row = flag_row(session, account["id"])
    assert (row.flag, row.contact_name, row.contact_phone) == ("attorney", "Dana Whitfield", "+12025550187")
    assert "Whitfield" not in caplog.text and "555" not in caplog.text


def test_the_record_says_what_was_given_never_the_values(client: TestClient) -> None:
    account = create_account(client)
    client.post(f"{BASE}/{account['id']}/flags", json=ATTORNEY)

    events = client.get(f"{BASE}/{account['id']}/events").json()

    recorded = [
        (e["type"], e["data"]) for e in events if e["type"] in ("flag.set", "attorney.contact_recorded")
    ]
    assert recorded == [
        ("flag.set", {"flag": "attorney"}),
        ("attorney.contact_recorded", {"flag": "attorney", "name": True, "phone": True}),
    ]
    assert "Whitfield" not in str(events) and "0187" not in str(events)


def test_a_later_statement_fills_in_the_phone_and_keeps_the_name(
    client: TestClient, session: Session
) -> None:
    account = create_account(client)
    client.post(f"{BASE}/{account['id']}/flags", json={"flag": "attorney", "attorney_name": "Dana Whitfield"})

    again = client.post(
        f"{BASE}/{account['id']}/flags", json={"flag": "attorney", "attorney_phone": "2025550187"}
    )

    assert again.status_code == 200
    row = flag_row(session, account["id"])
    assert (row.contact_name, row.contact_phone) == ("Dana Whitfield", "+12025550187")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"flag": "bankruptcy", "attorney_name": "Dana Whitfield"}, id="not-the-attorney-flag"),
        pytest.param({"flag": "attorney", "attorney_phone": "not a phone"}, id="bad-phone"),
        pytest.param({"flag": "attorney", "attorney_name": "x" * 201}, id="name-too-long"),
    ],
)
def test_a_contact_that_does_not_fit_is_refused(client: TestClient, body: dict[str, str]) -> None:
    account = create_account(client)

    assert client.post(f"{BASE}/{account['id']}/flags", json=body).status_code == 422
