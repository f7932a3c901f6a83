"""Concurrent wrong attempts on one debtor are all counted: racing cannot get past the attempt limit."""

import threading
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts.events import EventType
from api.accounts.models import Account
from api.accounts.schemas import VerifyRequest
from api.accounts.verification import attempt_verification
from api.core.config import Settings
from api.core.db import get_session_factory
from tests.api.concurrency_helpers import all_at_once
from tests.factories import DOB, create_account

ATTEMPTS = 12
WRONG = VerifyRequest(dob=DOB, zip_code="99999")


def _wrong_attempt(settings: Settings, account_id: str, start: threading.Barrier) -> bool:
    """One conversation's wrong attempt, in its own session, released with all the others."""
    with get_session_factory(settings.DATABASE_URL)() as session:
        account = session.get(Account, account_id)
        assert account is not None
        start.wait()
        return attempt_verification(session, account, WRONG, settings).verified


def test_concurrent_wrong_attempts_lock_the_debtor_after_exactly_the_limit(
    client: TestClient, session: Session, settings: Settings
) -> None:
    account_id = create_account(client)["id"]

    outcomes = all_at_once(ATTEMPTS, lambda _, start: _wrong_attempt(settings, account_id, start))

    types = Counter(event.type for event in audit.chain(session, account_id))
    limit = settings.VERIFY_MAX_ATTEMPTS
    assert not any(outcomes)
    assert types[EventType.VERIFICATION_FAILED] == limit
    assert types[EventType.VERIFICATION_LOCKED] == 1
    assert types[EventType.VERIFICATION_BLOCKED] == ATTEMPTS - limit
