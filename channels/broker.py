"""Rasa's SQL event broker (table `events`: id, sender_id, data), each event written at a fraction of its CPU.

Rasa 3.6's `SQLEventBroker.publish` opens an ORM session per event, and on a SQLite file (SQLAlchemy 1.4
gives file databases no pool) a new connection per event too, and commits in SQLite's default rollback
journal mode: a journal file created, synced and deleted per event. Under load that was about a third of
the Rasa process's busy time (issue 15). This broker writes the same rows with one Core INSERT per event
in its own transaction (so every event is in the table once `publish` returns, as before), on one kept
connection per thread; on SQLite in WAL mode with `synchronous=NORMAL` (a commit appends to the log,
readers such as the API's ingest never block the writer; a power cut may lose the last events, which the
tracker store still holds). PostgreSQL keeps its driver's defaults and SQLAlchemy's pool.
It is loaded from endpoints.yml (`event_broker: type: channels.broker.SQLEventBroker`).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy  # type: ignore[import-untyped]
from rasa.core.brokers.sql import SQLEventBroker as StockSQLEventBroker  # type: ignore[import-untyped]
from sqlalchemy.pool import SingletonThreadPool  # type: ignore[import-untyped]

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _tune_sqlite(connection: Any, _record: Any) -> None:
    """Write-ahead log, synced at checkpoints rather than at every commit (per connection)."""
    cursor = connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def kept_engine(url: Any) -> Any:
    """SQLite: one kept, tuned connection per thread; any other database: SQLAlchemy's default pool."""
    if sqlalchemy.engine.make_url(url).get_backend_name() != "sqlite":
        return sqlalchemy.create_engine(url)
    engine = sqlalchemy.create_engine(url, poolclass=SingletonThreadPool)
    sqlalchemy.event.listen(engine, "connect", _tune_sqlite)
    return engine


class SQLEventBroker(StockSQLEventBroker):  # type: ignore[misc]
    """Rasa's SQL event broker: the same table and rows, one Core INSERT per event on a kept connection."""

    engine: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Rasa's arguments (dialect, host = a database URL, db, ...); the table is created as Rasa does."""
        super().__init__(*args, **kwargs)
        stock: Any = self.engine
        self.engine = kept_engine(stock.url)
        stock.dispose()
        self.sessionmaker.configure(bind=self.engine)
        self._insert = self.SQLBrokerEvent.__table__.insert()

    def publish(self, event: dict[str, Any]) -> None:
        """Insert one event and commit, as Rasa does (the row is stored when this returns)."""
        row = {"sender_id": event.get("sender_id"), "data": json.dumps(event)}
        with self.engine.begin() as connection:
            connection.execute(self._insert, row)
