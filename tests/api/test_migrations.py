"""Alembic upgrade and downgrade on fresh SQLite and PostgreSQL databases; models match migrations."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from api.core.models import Base
from tests.api.alembic_helpers import alembic_config

TABLES = {
    "debtors",
    "accounts",
    "account_events",
    "contacts",
    "inbound_messages",
    "outbound_messages",
    "outbound_attempts",
    "creditor_policies",
    "payment_plans",
    "promises",
    "payment_claims",
    "disputes",
    "account_flags",
    "payment_links",
    "staff_users",
    "handoffs",
    "handoff_entries",
    "staff_audit",
    "contact_preferences",
    "verification_attempts",
    "campaigns",
    "campaign_steps",
    "campaign_sends",
    "campaign_dead_letters",
    "campaign_dry_runs",
    "email_bounces",
    "insights_conversations",
    "insights_turns",
    "insights_cursor",
    "insights_labels",
    "bot_responses",
    "bot_response_versions",
    "experiments",
    "experiment_variants",
    "experiment_exposures",
    "insights_links",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, never migrated before."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'dir' / 'fresh.db'}"
    else:
        create: Callable[[], str] = request.getfixturevalue("postgres_databases")
        yield create()


def _tables(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _differences(url: str) -> list[object]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_the_models_declare(fresh_url: str) -> None:
    command.upgrade(alembic_config(fresh_url), "head")

    assert _tables(fresh_url) == TABLES
    assert _differences(fresh_url) == []


def test_downgrade_removes_everything_and_upgrade_rebuilds_it(fresh_url: str) -> None:
    config = alembic_config(fresh_url)
    command.upgrade(config, "head")

    command.downgrade(config, "base")
    assert _tables(fresh_url) == set()

    command.upgrade(config, "head")
    assert _tables(fresh_url) == TABLES
