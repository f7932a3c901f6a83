"""Shared by the collections route tests: a fixed clock, verified accounts, seeded creditor policies."""

from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete

from api.collections.models import CreditorPolicy
from api.core.db import get_engine, get_session_factory
from api.core.dependencies import current_time
from api.seed import seed_policies
from tests.factories import create_account, verify

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
"""10:00 in New York, where the factory debtor lives."""
TODAY = date(2026, 11, 22)
GRANT = "X-Verification-Grant"


def fix_clock(client: TestClient, now: datetime = NOW) -> None:
    """Make the collections routes of this client's app see `now`."""
    client.app.dependency_overrides[current_time] = lambda: now


def verified_account(client: TestClient, **overrides: Any) -> tuple[str, dict[str, str]]:
    """A new account and the grant header of its verified debtor."""
    account = create_account(client, **overrides)
    grant = verify(client, account["id"]).json()["grant"]
    return account["id"], {GRANT: grant}


def seed_demo_policies(database_url: str) -> None:
    """The seeded default, Northwind, Contoso and Fabrikam policies."""
    with get_session_factory(database_url)() as session:
        seed_policies(session)


def delete_policies(database_url: str) -> None:
    """Policies outlive the per-test cleanup of accounts; tests that add them remove them."""
    with get_engine(database_url).begin() as connection:
        connection.execute(delete(CreditorPolicy))


def event_types(client: TestClient, account_id: str) -> list[str]:
    """The account's event types, oldest first."""
    return [event["type"] for event in client.get(f"/api/v1/accounts/{account_id}/events").json()]
