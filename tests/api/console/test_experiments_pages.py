"""Marketing's experiment results page: marketing only, the verdict waits for the sample size."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.experiments import service
from tests.api.handoff_helpers import PASSWORD, make_staff


def _sign_in(client: TestClient, session: Session, role: str) -> None:
    user = make_staff(session, role)
    response = client.post("/api/v1/staff/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text


def test_marketing_sees_the_results_and_agents_get_403(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    variants = [(50, [{"text": "Hello, how can I help?"}]), (50, [{"text": "Hi! How can I help?"}])]
    experiment = service.create(session, "utter_greet_page", variants, "verified", 7)
    session.commit()

    _sign_in(anonymous_client, session, "agent")
    assert anonymous_client.get(f"/console/experiments/{experiment.id}").status_code == 403
    _sign_in(anonymous_client, session, "marketing")
    page = anonymous_client.get(f"/console/experiments/{experiment.id}")

    assert page.status_code == 200 and "collecting data: 0 of 7" in page.text
