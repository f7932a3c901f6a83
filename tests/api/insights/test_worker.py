"""The worker's insights duty: ingests when due, idles without a broker, survives a broker not yet created."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.core.config import Settings
from api.insights.models import ReviewConversation, ReviewTurn
from api.worker import IngestDuty
from tests.api.insights.conftest import NOW, Ingest
from tests.api.insights.rasa_events import Broker, paying_conversation


def test_the_duty_ingests_once_then_waits_for_its_interval(
    insights_settings: Settings, broker: Broker, session: Session
) -> None:
    broker.publish("s", *paying_conversation())
    duty = IngestDuty(insights_settings)

    duty.run_if_due()
    broker.publish("t", *paying_conversation())
    duty.run_if_due()  # not due again yet

    assert session.scalar(select(func.count()).select_from(ReviewConversation)) == 1
    assert 0 < duty.seconds_until_due() <= insights_settings.INSIGHTS_INGEST_SECONDS


def test_without_a_broker_the_duty_never_runs(settings: Settings) -> None:
    assert IngestDuty(settings).seconds_until_due() == float("inf")


def test_a_broker_table_rasa_has_not_created_yet_is_logged_not_raised(
    insights_settings: Settings, tmp_path
) -> None:
    missing = insights_settings.model_copy(update={"EVENT_BROKER_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    IngestDuty(missing).run_if_due()


def test_retention_forgets_old_review_conversations(
    insights_settings: Settings, broker: Broker, ingested: Ingest, session: Session
) -> None:
    broker.publish("s", *paying_conversation())
    ingested()
    ingested.settings = insights_settings.model_copy(update={"RETENTION_CONVERSATION_DAYS": 1})

    ingested(NOW + timedelta(days=2))

    assert session.scalar(select(func.count()).select_from(ReviewTurn)) == 0
