"""The REST channel: Rasa's own API, with messages over the size cap answered politely and never parsed
further, redacted, or handed to the NLU."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic.request import Request

from channels import inbound
from channels.inbound import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG_REPLY
from channels.pii import PII_REMOVED_REPLY
from channels.rest import RestInput
from channels.turns import SERVICE_TROUBLE_REPLY
from tests.channels.conftest import StubAgent, running

WEBHOOK_PATH = "/webhooks/rest/webhook"
TWO_MEGABYTES = "word " * 400_000
CARD_MESSAGE = "my card is 4111 1111 1111 1111 thanks"


@dataclass
class Rest:
    """A REST client of the channel served on `url`, and the stub Rasa behind it."""

    url: str
    http: httpx.AsyncClient
    agent: StubAgent

    async def say(self, sender: str, message: str) -> httpx.Response:
        return await self.http.post(self.url + WEBHOOK_PATH, json={"sender": sender, "message": message})


@pytest.fixture
async def rest() -> AsyncIterator[Rest]:
    agent = StubAgent(replies=[{"text": "echo"}])
    async with running(RestInput(), agent) as url, httpx.AsyncClient(timeout=10) as http:
        yield Rest(url, http, agent)


@pytest.fixture
def redacted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the channels redact."""
    lengths: list[int] = []
    scrub = inbound.scrub

    def recording(text: str) -> Any:
        lengths.append(len(text))
        return scrub(text)

    monkeypatch.setattr(inbound, "scrub", recording)
    return lengths


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every request body Sanic decodes as JSON."""
    sizes: list[int] = []
    load_json = Request.load_json

    def recording(self: Request, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(self.body))
        return load_json(self, *args, **kwargs)

    monkeypatch.setattr(Request, "load_json", recording)
    return sizes


async def test_a_message_reaches_rasa_and_the_replies_come_back(rest: Rest) -> None:
    response = await rest.say("debtor-a", "hello")

    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "debtor-a", "text": "echo"}]
    assert [message.text for message in rest.agent.messages] == ["hello"]


async def test_a_message_at_the_cap_reaches_rasa(rest: Rest) -> None:
    await rest.say("debtor-a", "x" * MAX_MESSAGE_CHARS)

    assert [len(message.text) for message in rest.agent.messages] == [MAX_MESSAGE_CHARS]


async def test_a_message_over_the_cap_gets_the_polite_reply_and_never_reaches_rasa(
    rest: Rest, redacted: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    said = "confidential " * (MAX_MESSAGE_CHARS // 10)

    response = await rest.say("debtor-a", said)

    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "debtor-a", "text": MESSAGE_TOO_LONG_REPLY}]
    assert rest.agent.messages == [] and redacted == []
    logged = " ".join(record.getMessage() + repr(vars(record)) for record in caplog.records)
    assert "confidential" not in logged


async def test_a_two_megabyte_body_is_refused_before_it_is_parsed_or_redacted(
    rest: Rest, redacted: list[int], parsed: list[int]
) -> None:
    response = await rest.say("debtor-b", TWO_MEGABYTES)

    assert response.status_code == 413
    assert response.json() == [{"text": MESSAGE_TOO_LONG_REPLY}]
    assert rest.agent.messages == [] and redacted == [] and parsed == []


async def test_a_body_just_under_the_byte_cap_still_gets_the_polite_reply(rest: Rest) -> None:
    body = json.dumps({"sender": "debtor-b", "message": "x" * (MAX_BODY_BYTES - 100)})

    response = await rest.http.post(rest.url + WEBHOOK_PATH, content=body)

    assert response.json() == [{"recipient_id": "debtor-b", "text": MESSAGE_TOO_LONG_REPLY}]
    assert rest.agent.messages == []


async def test_another_debtor_is_answered_while_a_two_megabyte_message_is_refused(
    rest: Rest, redacted: list[int]
) -> None:
    """Issue 10: one large message stalled every conversation. Here debtor A's message is held inside
    "the NLU" while debtor B's 2 MB message is answered; B's never joins the queue, so A's completes."""
    rest.agent.gate = asyncio.Event()
    small = asyncio.create_task(rest.say("debtor-a", "hello"))
    await rest.agent.entered.wait()

    big = await rest.say("debtor-b", TWO_MEGABYTES)

    assert big.json() == [{"text": MESSAGE_TOO_LONG_REPLY}] and not small.done()
    rest.agent.gate.set()
    assert (await small).json() == [{"recipient_id": "debtor-a", "text": "echo"}]
    assert [message.sender_id for message in rest.agent.messages] == ["debtor-a"]
    assert max(redacted) <= MAX_MESSAGE_CHARS


@dataclass
class FailingAgent(StubAgent):
    """Rasa failing while it handles the message (the stock channel then logs the text it extracted)."""

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        raise RuntimeError("the action server fell over")


async def test_a_card_number_is_cut_out_before_rasa_could_log_it_on_a_failure(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    agent = FailingAgent()
    async with running(RestInput(), agent) as url, httpx.AsyncClient(timeout=10) as http:
        response = await http.post(url + WEBHOOK_PATH, json={"sender": "d", "message": CARD_MESSAGE})

    assert response.status_code == 200
    assert PII_REMOVED_REPLY in [reply["text"] for reply in response.json()]
    assert [message.text for message in agent.messages] == ["my card is [card number removed] thanks"]
    assert agent.messages[0].metadata == {"pii_removed": True}
    captured = capsys.readouterr()
    assert "4111" not in captured.out + captured.err + caplog.text
    assert "turn failed on our side" in captured.out + captured.err + caplog.text
    assert response.json()[-1]["text"] == SERVICE_TROUBLE_REPLY


@pytest.mark.parametrize("typed", ["4111 1111 1111 1111", "  4111111111111111. ", "123-45-6789"])
async def test_a_message_that_was_only_a_card_number_gets_the_notice_and_reaches_no_one(typed: str) -> None:
    # "[card number removed]" alone had been read as an opt-out (0.89), and the debtor's texts stopped
    agent = StubAgent()
    async with running(RestInput(), agent) as url, httpx.AsyncClient(timeout=10) as http:
        response = await http.post(url + WEBHOOK_PATH, json={"sender": "d", "message": typed})

    assert [reply["text"] for reply in response.json()] == [PII_REMOVED_REPLY]
    assert agent.messages == []


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2, 3]",
        b'{"sender": "m", "message": {"a": 1}}',
        b'{"sender": "m"}',
        b'{"sender": 7, "message": "hi"}',
        b"{",
    ],
    ids=["a list", "message not text", "no message", "sender not text", "invalid JSON"],
)
async def test_a_malformed_body_is_a_clear_400_and_never_reaches_rasa(rest: Rest, body: bytes) -> None:
    """The stock channel answered 500 to the first two (found by the soak's bad input)."""
    response = await rest.http.post(rest.url + WEBHOOK_PATH, content=body)

    assert response.status_code == 400
    assert rest.agent.messages == []


async def test_typing_a_buttons_title_picks_that_button() -> None:
    survey = {
        "text": "How did we do?",
        "buttons": [{"title": "Good", "payload": "/r4"}, {"title": "Great", "payload": "/r5"}],
    }
    agent = StubAgent(replies=[survey])
    async with running(RestInput(), agent) as url, httpx.AsyncClient(timeout=10) as http:
        rest = Rest(url, http, agent)
        for said in ("bye", "Great!", "great, and what do I owe"):
            await rest.say("debtor-b", said)

    assert [message.text for message in agent.messages] == ["bye", "/r5", "great, and what do I owe"]
