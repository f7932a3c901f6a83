"""A turn that fails on our side (action server unreachable, a store down) is answered with the fixed
reply through the channel's own output and queued for a person in the real accounts API, on SMS and REST;
a turn that works, or a form's rejection, changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import turns
from channels.messaging_api import MessagingApi
from channels.rest import RestInput
from channels.turns import SERVICE_TROUBLE_REPLY, FailedTurns
from stack.services import free_port
from tests.channels.conftest import ApiServer, Sms, make_channel, running

DEAD_ACTION_SERVER = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")


async def run_remote_action(name: str, message: UserMessage) -> None:
    """Run a custom action against an action server nobody listens on, swallowing the error as Rasa's
    processor does (`MessageProcessor._run_action` logs it and carries on)."""
    tracker = DialogueStateTracker(message.sender_id, slots=[])
    try:
        await RemoteAction(name, DEAD_ACTION_SERVER).run(
            message.output_channel, None, tracker, Domain.empty()
        )
    except Exception:  # what the processor does
        return


@dataclass
class Turns:
    """Stands in for Rasa's agent: each message runs `behaviour` (an action, a raise, nothing)."""

    behaviour: str = "ok"
    messages: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.behaviour == "action_server_down":
            await run_remote_action("action_verify_identity", message)
        elif self.behaviour == "relay_down":
            await run_remote_action("action_handoff_relay", message)
        elif self.behaviour == "store_down":
            raise redis.ConnectionError("Connection refused")
        await message.output_channel.send_text_message(message.sender_id, "the bot's own reply")


@pytest.fixture
async def sms_turns(api_server: ApiServer) -> AsyncIterator[tuple[Sms, Turns]]:
    channel, agent = make_channel(api_server), Turns()
    async with running(channel, agent) as url, httpx.AsyncClient(timeout=10) as http:
        try:
            yield Sms(url, http, channel, agent, api_server), agent  # type: ignore[arg-type]
        finally:
            await channel.drain()
            await channel.api.aclose()


def handoff_state(api: ApiServer, conversation_id: str) -> dict[str, Any]:
    with api.client() as client:
        response = client.get(f"/api/v1/conversations/{conversation_id}/handoff")
    response.raise_for_status()
    return dict(response.json())


def bodies(api: ApiServer, conversation_id: str) -> list[str]:
    return [str(message["body"]) for message in api.outbox(conversation_id)]


@pytest.fixture(autouse=True)
def _installed() -> None:
    """As channels.serve does before Rasa starts (test_action_results checks the launcher)."""
    turns.install()


def test_install_makes_every_remote_action_note_its_failures() -> None:
    assert turns.installed()


@pytest.mark.parametrize("behaviour", ["action_server_down", "store_down"])
async def test_an_sms_turn_that_failed_on_our_side_gets_the_fixed_reply_and_a_handoff(
    sms_turns: tuple[Sms, Turns], behaviour: str
) -> None:
    sms, agent = sms_turns
    agent.behaviour = behaviour

    response = await sms.text("+12025550199", "ACME-1001")

    assert response.status_code == 200
    conversation = str(agent.messages[0].sender_id)
    assert SERVICE_TROUBLE_REPLY in bodies(sms.api, conversation)
    assert handoff_state(sms.api, conversation)["active"] is True


async def test_a_second_failed_turn_joins_the_open_handoff(sms_turns: tuple[Sms, Turns]) -> None:
    sms, agent = sms_turns
    agent.behaviour = "action_server_down"

    await sms.text("+12025550198", "ACME-1001")
    first = handoff_state(sms.api, str(agent.messages[0].sender_id))["handoff_id"]
    await sms.text("+12025550198", "03/14/1985")

    assert handoff_state(sms.api, str(agent.messages[1].sender_id))["handoff_id"] == first


async def test_a_turn_that_worked_gets_no_fixed_reply_and_no_handoff(sms_turns: tuple[Sms, Turns]) -> None:
    sms, agent = sms_turns

    await sms.text("+12025550197", "hi")

    conversation = str(agent.messages[0].sender_id)
    assert bodies(sms.api, conversation) == ["the bot's own reply"]
    assert handoff_state(sms.api, conversation)["active"] is False


async def test_the_relay_of_a_paused_conversation_failing_says_nothing(sms_turns: tuple[Sms, Turns]) -> None:
    """While a person owns the conversation the bot sends nothing, not even the fixed reply."""
    sms, agent = sms_turns
    agent.behaviour = "relay_down"

    await sms.text("+12025550196", "hello?")

    assert SERVICE_TROUBLE_REPLY not in bodies(sms.api, str(agent.messages[0].sender_id))


async def test_a_rest_turn_that_failed_gets_the_fixed_reply_in_its_response() -> None:
    agent = Turns(behaviour="action_server_down")
    async with running(RestInput(), agent) as url, httpx.AsyncClient(timeout=10) as http:
        response = await http.post(f"{url}/webhooks/rest/webhook", json={"sender": "r1", "message": "hi"})

    assert response.status_code == 200
    assert [m["text"] for m in response.json()] == ["the bot's own reply", SERVICE_TROUBLE_REPLY]


async def test_a_form_rejection_is_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    async def rejected(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise ActionExecutionRejection("validate_identity_form")

    async def a_form_rejects(message: UserMessage) -> None:
        try:
            await RemoteAction("validate_identity_form", DEAD_ACTION_SERVER).run()
        except ActionExecutionRejection:
            return  # the processor records it and predicts another action

    monkeypatch.setattr(turns, "STOCK_RUN", rejected)
    failures = await turns.failures_of(a_form_rejects, UserMessage("x", CollectingOutputChannel(), "s1"))

    assert failures == []


async def test_a_turn_past_its_limit_is_cut_off_and_counted_a_failure() -> None:
    """heldout26 887: a turn that looped held a core and the conversation's lock for minutes."""
    cut_off: list[bool] = []

    async def loops(message: UserMessage) -> None:
        try:
            while True:
                await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            cut_off.append(True)
            raise

    failures = await turns.failures_of(loops, UserMessage("5 stars", CollectingOutputChannel(), "s3"), 0.2)

    assert failures == ["TimeoutError"] and cut_off == [True]


def test_the_turn_limit_comes_from_the_environment() -> None:
    assert turns.turn_limit({}) == turns.TURN_LIMIT
    assert turns.turn_limit({"TURN_LIMIT_SECONDS": "20"}) == 20.0
    with pytest.raises(ValueError, match="TURN_LIMIT_SECONDS"):
        turns.turn_limit({"TURN_LIMIT_SECONDS": "0"})


async def test_with_the_api_down_too_the_debtor_still_gets_the_fixed_reply() -> None:
    dead_api = MessagingApi(f"http://127.0.0.1:{free_port()}", "token", timeout=1, retry_delays=())
    output = CollectingOutputChannel()
    agent = Turns(behaviour="store_down")

    failures = await FailedTurns("sms", dead_api).run(agent.handle_message, UserMessage("hi", output, "s2"))

    assert failures == ["ConnectionError"]
    assert [m["text"] for m in output.messages] == [SERVICE_TROUBLE_REPLY]
    await dead_api.aclose()
