"""The app module can be imported with no database and no secrets: nothing connects at import."""

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

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
