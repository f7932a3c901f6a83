"""Settings: secrets are required, everything else has a documented default."""

import pytest
from pydantic import ValidationError

from api.core.config import DatabaseSettings, Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "API_TOKEN", "SECRET_KEY", "VERIFY_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)


def test_the_secrets_have_no_defaults() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)

    assert {error["loc"][0] for error in caught.value.errors()} == {"API_TOKEN", "SECRET_KEY"}


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, API_TOKEN="short", SECRET_KEY="also-short")


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKEN", "env-token-0123456789")
    monkeypatch.setenv("SECRET_KEY", "env-secret-0123456789abcdef0123456789")
    monkeypatch.setenv("VERIFY_MAX_ATTEMPTS", "5")

    settings = Settings(_env_file=None)

    assert settings.DATABASE_URL == "sqlite:///var/accounts.db"
    assert (settings.VERIFY_MAX_ATTEMPTS, settings.VERIFY_LOCKOUT_MINUTES, settings.GRANT_TTL_SECONDS) == (
        5,
        1440,
        1800,
    )
    assert "env-token" not in repr(settings)


def test_migrations_need_only_the_database_url() -> None:
    assert DatabaseSettings(_env_file=None).DATABASE_URL == "sqlite:///var/accounts.db"
