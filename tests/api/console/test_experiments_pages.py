"""Marketing's experiment pages: marketing and admins only (agents 403), the list, the create form validated
by the API's ExperimentIn, start after the compliance review (its message shown when it fails), stop, and the
results page whose verdict waits for the sample size."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.experiments import service
from api.experiments.models import Experiment
from api.staff.models import StaffAudit
from tests.api.experiments.conftest import _empty_experiments  # noqa: F401 (autouse: empty tables)
from tests.api.handoff_helpers import sign_in_as

SECTION = "/console/experiments"
RESPONSE = "utter_payment_link"
FORM = {
    "response_name": RESPONSE,
    "primary_outcome": "payment_made",
    "minimum_sample": "150",
    "variant_0_text": "You can pay securely here: {url}. Please never type card numbers into this chat.",
    "variant_0_share": "50",
    "variant_1_text": "It takes two minutes: pay here: {url}. Please never type card numbers into this chat.",
    "variant_1_share": "50",
    "variant_2_text": "",
    "variant_2_share": "",
}


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    assert found is not None
    return found.group(1)


def _create(client: TestClient, **overrides: str) -> Any:
    token = _token(client.get(f"{SECTION}/new").text)
    return client.post(SECTION, data={**FORM, "token": token, **overrides}, follow_redirects=False)


def _only(session: Session) -> Experiment:
    session.expire_all()
    return session.scalars(select(Experiment)).one()


def test_marketing_sees_the_results_and_agents_get_403(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    variants = [(50, [{"text": "Hello, how can I help?"}]), (50, [{"text": "Hi! How can I help?"}])]
    experiment = service.create(session, "utter_greet_page", variants, "verified", 7)
    session.commit()

    sign_in_as(anonymous_client, session, "agent")
    for path in (SECTION, f"{SECTION}/new", f"{SECTION}/{experiment.id}"):
        assert anonymous_client.get(path).status_code == 403, path
    sign_in_as(anonymous_client, session, "marketing")
    page = anonymous_client.get(f"{SECTION}/{experiment.id}")

    assert page.status_code == 200 and "collecting data: 0 of 7" in page.text
    assert "satisfaction survey answered" in page.text and "Start (after the compliance review)" in page.text


def test_without_a_session_the_pages_redirect_to_sign_in(anonymous_client: TestClient) -> None:
    page = anonymous_client.get(SECTION, follow_redirects=False)

    assert page.status_code == 303 and page.headers["location"] == "/console/login"


@pytest.mark.parametrize("role", ["marketing", "admin"])
def test_a_marketer_creates_starts_and_stops_an_experiment_from_the_pages(
    role: str, anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, role)
    new = anonymous_client.get(f"{SECTION}/new?response={RESPONSE}")
    assert "You can pay securely here: {url}" in new.text  # control filled with today's default wording

    created = _create(anonymous_client)

    assert created.status_code == 303
    experiment = _only(session)
    assert created.headers["location"] == f"{SECTION}/{experiment.id}"
    assert (experiment.status, experiment.primary_outcome, experiment.minimum_sample) == (
        "draft",
        "payment_made",
        150,
    )
    variants = service.variants(session, experiment)
    assert [v.share for v in variants] == [50, 50]
    default = [v for v in variants[1].variations if not v.get("condition")]
    assert default == [{"text": FORM["variant_1_text"]}]
    assert len(variants[1].variations) == len(seeded[RESPONSE])  # the distress-aware wordings kept
    listed = anonymous_client.get(SECTION)
    assert f'href="{SECTION}/{experiment.id}"' in listed.text and "draft" in listed.text

    token = _token(anonymous_client.get(created.headers["location"]).text)
    started = anonymous_client.post(
        f"{SECTION}/{experiment.id}/start", data={"token": token}, follow_redirects=False
    )
    assert started.status_code == 303 and _only(session).status == "running"
    page = anonymous_client.get(f"{SECTION}/{experiment.id}")
    assert "Stop (results are kept)" in page.text
    stopped = anonymous_client.post(
        f"{SECTION}/{experiment.id}/stop", data={"token": token}, follow_redirects=False
    )
    assert stopped.status_code == 303 and _only(session).status == "stopped"
    actions = session.scalars(select(StaffAudit.action).where(StaffAudit.action.like("experiment.%")))
    assert sorted(actions) == ["experiment.create", "experiment.start", "experiment.stop"]


def test_a_forbidden_phrasing_blocks_the_start_and_the_page_says_why(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")
    threat = "Pay now at {url} or we will take legal action. Please never type card numbers into this chat."
    created = _create(anonymous_client, variant_1_text=threat)
    token = _token(anonymous_client.get(created.headers["location"]).text)

    started = anonymous_client.post(created.headers["location"] + "/start", data={"token": token})

    assert started.status_code == 422
    assert "variant 1" in started.text and "forbidden phrasing (legal threat)" in started.text
    assert _only(session).status == "draft"


def test_invalid_fields_come_back_with_the_schemas_messages(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    page = _create(anonymous_client, minimum_sample="0", variant_1_share="0", variant_1_text="<b>x</b> {url}")

    assert page.status_code == 422
    assert 'id="error-minimum_sample"' in page.text and "greater than 0" in page.text
    assert 'id="error-variant_1"' in page.text
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text and "<b>x</b>" not in page.text
    assert session.scalars(select(Experiment)).all() == []


def test_one_variant_or_an_unknown_response_is_refused(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    alone = _create(anonymous_client, variant_1_text="")
    unknown = _create(anonymous_client, response_name="utter_nope")

    assert alone.status_code == unknown.status_code == 422
    assert 'id="error-variants"' in alone.text
    assert 'id="error-response_name"' in unknown.text and "no such response" in unknown.text


def test_forms_without_the_users_token_are_refused(
    anonymous_client: TestClient, session: Session, handoff_tables: None, seeded: Any
) -> None:
    sign_in_as(anonymous_client, session, "marketing")

    refused = anonymous_client.post(SECTION, data={**FORM, "token": "0" * 64})

    assert refused.status_code == 403
    assert session.scalars(select(Experiment)).all() == []
