"""The compliance gate as the webchat channel asks it: the real accounts API decides and records, the
crisis line and every response the bot can give pass it, and an unreachable API stops only unlinted text.

The API is the real one (uvicorn on SQLite, tests/channels/conftest.py); the gate talks to it over HTTP.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import constants as c
from channels.gate import ApiGate, Line
from shared.purposes import purpose_of
from tests.channels.conftest import ApiServer, free_port
from tests.factories import phone_number

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
STOP_FLAGS = ("attorney", "bankruptcy", "deceased", "cease_communication")


def variations(response: str | None = None) -> list[tuple[str, str]]:
    """(response name, text) of every text variation in domain.yml (distress and locale ones included)."""
    responses: dict[str, list[dict[str, Any]]] = yaml.safe_load(DOMAIN.read_text())["responses"]
    return [
        (name, variation["text"])
        for name, options in responses.items()
        if response in (None, name)
        for variation in options
        if isinstance(variation.get("text"), str)
    ]


@pytest.fixture
async def gate(api_server: ApiServer) -> AsyncIterator[ApiGate]:
    gate = ApiGate.connect(api_server.url, api_server.token)
    yield gate
    await gate.aclose()


def _line(conversation: str, text: str, response: str | None = None) -> Line:
    """A line as the webchat channel builds it for a response (or for free text without one)."""
    message = {"utter_action": response} if response else {}
    return Line(
        conversation_id=conversation,
        text=text,
        idempotency_key=f"webchat:{uuid.uuid4().hex}:1",
        purpose=purpose_of(message),
        linted=response is not None,
        in_reply_to=uuid.uuid4().hex,
    )


def _verified_chat(api: ApiServer, **account: Any) -> tuple[str, str]:
    """A webchat conversation verified as a new account's debtor: (conversation id, account id)."""
    conversation = uuid.uuid4().hex
    debtor = {
        "first_name": "Alex",
        "last_name": "Morgan",
        "phone": phone_number(),
        "timezone": "America/Los_Angeles",
        "dob": "1978-11-30",
        "zip_code": "94110",
        "ssn_last4": "1357",
    }
    body = {
        "reference": f"TEST-{uuid.uuid4().hex[:10].upper()}",
        "creditor": "Fabrikam Telecom",
        "original_creditor": "Fabrikam Telecom",
        "principal": "323.00",
        "due_date": "2020-01-15",
        "debtor": debtor,
        **account,
    }
    with api.client() as client:
        account_id = str(client.post("/api/v1/accounts", json=body).json()["id"])
        facts = {"dob": "1978-11-30", "zip_code": "94110", "conversation_id": conversation}
        verified = client.post(f"/api/v1/accounts/{account_id}/verify", json=facts)
    assert verified.json()["verified"] is True, verified.text
    return conversation, account_id


def _stop_everything(api: ApiServer, conversation: str, account_id: str) -> None:
    """Every flag that stops collection, an open dispute, and a webchat opt-out."""
    with api.client() as client:
        for flag in STOP_FLAGS:
            assert client.post(f"/api/v1/accounts/{account_id}/flags", json={"flag": flag}).status_code == 201
        dispute = {"reason": "not_mine", "text": "not my debt"}
        assert client.post(f"/api/v1/accounts/{account_id}/disputes", json=dispute).status_code == 201
        opt_out = {"conversation_id": conversation, "channel": "webchat"}
        assert client.post("/api/v1/contacts/opt-out", json=opt_out).json()["opted_out"] is True


async def test_the_api_records_what_it_allows_and_what_it_blocks(
    gate: ApiGate, api_server: ApiServer
) -> None:
    conversation = uuid.uuid4().hex

    clean = await gate.allows(_line(conversation, "How can I help?"))
    threat = await gate.allows(_line(conversation, "Pay or we call the police."))

    assert (clean, threat) == (True, False)
    recorded = [(m["status"], m["reasons"], m["kind"]) for m in api_server.outbox(conversation)]
    assert recorded == [("sent", [], "reply"), ("blocked", ["forbidden_language:threat_of_arrest"], "reply")]


async def test_the_crisis_line_in_every_variation_passes_whatever_the_account(
    gate: ApiGate, api_server: ApiServer
) -> None:
    """Time-barred, every stop flag, a dispute awaiting validation, opted out: the 988 answer still goes,
    because the API allows it (not because the channel would send it anyway)."""
    conversation, account_id = _verified_chat(api_server, time_barred=True)
    _stop_everything(api_server, conversation, account_id)
    crisis = variations(c.UTTER_CRISIS_SUPPORT)
    assert len(crisis) >= 2 and any("988" in text for _, text in crisis)

    allowed = [await gate.allows(_line(conversation, text, name)) for name, text in crisis]

    assert allowed == [True] * len(crisis)
    assert {m["status"] for m in api_server.outbox(conversation)} == {"sent"}


async def test_every_response_the_bot_can_give_passes_the_gate_on_an_ordinary_verified_chat(
    gate: ApiGate, api_server: ApiServer
) -> None:
    """Distress-aware and locale variations included: on webchat nothing the bot says as a reply is
    held back by hours, caps or an unknown time zone, and no template uses forbidden language."""
    conversation, _ = _verified_chat(api_server)

    refused = [name for name, text in variations() if not await gate.allows(_line(conversation, text, name))]

    assert refused == []


@pytest.fixture
def unreachable() -> str:
    """The URL of a port nobody listens on."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def silent() -> Iterator[str]:
    """The URL of a server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize("api", ["unreachable", "silent"])
async def test_without_an_answer_templates_go_and_free_text_does_not(
    api: str, request: pytest.FixtureRequest
) -> None:
    """Fail open for text linted at build time (the crisis line among it), closed for anything else."""
    gate = ApiGate.connect(request.getfixturevalue(api), "token", timeout=0.2)
    conversation = uuid.uuid4().hex
    [(name, crisis), *_] = variations(c.UTTER_CRISIS_SUPPORT)

    template = await gate.allows(_line(conversation, crisis, name))
    free_text = await gate.allows(_line(conversation, "Anything an action made up."))
    await gate.aclose()

    assert (template, free_text) == (True, False)
