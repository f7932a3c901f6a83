"""Releasing a conversation and delivering an agent reply are Rasa tracker events, with Rasa's token."""

import json

import httpx
import pytest

from api.handoffs.rasa_client import RasaClient, RasaUnavailableError


def recording(status: int = 200) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={})

    return seen, httpx.MockTransport(handle)


def test_release_clears_the_handed_off_slot_without_sending_anything() -> None:
    seen, transport = recording()
    RasaClient("http://rasa.test/", "rasa-token", transport).release("conv/1")
    request = seen[0]
    assert request.url.raw_path.split(b"?")[0] == b"/conversations/conv%2F1/tracker/events"
    assert request.url.params["token"] == "rasa-token"
    assert "execute_side_effects" not in request.url.params
    assert json.loads(request.content) == [{"event": "slot", "name": "handed_off", "value": False}]


def test_a_webchat_reply_is_delivered_down_the_latest_channel() -> None:
    seen, transport = recording()
    RasaClient("http://rasa.test", "t", transport).agent_message("c1", "Hi, this is Dana.", deliver=True)
    params = seen[0].url.params
    assert params["output_channel"] == "latest" and params["execute_side_effects"] == "true"
    assert json.loads(seen[0].content)[0] == {
        "event": "bot",
        "text": "Hi, this is Dana.",
        "metadata": {"sender": "agent"},
    }


def test_an_sms_reply_is_only_recorded_in_the_transcript() -> None:
    seen, transport = recording()
    RasaClient("http://rasa.test", "t", transport).agent_message("c1", "Hi", deliver=False)
    assert "output_channel" not in seen[0].url.params


@pytest.mark.parametrize("status", [401, 500])
def test_a_refusal_is_an_error_the_caller_must_handle(status: int) -> None:
    _, transport = recording(status)
    with pytest.raises(RasaUnavailableError):
        RasaClient("http://rasa.test", "t", transport).release("c1")


def test_an_unreachable_rasa_is_an_error_the_caller_must_handle() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(RasaUnavailableError):
        RasaClient("http://rasa.test", "t", httpx.MockTransport(refuse)).release("c1")
