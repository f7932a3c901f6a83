"""The console and Rasa: release resumes the bot, webchat replies pass the compliance gate and go down the
socket, Rasa down loses nothing.

Rasa is a real HTTP server (tests/fakes/rasa_server.py) that the API's RasaClient talks to.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api.console.router import NOT_RELEASED, REPLY_NOT_DELIVERED
from api.conversations.models import OutboundMessage
from api.core.config import Settings
from api.main import create_app
from api.staff.models import StaffAudit
from tests.api.conftest import AUTH
from tests.api.handoff_helpers import HANDOFFS, Staff, act, claimed_handoff
from tests.api.sms_helpers import inbound
from tests.factories import create_account, phone_number
from tests.fakes.rasa_server import FakeRasa

RESUME = {"event": "slot", "name": "handed_off", "value": False}


def _detail(client: TestClient, who: Staff, handoff_id: object) -> dict[str, object]:
    return dict(client.get(f"{HANDOFFS}/{handoff_id}", headers=who.headers).json())


def _outbox(conversation_id: object) -> Select[tuple[OutboundMessage]]:
    return select(OutboundMessage).where(OutboundMessage.conversation_id == str(conversation_id))


def _paused(client: TestClient, conversation_id: object) -> bool:
    return bool(client.get(f"/api/v1/conversations/{conversation_id}/handoff").json()["active"])


def test_a_webchat_reply_is_a_bot_utterance_on_the_debtors_channel(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = claimed_handoff(client, staff["agent"])

    reply = act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Hi, this is Dana.")

    [call] = fake_rasa.calls
    assert (call.params["output_channel"], call.params["execute_side_effects"]) == ("latest", "true")
    assert call.events == [{"event": "bot", "text": "Hi, this is Dana.", "metadata": {"sender": "agent"}}]
    assert call.conversation_id == handoff["conversation_id"]
    assert reply["delivery"] == "delivered"
    last = _detail(client, staff["agent"], handoff["id"])["transcript"][-1]  # type: ignore[index]
    assert (last["sender"], last["text"], last["delivery"]) == ("agent", "Hi, this is Dana.", "delivered")


def test_a_clean_webchat_reply_is_recorded_in_the_outbox_as_sent(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session
) -> None:
    handoff = claimed_handoff(client, staff["agent"])

    act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Hi, this is Dana.")

    [message] = session.scalars(_outbox(handoff["conversation_id"]))
    assert (message.channel, message.kind, message.status) == ("webchat", "agent", "sent")
    assert (message.body, message.initiated, message.block_reasons) == ("Hi, this is Dana.", False, [])
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == ["Hi, this is Dana."]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Pay today or you will be arrested.", "forbidden_language:threat_of_arrest"),
        ("We will garnish your wages on Friday.", "forbidden_language:garnishment"),
        ("Final notice: pay now or else.", "forbidden_language:false_urgency"),
    ],
)
def test_a_webchat_reply_with_forbidden_language_is_refused_and_never_reaches_rasa(
    client: TestClient,
    staff: dict[str, Staff],
    fake_rasa: FakeRasa,
    session: Session,
    text: str,
    reason: str,
) -> None:
    handoff = claimed_handoff(client, staff["agent"])

    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/reply", json={"text": text}, headers=staff["agent"].headers
    )

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("Not sent: the compliance check blocked this reply")
    assert reason.replace(":", ": ").replace("_", " ") in detail and "Rephrase it" in detail
    assert fake_rasa.calls == []
    [message] = session.scalars(_outbox(handoff["conversation_id"]))
    assert (message.channel, message.status, message.block_reasons) == ("webchat", "blocked", [reason])
    last = _detail(client, staff["agent"], handoff["id"])["transcript"][-1]  # type: ignore[index]
    assert (last["text"], last["delivery"]) == (text, "blocked")
    audit = session.scalars(select(StaffAudit).where(StaffAudit.action == "handoff.replied")).one()
    assert (audit.data["delivery"], audit.data["reasons"]) == ("blocked", [reason])


def test_a_refused_webchat_reply_is_never_served_to_the_bot_and_a_clean_one_still_goes(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    act(client, staff["agent"], str(handoff["id"]), "reply", expect=422, text="The police will come for you.")

    act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Let's find a plan together.")

    served = client.get(f"/api/v1/conversations/{handoff['conversation_id']}/agent-messages").json()
    assert [line["text"] for line in served] == ["Let's find a plan together."]
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == ["Let's find a plan together."]


def test_a_webchat_reply_about_a_debt_whose_collection_stopped_is_refused(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    account = create_account(client)
    flagged = client.post(f"/api/v1/accounts/{account['id']}/flags", json={"flag": "attorney"})
    assert flagged.status_code == 201, flagged.text
    handoff = claimed_handoff(client, staff["agent"], account_id=account["id"])

    refused = act(
        client, staff["agent"], str(handoff["id"]), "reply", expect=422, text="Can you pay $50 today?"
    )

    assert "(collection stopped: attorney)" in refused["detail"] and "Rephrase" not in refused["detail"]
    assert fake_rasa.calls == []


def test_release_resumes_the_bot_in_rasa_with_nothing_else_changed(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = claimed_handoff(client, staff["agent"])

    released = act(client, staff["agent"], str(handoff["id"]), "release")

    assert released["status"] == "released"
    assert fake_rasa.events(str(handoff["conversation_id"])) == [RESUME]
    assert not _paused(client, handoff["conversation_id"])


def test_closing_a_claimed_handoff_resumes_the_bot_once(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    claimed = claimed_handoff(client, staff["agent"])
    released = claimed_handoff(client, staff["agent"])
    act(client, staff["agent"], str(released["id"]), "release")

    act(client, staff["agent"], str(claimed["id"]), "close")
    act(client, staff["agent"], str(released["id"]), "close")

    assert fake_rasa.events(str(claimed["conversation_id"])) == [RESUME]
    assert fake_rasa.events(str(released["conversation_id"])) == [RESUME]


@pytest.mark.parametrize("failure", ["500", "401", "drop"])
def test_when_rasa_cannot_take_a_webchat_reply_it_is_kept_as_not_delivered(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session, failure: str
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    if failure == "drop":
        fake_rasa.drop_next()
    else:
        fake_rasa.fail_next(int(failure))

    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/reply", json={"text": "Are you there?"}, headers=staff["agent"].headers
    )

    assert (response.status_code, response.json()["detail"]) == (503, REPLY_NOT_DELIVERED)
    last = _detail(client, staff["agent"], handoff["id"])["transcript"][-1]  # type: ignore[index]
    assert (last["text"], last["delivery"]) == ("Are you there?", "not_delivered")
    audit = session.scalars(select(StaffAudit).where(StaffAudit.action == "handoff.replied")).one()
    assert audit.data["delivery"] == "not_delivered"
    [message] = session.scalars(_outbox(handoff["conversation_id"]))
    assert (message.status, message.error_code) == ("failed", "channel_unavailable")
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == []
    act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Are you there?")
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == ["Are you there?"]


def test_when_rasa_is_down_a_release_changes_nothing(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session
) -> None:
    handoff = claimed_handoff(client, staff["agent"])
    fake_rasa.fail_next(500, times=2)

    for action in ("release", "close"):
        response = client.post(f"{HANDOFFS}/{handoff['id']}/{action}", headers=staff["agent"].headers)
        assert (response.status_code, response.json()["detail"]) == (503, NOT_RELEASED)

    assert _detail(client, staff["agent"], handoff["id"])["status"] == "claimed"
    assert _paused(client, handoff["conversation_id"])
    actions = session.scalars(select(StaffAudit.action)).all()
    assert "handoff.released" not in actions and "handoff.closed" not in actions
    assert act(client, staff["agent"], str(handoff["id"]), "release")["status"] == "released"


@pytest.fixture
def no_rasa_client(settings: Settings) -> Iterator[TestClient]:
    """A service client of an app whose RASA_TOKEN is not set."""
    unset = settings.model_copy(update={"RASA_TOKEN": None})
    with TestClient(create_app(unset), headers=AUTH) as test_client:
        yield test_client


def test_without_rasa_token_release_is_refused_and_rasa_is_never_called(
    no_rasa_client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = claimed_handoff(no_rasa_client, staff["agent"])

    act(no_rasa_client, staff["agent"], str(handoff["id"]), "release", expect=503)

    assert fake_rasa.calls == []


def test_an_sms_reply_goes_out_through_the_outbox_even_when_rasa_is_down(
    sms_client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session
) -> None:
    conversation = inbound(sms_client, phone_number(), "a person please")["conversation_id"]
    handoff = claimed_handoff(sms_client, staff["agent"], channel="sms", conversation_id=conversation)
    act(sms_client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Dana here.")
    fake_rasa.fail_next(500)

    reply = act(sms_client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Still here.")

    bodies = session.scalars(
        select(OutboundMessage.body).where(OutboundMessage.conversation_id == conversation)
    ).all()
    assert sorted(bodies) == ["Dana here.", "Still here."]
    assert reply["delivery"] == "queued"
    [recorded] = fake_rasa.events(conversation)
    assert recorded["text"] == "Dana here."
    assert fake_rasa.delivered(conversation) == []
