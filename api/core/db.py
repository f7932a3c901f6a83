"""Engines and session factories, built lazily from a database URL: nothing connects at import."""

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from api.core.config import DatabaseSettings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def ensure_sqlite_directory(url: str) -> None:
    """Create the parent directory of a SQLite file (the default `var/` does not exist in a fresh clone)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another's transaction to end before "database is locked"."""

_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",  # SQLite ignores foreign keys unless asked, per connection
    "PRAGMA journal_mode=WAL",  # readers and the one writer never block each other (kept in the file)
    "PRAGMA synchronous=NORMAL",  # WAL's recommended durability: a commit survives a crash of the process
)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on and write-ahead logging, on every new connection."""
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _connect_args(is_sqlite: bool) -> dict[str, Any]:
    """Driver options: SQLite connections shared across threads and waiting for a busy writer."""
    if is_sqlite:
        return {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    return {"connect_timeout": 5}


def pool_options(settings: DatabaseSettings) -> dict[str, Any]:
    """A server database's pool, from DATABASE_POOL_* (SQLite keeps SQLAlchemy's defaults)."""
    return {
        "pool_size": settings.DATABASE_POOL_SIZE,
        "max_overflow": settings.DATABASE_MAX_OVERFLOW,
        "pool_timeout": settings.DATABASE_POOL_TIMEOUT_SECONDS,
        "pool_recycle": settings.DATABASE_POOL_RECYCLE_SECONDS,
    }


def create_db_engine(url: str, settings: DatabaseSettings | None = None) -> Engine:
    """A new engine; bound parameters are hidden from logs and error messages (they hold phone numbers)."""
    ensure_sqlite_directory(url)
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    options = {} if is_sqlite else pool_options(settings or DatabaseSettings())
    connect_args = _connect_args(is_sqlite)
    engine = create_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args, **options
    )
    if is_sqlite:
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def get_engine(url: str) -> Engine:
    """The shared engine for `url`, created on first use."""
    with _lock:
        if url not in _engines:
            _engines[url] = create_db_engine(url)
        return _engines[url]


def get_session_factory(url: str) -> sessionmaker[Session]:
    """The shared session factory for `url`."""
    engine = get_engine(url)
    with _lock:
        if url not in _factories:
            _factories[url] = sessionmaker(bind=engine, expire_on_commit=False)
        return _factories[url]


def dispose_engine(url: str) -> None:
    """Close the pooled connections to `url` and forget its engine (app shutdown, end of tests)."""
    with _lock:
        engine = _engines.pop(url, None)
        _factories.pop(url, None)
    if engine is not None:
        engine.dispose()
