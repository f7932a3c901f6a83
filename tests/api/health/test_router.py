"""GET /health and GET /ready: no authentication, a real database round trip."""

from pathlib import Path

from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from api.core.config import Settings
from api.health import readiness
from api.main import create_app
from tests.api.alembic_helpers import migrate


def test_health_reports_database_ok_without_credentials(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    # Port 1 on localhost refuses connections at once.
    unreachable = settings.model_copy(update={"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/x"})

    with TestClient(create_app(unreachable)) as client:
        response = client.get("/health")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_ready_when_the_database_is_migrated_to_this_codes_head(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "current"}


def test_not_ready_while_the_database_is_behind_the_migrations(settings: Settings, tmp_path: Path) -> None:
    """A process started before `alembic upgrade head` (a rolling deploy) gets no traffic yet."""
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    first = ScriptDirectory(str(readiness.MIGRATIONS)).get_base()
    migrate(url, first)

    with TestClient(create_app(settings.model_copy(update={"DATABASE_URL": url}))) as client:
        response = client.get("/ready")

    assert response.status_code == 503
    assert response.json()["migrations"] == "behind"


def test_not_ready_when_the_database_is_unreachable(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/x"})

    with TestClient(create_app(unreachable)) as client:
        response = client.get("/ready")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "migrations": "unknown"}
