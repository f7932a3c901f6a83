"""Campaign routes: operations and marketing staff create, list, show, pause, resume, stop, dry-run and
read the report; agents and the service token may not."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.campaigns.helpers import NOON_NEW_YORK, REMINDER, add_account
from tests.api.compliance_helpers import pin_clock
from tests.api.handoff_helpers import Staff

CAMPAIGNS = "/api/v1/campaigns"
BODY: dict[str, Any] = {
    "name": "Due in 5 days",
    "segment": {"due_in_days": 5, "balance_min": "100"},
    "steps": [
        {"day_offset": 0, "messages": {"sms": REMINDER}},
        {"day_offset": 3, "messages": {"sms": REMINDER}},
    ],
    "window_start_hour": 9,
    "window_end_hour": 18,
    "starts_at": NOON_NEW_YORK.isoformat(),
    "ends_at": (NOON_NEW_YORK + timedelta(days=14)).isoformat(),
}


def _create(client: TestClient, who: Staff, expect: int = 201, **overrides: Any) -> Any:
    response = client.post(CAMPAIGNS, json={**BODY, **overrides}, headers=who.headers)
    assert response.status_code == expect, response.text
    return response.json()


@pytest.mark.parametrize("role", ["marketing", "supervisor", "admin"])
def test_campaign_staff_create_list_and_show(
    anonymous_client: TestClient, staff: dict[str, Staff], role: str
) -> None:
    created = _create(anonymous_client, staff[role])

    listed = anonymous_client.get(CAMPAIGNS, headers=staff[role].headers).json()
    shown = anonymous_client.get(f"{CAMPAIGNS}/{created['id']}", headers=staff[role].headers).json()

    assert created["status"] == "active"
    assert [step["day_offset"] for step in created["steps"]] == [0, 3]
    assert [campaign["id"] for campaign in listed] == [created["id"]]
    assert shown == created


def test_agents_and_the_service_token_may_not(
    anonymous_client: TestClient, client: TestClient, staff: dict[str, Staff]
) -> None:
    assert anonymous_client.post(CAMPAIGNS, json=BODY, headers=staff["agent"].headers).status_code == 403
    assert client.post(CAMPAIGNS, json=BODY).status_code == 401


@pytest.mark.parametrize(
    "overrides",
    [
        {"steps": [{"day_offset": 0, "messages": {"sms": "utter_no_such_response"}}]},
        {"steps": [{"day_offset": 0, "messages": {"webchat": REMINDER}}]},
        {"window_start_hour": 18, "window_end_hour": 9},
        {"ends_at": NOON_NEW_YORK.isoformat()},
        {"segment": {"past_due": "1-999"}},
    ],
)
def test_invalid_campaigns_are_refused(
    anonymous_client: TestClient, staff: dict[str, Staff], overrides: dict[str, Any]
) -> None:
    _create(anonymous_client, staff["marketing"], expect=422, **overrides)


def test_pause_resume_stop(anonymous_client: TestClient, staff: dict[str, Staff]) -> None:
    who = staff["supervisor"]
    campaign_id = _create(anonymous_client, who)["id"]

    def act(action: str) -> Any:
        return anonymous_client.post(f"{CAMPAIGNS}/{campaign_id}/{action}", headers=who.headers)

    assert act("pause").json()["status"] == "paused"
    assert act("pause").status_code == 409
    assert act("resume").json()["status"] == "active"
    assert act("stop").json()["status"] == "stopped"
    assert act("resume").status_code == 409
    assert anonymous_client.post(f"{CAMPAIGNS}/nope/stop", headers=who.headers).status_code == 404


def test_dry_run_route(anonymous_client: TestClient, staff: dict[str, Staff], session: Session) -> None:
    add_account(session, phone="+12125550147")
    add_account(session, phone="+447700900123", time_zone="Asia/Tokyo")
    campaign_id = _create(anonymous_client, staff["marketing"])["id"]
    pin_clock(anonymous_client, NOON_NEW_YORK)

    started = anonymous_client.post(f"{CAMPAIGNS}/{campaign_id}/dry-run", headers=staff["marketing"].headers)

    assert started.status_code == 200  # two accounts: judged in the request
    job = started.json()
    assert (job["status"], job["total"], job["evaluated"]) == ("done", 2, 2)
    sms = job["result"]["channels"]["sms"]
    assert (sms["evaluated"], sms["reachable"], sms["reasons"]) == (2, 1, {"outside_contact_hours": 1})
    polled = anonymous_client.get(
        f"{CAMPAIGNS}/{campaign_id}/dry-run/{job['id']}", headers=staff["marketing"].headers
    )
    assert polled.json() == job


def test_a_dry_run_of_another_campaign_is_not_found(
    anonymous_client: TestClient, staff: dict[str, Staff]
) -> None:
    first = _create(anonymous_client, staff["marketing"])["id"]
    second = _create(anonymous_client, staff["marketing"])["id"]
    job = anonymous_client.post(f"{CAMPAIGNS}/{first}/dry-run", headers=staff["marketing"].headers).json()

    response = anonymous_client.get(
        f"{CAMPAIGNS}/{second}/dry-run/{job['id']}", headers=staff["marketing"].headers
    )

    assert response.status_code == 404


def test_report_route(anonymous_client: TestClient, staff: dict[str, Staff]) -> None:
    campaign_id = _create(anonymous_client, staff["marketing"])["id"]

    report = anonymous_client.get(f"{CAMPAIGNS}/{campaign_id}/report", headers=staff["marketing"].headers)

    assert report.status_code == 200
    assert report.json()["targeted"] == 0
