"""Handoffs, the agents' side: who may see and do what, the queue's order, the actions and their audit."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.conversations.models import OutboundMessage
from api.staff.models import StaffAudit
from tests.api.handoff_helpers import (
    HANDOFFS,
    Staff,
    act,
    claimed_handoff,
    create_handoff,
    make_staff,
)
from tests.api.sms_helpers import inbound
from tests.factories import create_account, phone_number
from tests.fakes.rasa_server import FakeRasa

UNKNOWN = "00000000-0000-4000-8000-000000000000"
ACTIONS = ["claim", "release", "close"]


def _queue(client: TestClient, who: Staff, **params: object) -> list[dict[str, object]]:
    response = client.get(HANDOFFS, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


def _detail(client: TestClient, who: Staff, handoff_id: str, expect: int = 200) -> dict[str, object]:
    response = client.get(f"{HANDOFFS}/{handoff_id}", headers=who.headers)
    assert response.status_code == expect, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer test-api-token-0123456789"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Cookie": "staff_session=forged"},
    ],
    ids=["none", "service-token", "garbage", "forged-cookie"],
)
def test_staff_routes_reject_missing_or_wrong_credentials(
    anonymous_client: TestClient, staff: dict[str, Staff], headers: dict[str, str]
) -> None:
    paths = [("GET", HANDOFFS), ("GET", f"{HANDOFFS}/{UNKNOWN}"), ("GET", "/api/v1/staff/me")]
    paths += [("POST", f"{HANDOFFS}/{UNKNOWN}/{action}") for action in ACTIONS]

    for method, path in paths:
        assert anonymous_client.request(method, path, headers=headers).status_code == 401, path


def test_a_deactivated_user_is_signed_out(client: TestClient, session: Session, handoff_tables: None) -> None:
    gone = make_staff(session, "agent", active=False)

    assert client.get(HANDOFFS, headers=gone.headers).status_code == 401


def test_marketing_cannot_read_the_queue_or_any_transcript(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    handoff = create_handoff(client)
    marketing = staff["marketing"]

    assert client.get(HANDOFFS, headers=marketing.headers).status_code == 403
    assert client.get(f"{HANDOFFS}/{handoff['id']}", headers=marketing.headers).status_code == 403
    assert act(client, marketing, handoff["id"], "claim", expect=403)


def test_the_queue_is_ordered_by_priority_then_age(client: TestClient, staff: dict[str, Staff]) -> None:
    fallback = create_handoff(client, reason="repeated_fallback")
    person = create_handoff(client, reason="request_human")
    crisis = create_handoff(client, reason="crisis")
    second_person = create_handoff(client, reason="request_human")

    order = [item["id"] for item in _queue(client, staff["agent"])]

    assert order == [crisis["id"], person["id"], second_person["id"], fallback["id"]]
    assert "transcript" not in _queue(client, staff["agent"])[0]


def test_an_agent_cannot_see_a_handoff_another_agent_claimed(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    other = staff["agent2"]

    assert _queue(client, other) == []
    _detail(client, other, handoff["id"], expect=404)
    for action in ACTIONS:
        act(client, other, handoff["id"], action, expect=404)
    act(client, other, handoff["id"], "reply", expect=404, text="hello")
    assert [item["id"] for item in _queue(client, staff["supervisor"])] == [handoff["id"]]
    assert _detail(client, staff["admin"], handoff["id"])["claimed_by"] == staff["agent"].id


def test_guessed_ids_are_not_found(client: TestClient, staff: dict[str, Staff]) -> None:
    _detail(client, staff["supervisor"], UNKNOWN, expect=404)
    _detail(client, staff["supervisor"], "1", expect=404)


def test_claim_reply_release_close(client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa) -> None:
    handoff = create_handoff(client)
    agent = staff["agent"]

    claimed = act(client, agent, handoff["id"], "claim")
    assert (claimed["status"], claimed["claimed_by"]) == ("claimed", agent.id)
    assert act(client, staff["agent2"], handoff["id"], "claim", expect=404)
    reply = act(client, agent, handoff["id"], "reply", expect=201, text="Hello, this is Dana.")
    assert (reply["sender"], reply["staff_email"], reply["delivery"]) == ("agent", agent.email, "delivered")
    act(client, agent, handoff["id"], "notes", expect=201, text="Wants a call on Friday")
    act(client, agent, handoff["id"], "disposition", disposition="callback_scheduled")
    released = act(client, agent, handoff["id"], "release")
    closed = act(client, agent, handoff["id"], "close")

    assert released["status"] == "released"
    assert (closed["status"], closed["disposition"]) == ("closed", "callback_scheduled")
    assert [line["sender"] for line in closed["transcript"]] == ["bot", "debtor", "agent"]
    assert [note["text"] for note in closed["notes"]] == ["Wants a call on Friday"]
    assert act(client, agent, handoff["id"], "reply", expect=409, text="too late")
    assert fake_rasa.delivered(handoff["conversation_id"]) == ["Hello, this is Dana."]


def test_replies_need_the_handoff_claimed(client: TestClient, staff: dict[str, Staff]) -> None:
    handoff = create_handoff(client)

    act(client, staff["agent"], handoff["id"], "reply", expect=409, text="not yet")
    act(client, staff["agent"], handoff["id"], "release", expect=409)


def test_a_supervisor_reassigns_and_the_new_agent_takes_over(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    target = {"staff_id": staff["agent2"].id}

    act(client, staff["agent"], handoff["id"], "reassign", expect=403, **target)
    reassigned = act(client, staff["supervisor"], handoff["id"], "reassign", **target)

    assert reassigned["claimed_by"] == staff["agent2"].id
    _detail(client, staff["agent"], handoff["id"], expect=404)
    act(client, staff["agent2"], handoff["id"], "reply", expect=201, text="I'll take it from here")
    act(client, staff["supervisor"], handoff["id"], "reassign", expect=409, staff_id=staff["marketing"].id)


def test_an_sms_reply_goes_through_the_outbox(
    sms_client: TestClient, staff: dict[str, Staff], session: Session
) -> None:
    conversation = inbound(sms_client, phone_number(), "a person please")["conversation_id"]
    handoff = claimed_handoff(sms_client, staff["agent"], channel="sms", conversation_id=conversation)

    reply = act(sms_client, staff["agent"], handoff["id"], "reply", expect=201, text="Hi, Dana here.")

    [message] = session.scalars(
        select(OutboundMessage).where(OutboundMessage.conversation_id == conversation)
    )
    assert (message.kind, message.body, message.status) == ("agent", "Hi, Dana here.", "queued")
    assert reply["delivery"] == "queued"


def test_an_sms_reply_to_an_opted_out_number_is_refused_and_kept_as_blocked(
    sms_client: TestClient, staff: dict[str, Staff], session: Session, fake_rasa: FakeRasa
) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone, "a person please")["conversation_id"]
    handoff = claimed_handoff(sms_client, staff["agent"], channel="sms", conversation_id=conversation)
    inbound(sms_client, phone, "STOP")

    refused = act(sms_client, staff["agent"], handoff["id"], "reply", expect=422, text="Are you still there?")

    assert refused["detail"].startswith("Not sent: the compliance check blocked this reply (opted out)")
    query = select(OutboundMessage).where(OutboundMessage.kind == "agent")
    [message] = session.scalars(query.where(OutboundMessage.conversation_id == conversation))
    assert (message.status, "opted_out" in message.block_reasons) == ("blocked", True)
    last = _detail(sms_client, staff["agent"], handoff["id"])["transcript"][-1]  # type: ignore[index]
    assert (last["text"], last["delivery"]) == ("Are you still there?", "blocked")
    assert fake_rasa.calls == []


def test_the_account_summary_shows_only_for_a_verified_debtor(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    account = create_account(client)
    verified = create_handoff(client, account_id=account["id"])
    anonymous = create_handoff(client)

    summary = _detail(client, staff["agent"], verified["id"])["account"]

    assert summary is not None
    assert (summary["reference"], summary["total"]) == (account["reference"], "1320.40")
    assert _detail(client, staff["agent"], anonymous["id"])["account"] is None


def test_every_staff_action_is_audited(client: TestClient, staff: dict[str, Staff], session: Session) -> None:
    handoff = create_handoff(client)
    agent = staff["agent"]
    act(client, agent, handoff["id"], "claim")
    act(client, agent, handoff["id"], "reply", expect=201, text="secret words")
    act(client, agent, handoff["id"], "notes", expect=201, text="more words")
    act(client, agent, handoff["id"], "disposition", disposition="resolved")
    act(client, agent, handoff["id"], "close")

    rows = list(session.scalars(select(StaffAudit).order_by(StaffAudit.created_at)))

    assert [row.action for row in rows] == [
        "handoff.claimed",
        "handoff.replied",
        "handoff.note_added",
        "handoff.disposition_set",
        "handoff.closed",
    ]
    assert {row.staff_id for row in rows} == {agent.id}
    assert {row.handoff_id for row in rows} == {handoff["id"]}
    assert "words" not in str([row.data for row in rows])
