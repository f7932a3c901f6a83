"""Fixtures of the insights tests: a Rasa-shaped broker table, empty review tables, settings that read it."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.core.config import Settings
from api.insights import ingest
from api.insights.models import (
    ConversationLink,
    IngestCursor,
    IntentLabel,
    ReviewConversation,
    ReviewTurn,
)
from tests.api.insights.rasa_events import EVENTS, Broker
from tests.api.table_helpers import emptied

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """An empty broker database (SQLite file), as Rasa creates it."""
    url = f"sqlite:///{tmp_path / 'rasa_events.db'}"
    engine = create_engine(url, poolclass=NullPool)
    EVENTS.metadata.create_all(engine)
    yield Broker(engine, url)
    engine.dispose()


@pytest.fixture
def insights_tables(database_url: str) -> Iterator[None]:
    """Empty review tables before and after the test."""
    yield from emptied(
        database_url, IntentLabel, ConversationLink, ReviewTurn, ReviewConversation, IngestCursor
    )


@pytest.fixture
def insights_settings(settings: Settings, broker: Broker, insights_tables: None) -> Settings:
    """The test settings with the broker table as Rasa's event broker."""
    return settings.model_copy(update={"EVENT_BROKER_URL": broker.url})


@pytest.fixture
def ingested(insights_settings: Settings, session: Session) -> "Ingest":
    """A function that runs one ingest pass at NOW."""
    return Ingest(insights_settings, session)


class Ingest:
    """Run the ingest as the worker does."""

    def __init__(self, settings: Settings, session: Session) -> None:
        self.settings, self.session = settings, session

    def __call__(self, now: datetime = NOW) -> ingest.IngestReport:
        """One pass."""
        report = ingest.run_pass(self.settings, self.session, now)
        self.session.expire_all()
        return report
