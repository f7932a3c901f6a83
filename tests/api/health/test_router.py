"""GET /health: no authentication, a real database round trip."""

from fastapi.testclient import TestClient

from api.core.config import Settings
from api.main import create_app


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
