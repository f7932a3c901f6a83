"""The account event record is a hash chain: editing, deleting or reordering a row is detected."""

import itertools

from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts import service as accounts
from api.accounts.audit import GENESIS, Problem
from api.accounts.models import Account, AccountEvent
from tests.factories import create_account


def _account_with_events(client: TestClient, session: Session, count: int = 3) -> Account:
    account_id = create_account(client)["id"]
    for number in range(count):
        accounts.record_event(session, account_id, "test.event", {"n": number})
    session.commit()
    account = session.get(Account, account_id, populate_existing=True)
    assert account is not None
    return account


def _export(client: TestClient, account_id: str) -> dict[str, object]:
    response = client.get(f"/api/v1/accounts/{account_id}/audit")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_every_event_links_to_the_one_before_it(client: TestClient, session: Session) -> None:
    account = _account_with_events(client, session)

    events = audit.chain(session, account.id)

    assert [event.seq for event in events] == [1, 2, 3, 4]  # account.created first
    assert events[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert (account.audit_length, account.audit_head) == (4, events[-1].hash)
    assert audit.verify(session, account).verified


def test_the_export_returns_the_chain_and_that_it_verifies(client: TestClient, session: Session) -> None:
    account = _account_with_events(client, session)

    exported = _export(client, account.id)

    assert (exported["verified"], exported["length"], exported["findings"]) == (True, 4, [])
    events = exported["events"]
    assert isinstance(events, list) and events[-1]["hash"] == exported["head"]


def test_editing_an_events_data_is_detected(client: TestClient, session: Session) -> None:
    account = _account_with_events(client, session)
    second = audit.chain(session, account.id)[1]
    session.execute(update(AccountEvent).where(AccountEvent.id == second.id).values(data={"n": 99}))
    session.commit()

    exported = _export(client, account.id)

    assert exported["verified"] is False
    assert exported["findings"] == [{"seq": 2, "problem": Problem.HASH_MISMATCH}]


def test_deleting_an_event_in_the_middle_is_detected(client: TestClient, session: Session) -> None:
    account = _account_with_events(client, session)
    second = audit.chain(session, account.id)[1]
    session.execute(delete(AccountEvent).where(AccountEvent.id == second.id))
    session.commit()

    findings = _export(client, account.id)["findings"]

    assert {"seq": 3, "problem": Problem.SEQUENCE_GAP} in findings  # type: ignore[operator]
    assert {"seq": 3, "problem": Problem.BROKEN_LINK} in findings  # type: ignore[operator]


def test_deleting_the_newest_event_is_detected_against_the_accounts_head(
    client: TestClient, session: Session
) -> None:
    account = _account_with_events(client, session)
    newest = audit.chain(session, account.id)[-1]
    session.execute(delete(AccountEvent).where(AccountEvent.id == newest.id))
    session.commit()

    exported = _export(client, account.id)

    assert exported["findings"] == [{"seq": 4, "problem": Problem.HEAD_MISMATCH}]


def test_rewriting_an_events_type_with_raw_sql_is_detected(client: TestClient, session: Session) -> None:
    account = _account_with_events(client, session)
    session.execute(
        text("UPDATE account_events SET type = 'nothing.happened' WHERE account_id = :id AND seq = 1"),
        {"id": account.id},
    )
    session.commit()

    assert not audit.verify(session, account).verified


def test_the_audit_export_requires_the_service_token(anonymous_client: TestClient) -> None:
    assert anonymous_client.get("/api/v1/accounts/x/audit").status_code == 401


def test_the_audit_export_of_an_unknown_account_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/accounts/unknown/audit").status_code == 404
