"""Messaging fixtures: settings with Twilio configured, a fake Twilio, and empty messaging tables."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from api.conversations.models import Contact, InboundMessage, OutboundAttempt, OutboundMessage
from api.core.config import Settings
from api.core.db import get_engine
from api.main import create_app
from tests.api.conftest import AUTH
from tests.api.handoff_helpers import handoff_tables, staff  # noqa: F401  (fixtures of the handoff tests)
from tests.factories import API_TOKEN, SECRET_KEY
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.twilio_server import FakeTwilio

API_PUBLIC_URL = "https://sms.example.org"
FROM_NUMBER = "+15005550006"


@pytest.fixture(autouse=True)
def _empty_messaging_tables(request: pytest.FixtureRequest) -> None:
    """Tests share one database per backend; messaging tests start without earlier messages."""
    if "database_url" not in request.fixturenames:
        return
    url: str = request.getfixturevalue("database_url")
    with get_engine(url).begin() as connection:
        for table in (OutboundAttempt, OutboundMessage, InboundMessage, Contact):
            connection.execute(delete(table))


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio REST API on a free localhost port."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, fake_rasa: FakeRasa) -> Settings:
    """Settings with Twilio configured against the fake."""
    return Settings(
        _env_file=None,
        DATABASE_URL=database_url,
        API_TOKEN=API_TOKEN,
        SECRET_KEY=SECRET_KEY,
        API_PUBLIC_URL=API_PUBLIC_URL,
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM_NUMBER=FROM_NUMBER,
        TWILIO_API_BASE_URL=fake_twilio.url,
        RASA_URL=fake_rasa.url,
        RASA_TOKEN=fake_rasa.token,
    )


@pytest.fixture
def sms_client(sms_settings: Settings) -> Iterator[TestClient]:
    """A service client of an app with Twilio configured."""
    with TestClient(create_app(sms_settings), headers=AUTH) as test_client:
        yield test_client
