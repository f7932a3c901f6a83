"""Marketing's experiment results page: marketing only, the verdict waits for the sample size."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.experiments import service
from tests.api.handoff_helpers import sign_in_as


def test_marketing_sees_the_results_and_agents_get_403(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    variants = [(50, [{"text": "Hello, how can I help?"}]), (50, [{"text": "Hi! How can I help?"}])]
    experiment = service.create(session, "utter_greet_page", variants, "verified", 7)
    session.commit()

    sign_in_as(anonymous_client, session, "agent")
    assert anonymous_client.get(f"/console/experiments/{experiment.id}").status_code == 403
    sign_in_as(anonymous_client, session, "marketing")
    page = anonymous_client.get(f"/console/experiments/{experiment.id}")

    assert page.status_code == 200 and "collecting data: 0 of 7" in page.text
