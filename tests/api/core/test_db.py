"""The API's SQLite engine makes concurrent writers wait for each other rather than fail."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from api.core.db import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_engine


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'accounts.db'}")
    yield engine
    engine.dispose()


def _pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(f"PRAGMA {name}")).scalar()


def test_sqlite_connections_wait_for_a_busy_writer_instead_of_failing(sqlite_engine: Engine) -> None:
    assert _pragma(sqlite_engine, "busy_timeout") == int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)
    assert SQLITE_BUSY_TIMEOUT_SECONDS >= 10


def test_sqlite_uses_write_ahead_logging_so_readers_never_block_the_writer(sqlite_engine: Engine) -> None:
    assert _pragma(sqlite_engine, "journal_mode") == "wal"
    assert _pragma(sqlite_engine, "synchronous") == 1  # NORMAL


def test_sqlite_enforces_foreign_keys(sqlite_engine: Engine) -> None:
    assert _pragma(sqlite_engine, "foreign_keys") == 1
