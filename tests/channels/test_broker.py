"""channels.broker.SQLEventBroker writes the `events` rows Rasa's own broker writes, cheaply (issue 15)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rasa.core.brokers.sql import SQLEventBroker as StockSQLEventBroker

from channels.broker import SQLEventBroker, kept_engine

EVENTS = [
    {"event": "user", "sender_id": "conv-1", "text": "hi", "timestamp": 1.0},
    {"event": "bot", "sender_id": "conv-1", "text": "Hello!", "timestamp": 2.0},
    {"event": "action", "sender_id": "conv-2", "name": "action_listen", "timestamp": 3.0},
]


def rows(path: Path) -> list[tuple[int, str, dict[str, object]]]:
    """The `events` table as another process (the API's ingest) reads it."""
    with sqlite3.connect(path) as connection:
        found = connection.execute("SELECT id, sender_id, data FROM events ORDER BY id").fetchall()
    return [(row_id, sender, json.loads(data)) for row_id, sender, data in found]


def test_the_rows_are_those_rasas_own_broker_writes(tmp_path: Path) -> None:
    for name, broker_class in (("stock.db", StockSQLEventBroker), ("ours.db", SQLEventBroker)):
        broker = broker_class(host=f"sqlite:///{tmp_path / name}")
        for event in EVENTS:
            broker.publish(event)
    assert rows(tmp_path / "ours.db") == rows(tmp_path / "stock.db")
    assert [sender for _, sender, _ in rows(tmp_path / "ours.db")] == ["conv-1", "conv-1", "conv-2"]


def test_each_event_is_stored_when_publish_returns(tmp_path: Path) -> None:
    broker = SQLEventBroker(host=f"sqlite:///{tmp_path / 'events.db'}")
    for count, event in enumerate(EVENTS, start=1):
        broker.publish(event)
        assert len(rows(tmp_path / "events.db")) == count


def test_sqlite_runs_in_wal_mode_on_one_kept_connection(tmp_path: Path) -> None:
    broker = SQLEventBroker(host=f"sqlite:///{tmp_path / 'events.db'}")
    broker.publish(EVENTS[0])
    with sqlite3.connect(tmp_path / "events.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with broker.engine.connect() as first, broker.engine.connect() as second:
        assert first.connection.dbapi_connection is second.connection.dbapi_connection


def test_other_databases_keep_sqlalchemys_default_pool() -> None:
    engine = kept_engine("postgresql://user:secret@db.invalid/events")
    assert type(engine.pool).__name__ == "QueuePool"
