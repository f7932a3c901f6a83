"""Migration 0017 (the media a debtor refused and the one they prefer): up keeps the stored days and hours
and gives existing rows no refused medium; down drops the columns again. SQLite, a fresh file database."""

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from tests.api.alembic_helpers import alembic_config

DEBTOR = (
    "INSERT INTO debtors (id, first_name, last_name, phone, timezone, dob_hash, zip_hash, ssn_last4_hash,"
    " failed_verifications, created_at) VALUES ('d1', 'A', 'B', '+12125550100', 'America/New_York',"
    " 'x', 'y', 'z', 0, '2026-12-01 00:00:00')"
)
PREFERENCE = (
    "INSERT INTO contact_preferences (id, debtor_id, inconvenient_weekdays, inconvenient_hours, updated_at)"
    " VALUES ('p1', 'd1', '[6]', '[[0, 10]]', '2026-12-01 00:00:00')"
)


def _columns(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return {column["name"] for column in inspect(engine).get_columns("contact_preferences")}
    finally:
        engine.dispose()


def _execute(url: str, *statements: str) -> list[tuple[object, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            for statement in statements[:-1]:
                connection.execute(text(statement))
            return [tuple(row) for row in connection.execute(text(statements[-1]))]
    finally:
        engine.dispose()


def test_0017_adds_the_media_to_existing_preferences_and_down_removes_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'channel.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0016")
    _execute(url, DEBTOR, PREFERENCE, "SELECT 1")

    command.upgrade(config, "0017")
    query = "SELECT inconvenient_weekdays, refused_channels, preferred_channel FROM contact_preferences"
    upgraded = _execute(url, query)
    command.downgrade(config, "0016")

    assert upgraded == [("[6]", "[]", None)]
    assert {"refused_channels", "preferred_channel"}.isdisjoint(_columns(url))
    assert _execute(url, "SELECT inconvenient_hours FROM contact_preferences") == [("[[0, 10]]",)]
