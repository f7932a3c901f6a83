"""Concurrent appends to one account's event chain line up: none is lost, the chain stays valid."""

import threading

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts import service as accounts
from api.accounts.models import Account
from api.core.db import get_session_factory
from tests.api.concurrency_helpers import all_at_once
from tests.factories import create_account

APPENDS = 50


def _append_when_all_are_ready(url: str, account_id: str, number: int, start: threading.Barrier) -> int:
    """One conversation's append, in its own session, released at the same moment as all the others."""
    with get_session_factory(url)() as session:
        start.wait()
        event = accounts.record_event(session, account_id, "test.concurrent", {"n": number})
        session.commit()
        return event.seq


def test_50_concurrent_appends_to_one_account_all_land_in_one_valid_chain(
    client: TestClient, session: Session, database_url: str
) -> None:
    account_id = create_account(client)["id"]

    seqs = all_at_once(
        APPENDS, lambda n, start: _append_when_all_are_ready(database_url, account_id, n, start)
    )

    account = session.get(Account, account_id, populate_existing=True)
    assert account is not None
    events = audit.chain(session, account_id)
    assert sorted(seqs) == list(range(2, APPENDS + 2))  # seq 1 is account.created
    assert sorted(event.data["n"] for event in events[1:]) == list(range(APPENDS))
    assert account.audit_length == APPENDS + 1
    assert audit.verify(session, account).verified
