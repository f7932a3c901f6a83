"""The app module can be imported with no database and no secrets: nothing connects at import."""

import inspect
import os
import subprocess
import sys
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.core.dependencies import get_db
from tests.api.alembic_helpers import REPO_ROOT


def test_importing_the_app_touches_no_database(tmp_path: Path) -> None:
    database = tmp_path / "var" / "accounts.db"
    env = {k: v for k, v in os.environ.items() if k not in {"API_TOKEN", "SECRET_KEY"}}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    code = "import api.main, api.core.db as db; assert api.main.app.title; assert not db._engines"

    run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True)

    assert run.returncode == 0, run.stderr
    assert not database.parent.exists()


def test_openapi_docs_are_served(anonymous_client: TestClient) -> None:
    assert anonymous_client.get("/docs").status_code == 200
    paths = anonymous_client.get("/openapi.json").json()["paths"]
    assert "/api/v1/accounts/{account_id}/balance" in paths


def test_an_unreachable_database_is_a_503_to_retry_not_a_500() -> None:
    """Found restarting PostgreSQL under a conversation (tests/integration/test_restarts.py): the API
    answered 500, which the SMS sink's status callbacks and other callers do not retry."""
    from api.main import create_app
    from stack.services import free_port
    from tests.api.conftest import AUTH
    from tests.api.settings_helpers import api_settings

    settings = api_settings(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")
    sms = {"message_sid": "SM1", "from": "+12025550143", "to": "+15005550006", "body": "hi"}
    with TestClient(create_app(settings), headers=AUTH) as client:
        response = client.post("/api/v1/messages/inbound", json=sms)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "postgres" not in response.text


def _uses_a_session(dependant: Dependant) -> bool:
    """Whether the route (or any of its dependencies) takes the request's database session."""
    return dependant.call is get_db or any(_uses_a_session(d) for d in dependant.dependencies)


SESSION_ON_A_WORKER_THREAD = {"/nlg"}
"""Async routes with a session that hand every query to a worker thread themselves (`run_in_threadpool`)."""


def test_no_route_queries_the_database_on_the_event_loop() -> None:
    """A query in an `async def` route holds up every other request the API serves (found: the Twilio
    status callback, the staff forms, the bounce intake); such a route is a plain `def`, which FastAPI runs
    on a worker thread, and reads its body through `BodyDep`."""
    from api.main import create_app

    on_the_loop = [
        f"{sorted(route.methods)} {route.path}"
        for route in create_app().routes
        if isinstance(route, APIRoute)
        and inspect.iscoroutinefunction(route.endpoint)
        and _uses_a_session(route.dependant)
        and route.path not in SESSION_ON_A_WORKER_THREAD
    ]

    assert on_the_loop == []
