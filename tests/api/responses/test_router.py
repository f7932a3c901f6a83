"""The NLG route Rasa calls and the editor's routes: live edits, history, diff, rollback, roles."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.responses import live, service
from api.staff.models import StaffAudit
from tests.api.handoff_helpers import Staff
from tests.api.responses_helpers import DOMAIN, NLG, RESPONSES, empty_responses_tables, nlg_request

MIRANDA = "utter_debt_collector_notice"
NEW_GREETING = [
    {
        "text": "Hello! I'm Penny from Acme Recovery Services. This is a communication from a debt "
        "collector. This is an attempt to collect a debt and any information obtained will be used for "
        "that purpose."
    }
]


def _publish(
    client: TestClient, who: Staff, name: str, variations: list[dict[str, Any]], note: str = ""
) -> Any:
    body = {"variations": variations, "note": note}
    return client.post(f"{RESPONSES}/{name}/versions", json=body, headers=who.headers)


def test_the_nlg_route_answers_domain_yml_s_wording_after_the_seed(client: TestClient, seeded: Any) -> None:
    reply = client.post(NLG, json=nlg_request(MIRANDA))

    assert reply.status_code == 200
    assert reply.json() == seeded[MIRANDA][0]


def test_the_nlg_route_fills_slots_and_arguments_and_follows_conditions(
    client: TestClient, seeded: Any
) -> None:
    elevated = client.post(NLG, json=nlg_request("utter_ask_account_ref", {"distress_level": "elevated"}))
    balance = client.post(NLG, json=nlg_request("utter_payment_link", url="https://pay.example.org/p/1"))

    assert elevated.json()["text"].startswith(
        "Thank you for reaching out; we'll take this one step at a time."
    )
    assert "https://pay.example.org/p/1" in balance.json()["text"] and "{url}" not in balance.json()["text"]


def test_the_nlg_route_needs_the_service_token(
    anonymous_client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    assert anonymous_client.post(NLG, json=nlg_request(MIRANDA)).status_code == 401
    as_staff = anonymous_client.post(NLG, json=nlg_request(MIRANDA), headers=staff["admin"].headers)
    assert as_staff.status_code == 401


def test_an_unknown_response_is_a_404_so_the_bot_says_domain_yml_s(client: TestClient, seeded: Any) -> None:
    assert client.post(NLG, json=nlg_request("utter_not_in_the_database")).status_code == 404


def test_a_published_version_is_what_the_bot_says_next(
    client: TestClient, seeded: Any, staff: dict[str, Staff], session: Session
) -> None:
    published = _publish(client, staff["marketing"], MIRANDA, NEW_GREETING, "friendlier")

    assert published.status_code == 201, published.text
    assert published.json()["number"] == 2 and published.json()["author_email"] == "marketing@example.com"
    assert client.post(NLG, json=nlg_request(MIRANDA)).json()["text"] == NEW_GREETING[0]["text"]
    audit = session.scalars(select(StaffAudit).where(StaffAudit.action == "response.publish")).one()
    assert audit.data == {"response": MIRANDA, "version": 2}


def test_a_forbidden_phrasing_blocks_the_publish(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    threat = [{"text": NEW_GREETING[0]["text"] + " Pay now or we will take legal action."}]

    refused = _publish(client, staff["marketing"], MIRANDA, threat)

    assert refused.status_code == 422
    assert refused.json()["detail"]["problems"] == [
        "variation 1: forbidden phrasing (legal threat)",
        "variation 1: forbidden phrasing (time barred legal mention)",
    ]
    assert client.post(NLG, json=nlg_request(MIRANDA)).json() == seeded[MIRANDA][0]


def test_dropping_the_mini_miranda_blocks_the_publish(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    refused = _publish(client, staff["marketing"], MIRANDA, [{"text": "Hi, I'm Penny."}])

    assert refused.status_code == 422
    assert refused.json()["detail"]["problems"] == ["variation 1: must keep the mini miranda"]


def test_history_diff_and_rollback(client: TestClient, seeded: Any, staff: dict[str, Staff]) -> None:
    marketing = staff["marketing"]
    _publish(client, marketing, MIRANDA, NEW_GREETING, "friendlier")

    rolled = client.post(f"{RESPONSES}/{MIRANDA}/rollback", json={"version": 1}, headers=marketing.headers)
    history = client.get(f"{RESPONSES}/{MIRANDA}/versions", headers=marketing.headers).json()
    changes = client.get(f"{RESPONSES}/{MIRANDA}/diff?old=1&new=2", headers=marketing.headers).json()

    assert rolled.status_code == 201 and rolled.json()["note"] == "rollback to version 1"
    assert [(v["number"], v["author_email"]) for v in history] == [
        (3, "marketing@example.com"),
        (2, "marketing@example.com"),
        (1, None),
    ]
    assert history[0]["variations"] == history[2]["variations"] == seeded[MIRANDA]
    assert {line["kind"] for line in changes} == {"added", "removed"}
    assert client.post(NLG, json=nlg_request(MIRANDA)).json() == seeded[MIRANDA][0]


def test_the_list_searches_names_and_wording(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    headers = staff["marketing"].headers

    everything = client.get(RESPONSES, headers=headers).json()
    found = client.get(RESPONSES, params={"q": "MINI-MIRANDA"}, headers=headers).json()
    by_words = client.get(RESPONSES, params={"q": "attempt to collect"}, headers=headers).json()

    assert len(everything) == len(seeded)
    assert found == [] and MIRANDA in [row["name"] for row in by_words]


def test_the_preview_counts_sms_segments_and_reviews_the_draft(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    draft = {"variations": [{"text": "Your balance is {total} 😀"}]}

    preview = client.post(f"{RESPONSES}/{MIRANDA}/preview", json=draft, headers=staff["marketing"].headers)

    body = preview.json()
    assert body["variations"][0]["text"] == "Your balance is $1,320.40 😀"
    assert body["variations"][0]["sms"] == {
        "encoding": "UCS-2",
        "characters": 27,
        "units": 28,
        "segments": 1,
        "per_segment": 70,
    }
    assert body["problems"] == ["variation 1: must keep the mini miranda"]


def test_agents_and_supervisors_cannot_use_the_editor(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    for who in ("agent", "supervisor"):
        headers = staff[who].headers
        assert client.get(RESPONSES, headers=headers).status_code == 403
        assert _publish(client, staff[who], MIRANDA, NEW_GREETING).status_code == 403
        rollback = client.post(f"{RESPONSES}/{MIRANDA}/rollback", json={"version": 1}, headers=headers)
        assert rollback.status_code == 403
    assert _publish(client, staff["admin"], MIRANDA, NEW_GREETING).status_code == 201


def test_the_service_token_is_not_a_marketer(client: TestClient, seeded: Any) -> None:
    assert client.get(RESPONSES).status_code == 401


def test_publishing_a_response_unchanged_keeps_every_variation_as_domain_yml_has_it(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    name = "utter_ask_account_ref"

    published = _publish(client, staff["marketing"], name, seeded[name])

    assert published.status_code == 201, published.text
    assert published.json()["variations"] == seeded[name]


def test_a_condition_without_a_slot_name_is_refused(
    client: TestClient, seeded: Any, staff: dict[str, Staff]
) -> None:
    broken = [{"text": NEW_GREETING[0]["text"], "condition": [{"type": "slot", "value": "elevated"}]}]

    assert _publish(client, staff["marketing"], MIRANDA, broken).status_code == 422


def test_an_introduction_edited_before_the_notice_existed_can_lose_the_mini_miranda(
    client: TestClient, database_url: str, session: Session, staff: dict[str, Staff]
) -> None:
    # A deployment whose staff edited the introduction when it still carried the mini-Miranda keeps that
    # edit after the release that moved the mini-Miranda to its own response, the notice said after it.
    empty_responses_tables(database_url)
    live.forget()
    responses = service.read_domain_responses(DOMAIN)
    service.seed_from_domain(session, {**responses, "utter_introduction": NEW_GREETING}, utcnow())
    session.commit()
    try:
        kept = _publish(client, staff["marketing"], "utter_introduction", NEW_GREETING, "typo")
        taken_out = _publish(client, staff["marketing"], "utter_introduction", [{"text": "Hi, I'm Penny."}])
    finally:
        empty_responses_tables(database_url)
        live.forget()

    assert kept.status_code == 422
    assert kept.json()["detail"]["problems"] == [
        "variation 1: must not carry the mini miranda (utter_debt_collector_notice does)"
    ]
    assert taken_out.status_code == 201, taken_out.text
