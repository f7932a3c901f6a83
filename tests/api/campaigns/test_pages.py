"""The console's campaign pages: who may see them, the create form (valid and invalid, validated by the
API's schema), a campaign's dry run and report in words, pause/resume/stop forms with their token, no
debtor identity on any page, and escaping."""

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.campaigns import dry_runs, planner, sending
from api.campaigns.models import Campaign, CampaignSend
from api.compliance import gate as compliance
from api.conversations.models import Contact
from api.core.config import Settings
from api.staff.models import StaffAudit
from tests.api.campaigns.helpers import NOON_NEW_YORK, REMINDER, add_account, add_campaign
from tests.api.compliance_helpers import pin_clock
from tests.api.handoff_helpers import Staff, sign_in

SECTION = "/console/campaigns"
NEW_YORK = "+12125550147"
TOKYO = "+447700900123"
FORM: dict[str, str] = {
    "name": "Due in 5 days",
    "due_in_days": "5",
    "past_due": "",
    "balance_min": "100",
    "balance_max": "",
    "creditors": "Northwind Bank, Contoso",
    "consent_channel": "sms",
    "step_0_day": "0",
    "step_0_channel": "sms",
    "step_0_response": REMINDER,
    "step_1_day": "3",
    "step_1_channel": "sms",
    "step_1_response": "utter_reminder_past_due",
    "step_2_day": "",
    "window_start_hour": "9",
    "window_end_hour": "18",
    "starts_at": "2026-11-23T17:00",
    "ends_at": "2026-12-07T17:00",
}


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    assert found is not None
    return found.group(1)


def _post_form(client: TestClient, **overrides: str) -> Any:
    token = _token(client.get(SECTION).text)
    return client.post(SECTION, data={**FORM, "token": token, **overrides}, follow_redirects=False)


def _campaign_audits(session: Session) -> list[str]:
    query = select(StaffAudit.action).where(StaffAudit.action.startswith("campaign."))
    return list(session.scalars(query.order_by(StaffAudit.created_at)))


def _errors(page: str, field: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'<p class="error" id="error-{field}">([^<]*)</p>', page)]


@pytest.mark.parametrize("role", ["supervisor", "marketing", "admin"])
def test_operations_marketing_and_admins_get_the_section(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session, role: str
) -> None:
    add_campaign(session, name="Spring reminders")
    sign_in(anonymous_client, staff[role])

    page = anonymous_client.get(SECTION)

    assert page.status_code == 200
    assert "Spring reminders" in page.text and 'id="create"' in page.text


def test_agents_get_403_and_strangers_the_sign_in_page(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    paths = (SECTION, f"{SECTION}/{campaign.id}")
    redirects = [anonymous_client.get(path, follow_redirects=False) for path in paths]
    sign_in(anonymous_client, staff["agent"])

    assert [(r.status_code, r.headers["location"]) for r in redirects] == [(303, "/console/login")] * 2
    assert [anonymous_client.get(path).status_code for path in paths] == [403, 403]
    assert anonymous_client.post(SECTION, data=FORM).status_code == 403
    assert anonymous_client.post(f"{SECTION}/{campaign.id}/stop", data={}).status_code == 403


def test_the_list_shows_status_steps_window_start_and_end(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    add_campaign(session, name="Two steps", window_start_hour=8, window_end_hour=19)
    sign_in(anonymous_client, staff["marketing"])

    row = re.search(r'<tr class="status-active">(.*?)</tr>', anonymous_client.get(SECTION).text, re.S)

    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[1:] == ["active", "1", "08:00 to 19:00", "2026-11-23 16:00", "2026-12-23 17:00"]


def test_a_valid_form_creates_the_campaign_and_audits_it(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    sign_in(anonymous_client, staff["supervisor"])

    response = _post_form(anonymous_client)

    campaign = session.scalars(select(Campaign)).one()
    assert (response.status_code, response.headers["location"]) == (303, f"{SECTION}/{campaign.id}")
    assert campaign.segment["due_in_days"] == 5
    assert campaign.segment["creditors"] == ["Northwind Bank", "Contoso"]
    assert [(s.day_offset, s.messages) for s in campaign.steps] == [
        (0, {"sms": REMINDER}),
        (3, {"sms": "utter_reminder_past_due"}),
    ]
    assert campaign.starts_at.isoformat() == "2026-11-23T17:00:00+00:00"
    assert (campaign.window_start_hour, campaign.window_end_hour, campaign.created_by) == (
        9,
        18,
        staff["supervisor"].id,
    )
    assert _campaign_audits(session) == ["campaign.create"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "at least 1 character"),
        ({"due_in_days": "many"}, "due_in_days", "valid integer"),
        ({"due_in_days": "400"}, "due_in_days", "less than or equal to 365"),
        ({"past_due": "1-999"}, "past_due", "'1-30' or '31-90'"),
        ({"balance_min": "-5"}, "balance_min", "greater than or equal to 0"),
        ({"step_1_channel": "webchat"}, "step_1", "campaigns do not send on webchat"),
        ({"step_0_response": "utter_no_such"}, "step_0", "unknown response 'utter_no_such'"),
        ({"step_1_day": "0"}, "steps", "two steps have the same day_offset"),
        ({"step_0_day": "", "step_1_day": ""}, "steps", "at least 1 item"),
        ({"window_start_hour": "18", "window_end_hour": "9"}, "window", "window_start_hour must be before"),
        ({"ends_at": "2026-11-01T00:00"}, "ends_at", "starts_at must be before ends_at"),
        ({"starts_at": "soon"}, "starts_at", "valid datetime"),
    ],
)
def test_an_invalid_form_shows_the_schemas_error_next_to_the_field(
    anonymous_client: TestClient,
    staff: dict[str, Staff],
    session: Session,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    sign_in(anonymous_client, staff["marketing"])

    response = _post_form(anonymous_client, **overrides)

    assert response.status_code == 422
    assert any(message in error for error in _errors(response.text, field)), response.text
    assert 'value="Northwind Bank, Contoso"' in response.text  # what was typed stays in the form
    assert session.scalars(select(Campaign)).all() == []


def test_a_form_without_the_users_token_is_refused(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    sign_in(anonymous_client, staff["marketing"])
    forged = {"token": "0" * 64}

    assert anonymous_client.post(SECTION, data={**FORM, **forged}).status_code == 403
    assert anonymous_client.post(f"{SECTION}/{campaign.id}/stop", data=forged).status_code == 403
    session.expire_all()
    assert session.scalars(select(Campaign.status)).all() == ["active"]


def test_a_form_with_more_fields_than_ours_is_a_400(
    anonymous_client: TestClient, staff: dict[str, Staff]
) -> None:
    sign_in(anonymous_client, staff["marketing"])
    flood = {f"field_{n}": "x" for n in range(100)}

    assert _post_form(anonymous_client, **flood).status_code == 400


def test_the_campaign_page_shows_the_definition_and_the_dry_run_in_words(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    add_account(session, phone=NEW_YORK)
    add_account(session, phone=TOKYO, time_zone="Asia/Tokyo")  # 02:00 in Tokyo
    campaign = add_campaign(session, {"due_in_days": 5, "creditors": ["Northwind Bank"]})
    sign_in(anonymous_client, staff["marketing"])
    pin_clock(anonymous_client, NOON_NEW_YORK)

    page = _run_dry_run(anonymous_client, campaign.id).text

    dry_run = re.search(r'<section id="dry-run">(.*?)</section>', page, re.S)
    assert dry_run is not None
    figures = re.findall(r"<dt>([^<]*)</dt><dd>(\d+)</dd>", dry_run.group(1))
    assert figures == [("Accounts in the segment", "2"), ("Would reach now", "1"), ("Suppressed", "1")]
    assert '<td title="outside_contact_hours">outside contact hours</td><td>1</td>' in dry_run.group(1)
    assert "due today or within 5 days; creditor Northwind Bank; not opted out of sms" in page
    assert f"<td>0</td><td>sms</td><td>{REMINDER}</td>" in page


def test_the_dry_run_runs_when_asked_for_and_never_for_a_stopped_campaign(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    active, stopped = add_campaign(session), add_campaign(session, name="Old")
    stopped.status = "stopped"
    session.commit()
    sign_in(anonymous_client, staff["marketing"])

    plain = anonymous_client.get(f"{SECTION}/{active.id}").text
    over = anonymous_client.get(f"{SECTION}/{stopped.id}").text

    assert "Would reach now" not in plain and f'action="{SECTION}/{active.id}/dry-run"' in plain
    assert "nothing more will be sent" in over and "/dry-run" not in over


def _run_dry_run(client: TestClient, campaign_id: str) -> Any:
    """Press the dry run's button; the page it leads to."""
    page = client.get(f"{SECTION}/{campaign_id}").text
    started = client.post(
        f"{SECTION}/{campaign_id}/dry-run", data={"token": _token(page)}, follow_redirects=False
    )
    assert started.status_code == 303
    assert started.headers["location"].startswith(f"{SECTION}/{campaign_id}?dry_run=")
    return client.get(started.headers["location"])


def test_the_form_sends_an_sms_and_an_email_on_the_same_day_as_one_step(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    sign_in(anonymous_client, staff["marketing"])

    response = _post_form(anonymous_client, step_1_day="0", step_1_channel="email", step_1_response=REMINDER)

    assert response.status_code == 303, response.text
    [campaign] = session.scalars(select(Campaign)).all()
    assert [step.messages for step in campaign.steps] == [{"sms": REMINDER, "email": REMINDER}]


def test_a_dry_run_too_large_for_the_request_shows_its_progress_and_reloads(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    add_account(session, phone=NEW_YORK)
    campaign = add_campaign(session)
    job = dry_runs.create(session, campaign, None, NOON_NEW_YORK)
    session.commit()
    sign_in(anonymous_client, staff["marketing"])

    page = anonymous_client.get(f"{SECTION}/{campaign.id}?dry_run={job.id}").text

    assert "The dry run is queued: 0 of 1 accounts judged so far." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert f'action="{SECTION}/{campaign.id}/dry-run"' not in page  # no second run while one is pending


def test_a_dry_run_form_without_the_token_is_refused(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    sign_in(anonymous_client, staff["marketing"])

    response = anonymous_client.post(f"{SECTION}/{campaign.id}/dry-run", data={"token": "0" * 64})

    assert response.status_code == 403


def _report_campaign(session: Session, settings: Settings) -> Campaign:
    """A campaign that sent to one debtor and was blocked for another who opted out before the send."""
    add_account(session, phone=NEW_YORK)
    add_account(session, phone="+12125550148")
    campaign = add_campaign(session)
    planner.plan(session, NOON_NEW_YORK, planner.PlanConfig(), lambda *_: None)
    session.add(Contact(channel="sms", address="+12125550148", conversation_id="c-out", opted_out=True))
    session.commit()
    for send in session.scalars(select(CampaignSend)).all():
        sending.deliver(session, settings, send.id, NOON_NEW_YORK, compliance.DEFAULT_CONFIG)
    return campaign


def test_the_report_is_rendered_with_reasons_in_words(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session, settings: Settings
) -> None:
    campaign = _report_campaign(session, settings)
    sign_in(anonymous_client, staff["admin"])
    pin_clock(anonymous_client, NOON_NEW_YORK)

    page = anonymous_client.get(f"{SECTION}/{campaign.id}").text

    report = re.search(r'<section id="report">(.*?)</section>', page, re.S)
    assert report is not None
    rows = dict(re.findall(r"<tr><th>([^<]*)</th><td>(\d+)</td></tr>", report.group(1)))
    assert (rows["Targeted"], rows["Suppressed"], rows["Opted out"]) == ("2", "1", "0")
    assert {"Sent", "Delivered", "Replied", "Converted: payment", "Converted: plan"} <= rows.keys()
    assert '<td title="opted_out">opted out</td><td>1</td>' in report.group(1)
    channels = re.findall(r"<tr><th>(\w+)</th>((?:<td>\d+</td>){5})</tr>", report.group(1))
    assert channels == [("sms", "<td>0</td><td>0</td><td>0</td><td>0</td><td>1</td>")]


def test_no_debtor_identity_reaches_the_pages(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session, settings: Settings
) -> None:
    campaign = _report_campaign(session, settings)
    accounts = [send.account_id for send in session.scalars(select(CampaignSend))]
    sign_in(anonymous_client, staff["marketing"])
    pin_clock(anonymous_client, NOON_NEW_YORK)

    shown = anonymous_client.get(f"{SECTION}/{campaign.id}?dry_run=true").text
    pages = anonymous_client.get(SECTION).text + shown

    for secret in ("Jordan", "Rivera", "5550147", "5550148", "CMP-", "c-out", *accounts):
        assert secret not in pages


def test_pause_resume_and_stop_through_the_forms(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    sign_in(anonymous_client, staff["supervisor"])
    page = f"{SECTION}/{campaign.id}"

    def press(action: str) -> Any:
        token = _token(anonymous_client.get(page).text)
        return anonymous_client.post(f"{page}/{action}", data={"token": token}, follow_redirects=False)

    def buttons() -> list[str]:
        return re.findall(r'action="/console/campaigns/[^/"]+/(\w+)"', anonymous_client.get(page).text)

    assert buttons() == ["pause", "stop"]
    assert (press("pause").status_code, buttons()) == (303, ["resume", "stop"])
    assert (press("resume").status_code, buttons()) == (303, ["pause", "stop"])
    assert (press("stop").status_code, buttons()) == (303, [])
    session.expire_all()
    assert session.scalars(select(Campaign.status)).one() == "stopped"
    assert _campaign_audits(session) == [
        "campaign.paused",
        "campaign.active",
        "campaign.stopped",
    ]


def test_an_action_that_does_not_fit_is_a_409_saying_why(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    sign_in(anonymous_client, staff["supervisor"])
    token = _token(anonymous_client.get(SECTION).text)

    refused = anonymous_client.post(f"{SECTION}/{campaign.id}/resume", data={"token": token})
    unknown = anonymous_client.post(f"{SECTION}/{campaign.id}/delete", data={"token": token})
    missing = anonymous_client.post(f"{SECTION}/nope/stop", data={"token": token})

    assert refused.status_code == 409 and "a active campaign cannot become active" in refused.text
    assert (unknown.status_code, missing.status_code) == (404, 404)


def test_names_and_typed_values_are_escaped(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    attack = '<script>alert("x")</script>'
    campaign = add_campaign(session, name=attack)
    sign_in(anonymous_client, staff["marketing"])

    listed = anonymous_client.get(SECTION).text
    shown = anonymous_client.get(f"{SECTION}/{campaign.id}").text
    refused = _post_form(anonymous_client, name=attack, creditors=f'"><b>{attack}', due_in_days="x").text

    for page in (listed, shown, refused):
        assert "<script>" not in page and "&lt;script&gt;" in page
    assert '"><b>' not in refused


def test_pages_load_nothing_from_elsewhere_and_run_no_script(
    anonymous_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    campaign = add_campaign(session)
    sign_in(anonymous_client, staff["marketing"])

    for path in (SECTION, f"{SECTION}/{campaign.id}"):
        response = anonymous_client.get(path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "<script" not in response.text and "http" not in response.text.split("<body")[0]
