"""Fixtures for the API's tests: every database test runs on SQLite and on PostgreSQL.

Both databases are built by the Alembic migrations (not `create_all`), so the migrations are what the
tests exercise. PostgreSQL is a fresh, uniquely named database on 127.0.0.1:5432 (user postgres),
dropped at the end of the session; when the server is unreachable its tests skip, or fail under CI=true.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from typing import NoReturn

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.accounts.models import Account, AccountEvent, Debtor
from api.core.config import Settings
from api.core.db import dispose_engine, get_session_factory
from api.handoffs.models import Handoff, HandoffEntry
from api.main import create_app
from api.staff.models import StaffAudit, StaffUser
from mail_sink.server import MailSink
from tests.api.alembic_helpers import migrate
from tests.api.compliance_helpers import empty_messaging_tables
from tests.api.handoff_helpers import handoff_tables, staff  # noqa: F401  (fixtures)
from tests.api.responses_helpers import seeded  # noqa: F401  (fixture)
from tests.api.settings_helpers import api_settings
from tests.api.table_helpers import empty_tables
from tests.api.tracker_helpers import redis_client, redis_store, sql_store  # noqa: F401  (fixtures)
from tests.factories import API_TOKEN
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.twilio_server import FakeTwilio

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
API_PUBLIC_URL = "https://sms.example.org"
FROM_NUMBER = "+15005550006"


def _postgres_unreachable(error: Exception) -> NoReturn:
    """Skip (or fail under CI=true, where PostgreSQL must be there) with a clear reason."""
    host = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
    reason = f"PostgreSQL is unreachable at {host} ({type(error).__name__}: {str(error).strip()})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Callable[[], str]]:
    """A factory of fresh, uniquely named PostgreSQL databases, all dropped at the end of the session."""
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        _postgres_unreachable(error)
    created: list[str] = []

    def create() -> str:
        name = f"accounts_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    yield create
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        for name in created:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgresql_url(postgres_databases: Callable[[], str]) -> Iterator[str]:
    """The session's migrated PostgreSQL database."""
    url = postgres_databases()
    migrate(url)
    yield url
    dispose_engine(url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's migrated SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'accounts.db'}"
    migrate(url)
    yield url
    dispose_engine(url)


def _empty_tables(url: str) -> None:
    """Tests share one database per backend; each starts from empty tables."""
    empty_tables(url, HandoffEntry, Handoff, StaffAudit, StaffUser, AccountEvent, Account, Debtor)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database on each backend in turn, emptied after the test."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    yield url
    _empty_tables(url)


@pytest.fixture(scope="session")
def _rasa_server() -> Iterator[FakeRasa]:
    with FakeRasa() as fake:
        yield fake


@pytest.fixture
def fake_rasa(_rasa_server: FakeRasa) -> FakeRasa:
    """A fake of Rasa's HTTP API on localhost (shared by the session, emptied for each test)."""
    _rasa_server.reset()
    return _rasa_server


def _rasa(fake_rasa: FakeRasa) -> dict[str, str]:
    """The settings that point the API at the fake Rasa."""
    return {"RASA_URL": fake_rasa.url, "RASA_TOKEN": fake_rasa.token}


def _service_client(settings: Settings) -> Iterator[TestClient]:
    """A running app on `settings` and a client of it that sends the service token."""
    with TestClient(create_app(settings), headers=AUTH) as test_client:
        yield test_client


@pytest.fixture
def settings(database_url: str, fake_rasa: FakeRasa) -> Settings:
    """Settings independent of the developer's environment and .env; Rasa is the fake."""
    return api_settings(database_url, **_rasa(fake_rasa))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client that sends the service token."""
    yield from _service_client(settings)


@pytest.fixture
def anonymous_client(settings: Settings) -> Iterator[TestClient]:
    """A client without any credentials."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on the test database, to look at rows the API wrote."""
    with get_session_factory(database_url)() as db_session:
        yield db_session


@pytest.fixture(autouse=True)
def _empty_messaging_tables(request: pytest.FixtureRequest) -> None:
    """Tests share one database per backend; messaging tests start without earlier messages."""
    if "database_url" not in request.fixturenames:
        return
    empty_messaging_tables(request.getfixturevalue("database_url"))


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio REST API on a free localhost port."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, fake_rasa: FakeRasa) -> Settings:
    """Settings with Twilio configured against the fake."""
    return api_settings(
        database_url,
        API_PUBLIC_URL=API_PUBLIC_URL,
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM_NUMBER=FROM_NUMBER,
        TWILIO_API_BASE_URL=fake_twilio.url,
        **_rasa(fake_rasa),
    )


@pytest.fixture
def sms_client(sms_settings: Settings) -> Iterator[TestClient]:
    """A service client of an app with Twilio configured."""
    yield from _service_client(sms_settings)


BOUNCE_SECRET = "bounce-intake-secret-for-tests"
"""EMAIL_BOUNCE_WEBHOOK_SECRET of `email_settings`."""


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    """A local SMTP server started by the test, with its mailbox (mail to *@bounce.invalid bounces)."""
    with MailSink() as sink:
        yield sink


@pytest.fixture
def email_settings(settings: Settings, mail_sink: MailSink) -> Settings:
    """The test settings with SMTP pointed at the sink, a public origin for the links, the bounce intake's
    secret and the Return-Path's domain."""
    updates = {
        "SMTP_HOST": mail_sink.host,
        "SMTP_PORT": mail_sink.smtp_port,
        "API_PUBLIC_URL": API_PUBLIC_URL,
        "EMAIL_BOUNCE_WEBHOOK_SECRET": SecretStr(BOUNCE_SECRET),
        "EMAIL_BOUNCE_DOMAIN": "bounces.acme-recovery.example",
    }
    return settings.model_copy(update=updates)
