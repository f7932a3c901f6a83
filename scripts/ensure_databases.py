"""Create the production profile's PostgreSQL databases when missing (DATABASE_URL, EVENT_BROKER_URL),
and the event broker's `events` table as Rasa's SQLEventBroker defines it.

Several Rasa processes starting at once each run the broker's CREATE TABLE; on PostgreSQL all but the
first die of a unique violation in pg_type (found starting two copies for `make run-prod`). Creating the
table once before they start makes their CREATE TABLE a no-op (SQLAlchemy checks first).

`make run-prod` runs it before the migrations, in the services' environment (`python3 -m stack --overlay
.env.prod exec`), so the URLs (and any password in them) come from the env files, never a command line.
SQLite URLs and databases that exist are left alone. API environment (SQLAlchemy 2, psycopg).
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, text
from sqlalchemy.engine import URL, make_url

VARIABLES = ("DATABASE_URL", "EVENT_BROKER_URL")


def server_url(url: URL) -> URL:
    """The same server's `postgres` database, through psycopg (Rasa's URLs name no driver)."""
    return url.set(drivername="postgresql+psycopg", database="postgres")


def ensure(url: URL) -> bool:
    """CREATE DATABASE unless it exists; True when it was created."""
    engine = create_engine(server_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
            )
            if found.first() is not None:
                return False
            quoted = connection.dialect.identifier_preparer.quote(str(url.database))
            connection.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        engine.dispose()


def broker_table(metadata: MetaData) -> Table:
    """rasa.core.brokers.sql.SQLEventBroker.SQLBrokerEvent's table (Rasa 3.6), column for column."""
    return Table(
        "events",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)),
        Column("data", Text),
    )


def ensure_broker_table(url: URL) -> None:
    """The event broker's table, unless it exists."""
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        metadata = MetaData()
        broker_table(metadata)
        metadata.create_all(engine, checkfirst=True)
    finally:
        engine.dispose()


def main() -> int:
    """Each PostgreSQL database the environment names exists afterwards."""
    for variable in VARIABLES:
        raw = os.environ.get(variable, "")
        url = make_url(raw.replace("postgres://", "postgresql://", 1)) if raw else None
        if url is None or url.get_backend_name() != "postgresql":
            continue
        created = ensure(url)
        print(f"{variable}: database {url.database} {'created' if created else 'exists'}")
        if variable == "EVENT_BROKER_URL":
            ensure_broker_table(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
