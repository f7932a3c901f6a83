"""Settings for the API's tests: the test secrets, no .env, and whatever a test adds."""

from typing import Any

from api.core.config import Settings
from tests.factories import API_TOKEN, SECRET_KEY


def api_settings(database_url: str | None = None, **overrides: Any) -> Settings:
    """Settings independent of the developer's environment and .env, on `database_url` when given."""
    values: dict[str, Any] = {"API_TOKEN": API_TOKEN, "SECRET_KEY": SECRET_KEY, **overrides}
    if database_url is not None:
        values["DATABASE_URL"] = database_url
    return Settings(_env_file=None, **values)
