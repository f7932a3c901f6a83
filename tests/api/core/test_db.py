"""The API's SQLite engine makes concurrent writers wait for each other rather than fail."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, QueuePool, text

from api.core.config import DatabaseSettings
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


def test_a_server_databases_pool_comes_from_the_settings(postgresql_url: str) -> None:
    settings = DatabaseSettings(
        DATABASE_URL=postgresql_url,
        DATABASE_POOL_SIZE=3,
        DATABASE_MAX_OVERFLOW=2,
        DATABASE_POOL_TIMEOUT_SECONDS=4.5,
        DATABASE_POOL_RECYCLE_SECONDS=600,
    )
    engine = create_db_engine(postgresql_url, settings)
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool._max_overflow, pool._timeout, pool._recycle) == (3, 2, 4.5, 600)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
