"""Readiness: the database answers and its schema is the one this code expects (Alembic's head).

A process started before `alembic upgrade head` ran (a rolling deploy) is alive but not ready: the proxy
and the orchestrator keep traffic away from it until the migration has run.
"""

from functools import lru_cache
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parents[1] / "alembic"


@lru_cache(maxsize=1)
def expected_revision() -> str | None:
    """The head revision of the migrations shipped with this code (read once)."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(session: Session) -> str | None:
    """The revision the database was migrated to, None before the first migration."""
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def schema_current(session: Session) -> bool:
    """Whether the database is migrated to exactly this code's head."""
    return current_revision(session) == expected_revision()
