"""The console and Rasa: release resumes the bot, webchat replies go down the socket, Rasa down loses nothing.

Rasa is a real HTTP server (tests/fakes/rasa_server.py) that the API's RasaClient talks to.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core.config import Settings
from api.handoff_models import StaffAudit
from api.main import create_app
from api.models import OutboundMessage
from api.routes.console_handoffs import NOT_RELEASED, REPLY_NOT_DELIVERED
from tests.api.conftest import AUTH
from tests.api.handoff_helpers import HANDOFFS, Staff, act, create_handoff
from tests.api.sms_helpers import inbound
from tests.factories import phone_number
from tests.fakes.rasa_server import FakeRasa

RESUME = {"event": "slot", "name": "handed_off", "value": False}


def _claimed(client: TestClient, agent: Staff, **overrides: object) -> dict[str, object]:
    handoff = create_handoff(client, **overrides)
    act(client, agent, str(handoff["id"]), "claim")
    return handoff


def _detail(client: TestClient, who: Staff, handoff_id: object) -> dict[str, object]:
    return dict(client.get(f"{HANDOFFS}/{handoff_id}", headers=who.headers).json())


def _paused(client: TestClient, conversation_id: object) -> bool:
    return bool(client.get(f"/api/v1/conversations/{conversation_id}/handoff").json()["active"])


def test_a_webchat_reply_is_a_bot_utterance_on_the_debtors_channel(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = _claimed(client, staff["agent"])

    reply = act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Hi, this is Dana.")

    [call] = fake_rasa.calls
    assert (call.params["output_channel"], call.params["execute_side_effects"]) == ("latest", "true")
    assert call.events == [{"event": "bot", "text": "Hi, this is Dana.", "metadata": {"sender": "agent"}}]
    assert call.conversation_id == handoff["conversation_id"]
    assert reply["delivery"] == "delivered"
    last = _detail(client, staff["agent"], handoff["id"])["transcript"][-1]  # type: ignore[index]
    assert (last["sender"], last["text"], last["delivery"]) == ("agent", "Hi, this is Dana.", "delivered")


def test_release_resumes_the_bot_in_rasa_with_nothing_else_changed(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    handoff = _claimed(client, staff["agent"])

    released = act(client, staff["agent"], str(handoff["id"]), "release")

    assert released["status"] == "released"
    assert fake_rasa.events(str(handoff["conversation_id"])) == [RESUME]
    assert not _paused(client, handoff["conversation_id"])


def test_closing_a_claimed_handoff_resumes_the_bot_once(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa
) -> None:
    claimed = _claimed(client, staff["agent"])
    released = _claimed(client, staff["agent"])
    act(client, staff["agent"], str(released["id"]), "release")

    act(client, staff["agent"], str(claimed["id"]), "close")
    act(client, staff["agent"], str(released["id"]), "close")

    assert fake_rasa.events(str(claimed["conversation_id"])) == [RESUME]
    assert fake_rasa.events(str(released["conversation_id"])) == [RESUME]


@pytest.mark.parametrize("failure", ["500", "401", "drop"])
def test_when_rasa_cannot_take_a_webchat_reply_it_is_kept_as_not_delivered(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session, failure: str
) -> None:
    handoff = _claimed(client, staff["agent"])
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
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == []
    act(client, staff["agent"], str(handoff["id"]), "reply", expect=201, text="Are you there?")
    assert fake_rasa.delivered(str(handoff["conversation_id"])) == ["Are you there?"]


def test_when_rasa_is_down_a_release_changes_nothing(
    client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session
) -> None:
    handoff = _claimed(client, staff["agent"])
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
    handoff = _claimed(no_rasa_client, staff["agent"])

    act(no_rasa_client, staff["agent"], str(handoff["id"]), "release", expect=503)

    assert fake_rasa.calls == []


def test_an_sms_reply_goes_out_through_the_outbox_even_when_rasa_is_down(
    sms_client: TestClient, staff: dict[str, Staff], fake_rasa: FakeRasa, session: Session
) -> None:
    conversation = inbound(sms_client, phone_number(), "a person please")["conversation_id"]
    handoff = _claimed(sms_client, staff["agent"], channel="sms", conversation_id=conversation)
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
