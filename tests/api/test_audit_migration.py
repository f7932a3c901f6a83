"""Migration 0004 chains the events recorded before it, on SQLite and PostgreSQL."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.accounts import audit
from api.accounts.models import Account
from tests.api.alembic_helpers import alembic_config

DEBTOR = (
    "INSERT INTO debtors (id, first_name, last_name, phone, timezone, dob_hash, zip_hash, ssn_last4_hash,"
    " failed_verifications, created_at) VALUES ('d1', 'A', 'B', '+12125550147', 'America/New_York',"
    " 'x', 'x', 'x', 0, '2026-11-01 10:00:00+00:00')"
)
ACCOUNT = (
    "INSERT INTO accounts (id, debtor_id, reference, creditor, original_creditor, principal, interest, fees,"
    " currency, due_date, days_past_due, time_barred, created_at) VALUES ('a1', 'd1', 'R1', 'C', 'C',"
    " 1, 0, 0, 'USD', '2026-12-01', 1, false, '2026-11-01 10:00:00+00:00')"
)
EVENT = (
    "INSERT INTO account_events (id, account_id, type, data, created_at)"
    " VALUES (:id, 'a1', :type, '{}', :created_at)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0003(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database migrated to 0003 holding one account with three unchained events."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'before.db'}"
    else:
        create: Callable[[], str] = request.getfixturevalue("postgres_databases")
        url = create()
    command.upgrade(alembic_config(url), "0003")
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(DEBTOR))
        connection.execute(text(ACCOUNT))
        for number, hour in enumerate((12, 11, 13)):
            created = f"2026-11-02 {hour}:00:00+00:00"
            connection.execute(text(EVENT), {"id": f"e{number}", "type": f"t{hour}", "created_at": created})
    engine.dispose()
    yield url


def test_0004_chains_existing_events_in_their_recorded_order(url_at_0003: str) -> None:
    command.upgrade(alembic_config(url_at_0003), "0004")
    command.upgrade(alembic_config(url_at_0003), "head")  # the ORM below reads today's schema

    engine = create_engine(url_at_0003, poolclass=NullPool)
    with Session(engine) as session:
        account = session.get(Account, "a1")
        assert account is not None
        events = audit.chain(session, "a1")
        verification = audit.verify(session, account)
    engine.dispose()

    assert [event.type for event in events] == ["t11", "t12", "t13"]
    assert verification.verified and verification.length == 3
