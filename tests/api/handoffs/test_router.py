"""Handoffs, the bot's side: create once per open conversation, pause state, debtor and agent messages."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.handoffs.models import Handoff
from tests.api.handoff_helpers import (
    HANDOFFS,
    Staff,
    act,
    claimed_handoff,
    create_handoff,
    handoff_body,
)
from tests.factories import create_account


def _state(client: TestClient, conversation: str) -> dict[str, object]:
    response = client.get(f"/api/v1/conversations/{conversation}/handoff")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_every_bot_route_needs_the_service_token(anonymous_client: TestClient, handoff_tables: None) -> None:
    requests = [
        ("POST", HANDOFFS, handoff_body()),
        ("POST", f"{HANDOFFS}/00000000-0000-4000-8000-000000000000/messages", {"text": "hi"}),
        ("GET", "/api/v1/conversations/c-x/handoff", None),
        ("GET", "/api/v1/conversations/c-x/agent-messages", None),
    ]
    for method, path, body in requests:
        assert anonymous_client.request(method, path, json=body).status_code == 401
        wrong = {"Authorization": "Bearer not-the-token-at-all"}
        assert anonymous_client.request(method, path, json=body, headers=wrong).status_code == 401


def test_a_handoff_pauses_the_conversation(client: TestClient, handoff_tables: None) -> None:
    body = handoff_body()
    empty = {"active": False, "handoff_id": None, "status": None, "reason": None}
    assert _state(client, body["conversation_id"]) == empty

    created = create_handoff(client, **body)

    assert (created["status"], created["reason"], created["created"]) == ("queued", "request_human", True)
    assert _state(client, body["conversation_id"]) == {
        "active": True,
        "handoff_id": created["id"],
        "status": "queued",
        "reason": "request_human",
    }


def test_a_second_request_returns_the_open_handoff_and_raises_its_priority(
    client: TestClient, session: Session, handoff_tables: None
) -> None:
    first = create_handoff(client, reason="dispute")

    again = create_handoff(client, expect=200, conversation_id=first["conversation_id"], reason="crisis")
    lower = create_handoff(client, expect=200, conversation_id=first["conversation_id"], reason="dispute")

    assert again["id"] == lower["id"] == first["id"]
    assert (again["created"], again["priority"], again["reason"]) == (False, 0, "crisis")
    assert (lower["priority"], lower["reason"]) == (0, "crisis")
    assert len(list(session.scalars(select(Handoff)))) == 1


def test_priority_follows_the_reason_crisis_first(client: TestClient, handoff_tables: None) -> None:
    priorities = {
        reason: create_handoff(client, reason=reason)["priority"]
        for reason in ("crisis", "high_distress", "attorney", "dispute", "request_human", "repeated_fallback")
    }

    assert sorted(priorities, key=priorities.__getitem__)[0] == "crisis"
    assert priorities["crisis"] < priorities["high_distress"] < priorities["dispute"]
    assert priorities["request_human"] < priorities["repeated_fallback"]


def test_an_unknown_reason_or_channel_is_refused(client: TestClient, handoff_tables: None) -> None:
    assert client.post(HANDOFFS, json=handoff_body(reason="bored")).status_code == 422
    assert client.post(HANDOFFS, json=handoff_body(channel="fax")).status_code == 422


def test_a_debtor_message_while_paused_reaches_the_agent(client: TestClient, staff: dict[str, Staff]) -> None:
    handoff = create_handoff(client)

    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/messages",
        json={"text": "are you there?", "distress": {"level": "crisis", "score": 0.95}},
    )

    assert response.status_code == 200, response.text
    detail = client.get(f"{HANDOFFS}/{handoff['id']}", headers=staff["agent"].headers).json()
    last = detail["transcript"][-1]
    assert (last["sender"], last["text"], last["distress"]) == ("debtor", "are you there?", "crisis")
    assert detail["distress"][-1] == {"level": "crisis", "score": 0.95}
    assert detail["priority"] == 0


def test_a_crisis_after_a_check_in_reaches_the_agent_with_the_check_in_in_the_trend(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    """The crisis handoff that follows a check-in carries the check-in's level in its distress trend."""
    trend = [{"level": "crisis_check", "score": 0.4}, {"level": "none", "score": 0.2}]
    transcript = [{"sender": "debtor", "text": "i gave my dog away", "distress": "crisis_check"}]
    handoff = create_handoff(client, reason="crisis", distress=trend, transcript=transcript)

    detail = client.get(f"{HANDOFFS}/{handoff['id']}", headers=staff["agent"].headers).json()

    assert detail["distress"][0] == {"level": "crisis_check", "score": 0.4}
    assert detail["transcript"][0]["distress"] == "crisis_check"
    assert detail["priority"] == 0


def test_messages_for_an_unknown_or_released_handoff_are_refused(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    unknown = client.post(f"{HANDOFFS}/00000000-0000-4000-8000-000000000000/messages", json={"text": "x"})
    handoff = claimed_handoff(client, staff["agent"])
    act(client, staff["agent"], handoff["id"], "release")

    late = client.post(f"{HANDOFFS}/{handoff['id']}/messages", json={"text": "x"})

    assert (unknown.status_code, late.status_code) == (404, 409)


def test_release_hands_the_conversation_back_and_a_new_handoff_can_follow(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    conversation = handoff["conversation_id"]
    assert _state(client, conversation)["status"] == "claimed"

    act(client, staff["agent"], handoff["id"], "release")

    assert _state(client, conversation)["active"] is False
    again = create_handoff(client, conversation_id=conversation)
    assert again["id"] != handoff["id"]


def test_webchat_replies_are_served_to_the_bot_after_a_cursor(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    conversation = handoff["conversation_id"]
    first = act(client, staff["agent"], handoff["id"], "reply", expect=201, text="Hi, I'm Dana.")
    act(client, staff["agent"], handoff["id"], "notes", expect=201, text="private")
    act(client, staff["agent"], handoff["id"], "reply", expect=201, text="How can I help?")
    url = f"/api/v1/conversations/{conversation}/agent-messages"

    everything = client.get(url).json()
    later = client.get(url, params={"after": first["seq"]}).json()

    assert [message["text"] for message in everything] == ["Hi, I'm Dana.", "How can I help?"]
    assert [message["text"] for message in later] == ["How can I help?"]
    assert client.get(url, params={"after": later[-1]["seq"]}).json() == []


def test_handoff_actions_go_to_the_account_event_record(client: TestClient, staff: dict[str, Staff]) -> None:
    account = create_account(client)
    handoff = create_handoff(client, account_id=account["id"])
    for action in ("claim", "release"):
        act(client, staff["agent"], handoff["id"], action)

    events = client.get(f"/api/v1/accounts/{account['id']}/events").json()

    types = [event["type"] for event in events]
    assert types[-3:] == ["handoff.created", "handoff.claimed", "handoff.released"]
    assert events[-2]["data"] == {"handoff_id": handoff["id"], "staff_id": staff["agent"].id}
    assert "I want to talk" not in str(events)
