"""accounts.service: the event record helper other features append with, and the lookups."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from tests.factories import create_account, debtor_payload


def test_record_event_appends_within_the_callers_transaction(client: TestClient, session: Session) -> None:
    account = create_account(client)

    accounts.record_event(session, account["id"], "handoff.requested", {"queue": "hardship"})
    session.commit()
    accounts.record_event(session, account["id"], "plan.created", {"instalments": 3})
    session.rollback()

    events = accounts.list_events(session, account["id"])
    assert [(event.type, event.data) for event in events] == [
        ("account.created", {"reference": account["reference"]}),
        ("handoff.requested", {"queue": "hardship"}),
    ]
    assert events[0].created_at <= events[1].created_at
    assert events[1].created_at.tzinfo is not None


def test_lookups_return_none_when_nothing_matches(client: TestClient, session: Session) -> None:
    create_account(client, debtor=debtor_payload(phone="+12025550143"))

    assert accounts.get_account(session, "missing") is None
    assert accounts.get_account_by_reference(session, "NOPE-1") is None
    assert accounts.get_debtor_by_phone(session, "+14155550100") is None
    assert accounts.get_latest_account_by_phone(session, "+14155550100") is None
    assert accounts.get_debtor_by_phone(session, "+12025550143") is not None
