"""The webchat channel: only a signed token opens a socket, a socket reaches only its token's session,
replies reach the session room whether python-socketio's enter_room is a function or a coroutine, and
nothing reaches it that the compliance gate did not allow."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from socketio import AsyncServer

from actions import constants as c
from channels.gate import ApiGate
from channels.inbound import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, MESSAGE_TOO_LONG_REPLY
from channels.pii import PII_REMOVED_REPLY
from channels.webchat import (
    DEFAULT_ALLOWED_ORIGINS,
    WebchatConfigError,
    WebchatInput,
    allowed_origins,
    client_manager,
    session_from_token,
    user_text,
)
from shared.purposes import NO_COLLECTION_CONTENT
from tests.channels.conftest import ApiServer
from tests.channels.webchat_harness import DONE, SECRET, Client, FakeGate, probe, serve, token
from tests.conftest import require_service

CRISIS = "Please call or text 988 (Suicide & Crisis Lifeline) now."


@pytest.fixture
def gate() -> FakeGate:
    return FakeGate()


@pytest.fixture
def channel(gate: FakeGate) -> WebchatInput:
    return WebchatInput(gate=gate, jwt_key=SECRET, cors_allowed_origins=["http://chat.example"])


@pytest.fixture
def enter_room_coroutine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make AsyncServer.enter_room a coroutine function, as python-socketio >= 5.10 has it."""
    installed = AsyncServer.enter_room

    async def enter_room(self: AsyncServer, sid: str, room: str, namespace: str | None = None) -> None:
        installed(self, sid, room, namespace=namespace)

    monkeypatch.setattr(AsyncServer, "enter_room", enter_room)


async def connected(url: str, session_id: str) -> Client:
    client = Client()
    await client.connect(url, auth={"token": token(session_id)})
    return client


async def requesting(url: str, session_id: str, requested: str) -> tuple[Client, list[tuple[str, Any]]]:
    """A client connected with `session_id`'s token that asked for session `requested`; the confirmation."""
    client = await connected(url, session_id)
    await client.sio.emit("session_request", {"session_id": requested})
    return client, await client.until("session_confirm")


async def in_session(url: str, session_id: str) -> Client:
    """A client connected with `session_id`'s token and confirmed into that session."""
    client, _ = await requesting(url, session_id, session_id)
    return client


# --- tokens -------------------------------------------------------------------------------------


def test_valid_token_names_its_session() -> None:
    assert session_from_token(token("abc"), SECRET, "HS256") == "abc"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("not-a-jwt", id="garbage"),
        pytest.param(token("abc", ttl=-5), id="expired"),
        pytest.param(token("abc", secret="another-secret-0123456789abcdefgh"), id="foreign-key"),
        pytest.param(token("", ttl=60), id="empty-sub"),
    ],
)
def test_invalid_tokens_name_no_session(bad: object) -> None:
    assert session_from_token(bad, SECRET, "HS256") is None


def test_token_without_expiry_names_no_session() -> None:
    import jwt

    forever = jwt.encode({"sub": "abc"}, SECRET, algorithm="HS256")
    assert session_from_token(forever, SECRET, "HS256") is None


def test_unsigned_token_names_no_session() -> None:
    import jwt

    unsigned = jwt.encode({"sub": "abc", "exp": 9999999999}, None, algorithm="none")
    assert session_from_token(unsigned, SECRET, "HS256") is None


# --- connecting ---------------------------------------------------------------------------------


async def test_connect_without_token_is_refused(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Client().connect(served.url)


async def test_connect_with_expired_token_is_refused(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Client().connect(served.url, auth={"token": token("A", ttl=-1)})


async def test_connect_with_token_signed_elsewhere_is_refused(channel: WebchatInput) -> None:
    forged = token("A", secret="forged-secret-0123456789abcdefghij")
    async with serve(channel) as served:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Client().connect(served.url, auth={"token": forged})


async def test_connect_from_a_foreign_origin_is_refused(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Client().connect(
                served.url, auth={"token": token("A")}, headers={"Origin": "http://evil.example"}
            )


async def test_widget_style_query_token_connects_and_gets_reply(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        events = await probe(url=served.url, token=token("A"), tokenIn="query", message="hi")
    assert events[-1][0] == DONE
    assert ("session_confirm", "A") in events
    assert ("bot_uttered", {"text": "echo: hi"}) in events


async def test_probe_without_token_gets_connect_error(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        events = await probe(url=served.url, token="", tokenIn="none")
    assert events == [("connect_error", "a valid webchat session token is required")]
    assert served.received == []


# --- one socket, one session --------------------------------------------------------------------


async def test_message_reaches_rasa_as_the_token_session_with_webchat_metadata(
    channel: WebchatInput,
) -> None:
    async with serve(channel) as served:
        client, confirmed = await requesting(served.url, "A", "A")
        assert confirmed == [("session_confirm", "A")]
        await client.sio.emit("user_uttered", {"session_id": "A", "message": "hello", "customData": {}})
        events = await client.until(DONE)
        await client.close()
    assert ("bot_uttered", {"text": "echo: hello"}) in events
    [message] = served.received
    assert (message.sender_id, message.text, message.input_channel) == ("A", "hello", "webchat")
    assert message.metadata == {"channel": "webchat"}


async def test_session_request_for_another_session_confirms_only_the_token_session(
    channel: WebchatInput,
) -> None:
    async with serve(channel) as served:
        client, confirmed = await requesting(served.url, "A", "B")
        await client.close()
    assert confirmed == [("session_confirm", "A")]


async def test_token_for_session_a_cannot_join_session_b(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        victim = await connected(served.url, "B")
        attacker = await connected(served.url, "A")
        await victim.sio.emit("session_request", {"session_id": "B"})
        await attacker.sio.emit("session_request", {"session_id": "B"})
        await victim.until("session_confirm")
        await attacker.until("session_confirm")
        await victim.sio.emit("user_uttered", {"session_id": "B", "message": "my balance"})
        victim_saw = await victim.until(DONE)
        attacker_saw = await attacker.until(DONE)
        await victim.close()
        await attacker.close()
    assert ("bot_uttered", {"text": "echo: my balance"}) in victim_saw
    assert attacker_saw == [(DONE, {})]


async def test_message_naming_another_session_is_not_processed(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        client = await in_session(served.url, "A")
        await client.sio.emit("user_uttered", {"session_id": "B", "message": "as B"})
        await client.sio.emit("user_uttered", {"message": "no session"})
        await client.sio.emit("user_uttered", {"session_id": "A", "message": "as A"})
        await client.until(DONE)
        await client.close()
    assert [(m.sender_id, m.text) for m in served.received] == [("A", "as A")]


async def test_probe_requesting_another_session_is_confirmed_into_its_own(channel: WebchatInput) -> None:
    async with serve(channel) as served:
        events = await probe(
            url=served.url, token=token("A"), tokenIn="auth", requestSession="B", message="hi"
        )
    assert ("session_confirm", "A") in events
    assert [m.sender_id for m in served.received] == ["A"]


# --- the enter_room trap ------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["installed", "coroutine"])
async def test_reply_reaches_the_session_room(
    channel: WebchatInput, flavour: str, request: pytest.FixtureRequest
) -> None:
    """socket.io-client 3 (the widget's client) gets the reply on either python-socketio API."""
    if flavour == "coroutine":
        request.getfixturevalue("enter_room_coroutine")
    async with serve(channel) as served:
        events = await probe(url=served.url, token=token("A"), tokenIn="auth", requestSession="A")
    assert events[-1][0] == DONE, events
    assert ("bot_uttered", {"text": "echo: hi"}) in events


@pytest.mark.usefixtures("enter_room_coroutine")
async def test_stock_rasa_channel_loses_the_reply_when_enter_room_is_a_coroutine() -> None:
    """The trap itself, so the test above is known to catch it: Rasa 3.6's channel never joins."""
    stock = SocketIOInput(session_persistence=True)
    async with serve(stock) as served:
        events = await probe(url=served.url, tokenIn="none", requestSession="A")
    assert events[-1][0] == DONE, events
    assert not [event for event in events if event[0] == "bot_uttered"]


# --- configuration ------------------------------------------------------------------------------


GATE = {"api_url": "http://127.0.0.1:8000", "api_token": "service-token"}


def test_from_credentials_reads_the_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_JWT_SECRET", SECRET)
    channel = WebchatInput.from_credentials({"session_persistence": True, **GATE})
    assert isinstance(channel, WebchatInput)
    assert (channel.jwt_key, channel.session_persistence) == (SECRET, True)


@pytest.mark.parametrize(
    "gate_credentials",
    [{}, {"api_url": "http://127.0.0.1:8000"}, {**GATE, "api_token": "${API_TOKEN}"}],
    ids=["none", "no-token", "unexpanded"],
)
def test_from_credentials_fails_loudly_without_the_compliance_gate(
    monkeypatch: pytest.MonkeyPatch, gate_credentials: dict[str, str]
) -> None:
    monkeypatch.setenv("WEBCHAT_JWT_SECRET", SECRET)
    with pytest.raises(WebchatConfigError, match="compliance gate"):
        WebchatInput.from_credentials(gate_credentials)


def test_credentials_yml_points_the_webchat_gate_at_the_accounts_api(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from rasa.shared.utils.io import read_config_file

    env = {"WEBCHAT_JWT_SECRET": SECRET, "ACCOUNTS_API_URL": "http://api:8000", "API_TOKEN": "t"}
    env |= {"TWILIO_ACCOUNT_SID": "AC9", "TWILIO_AUTH_TOKEN": "tok", "PUBLIC_BASE_URL": "https://x"}
    env |= {"TWILIO_ACK_PORT": "5006", "RASA_INTERFACE": "127.0.0.1"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    credentials = read_config_file(Path(__file__).resolve().parents[2] / "credentials.yml")

    channel = WebchatInput.from_credentials(credentials["channels.webchat.WebchatInput"])

    assert isinstance(channel, WebchatInput) and isinstance(channel.gate, ApiGate)
    assert channel.gate.api.base_url == "http://api:8000"


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_from_credentials_fails_loudly_without_a_strong_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.delenv("WEBCHAT_JWT_SECRET", raising=False)
    if secret:
        monkeypatch.setenv("WEBCHAT_JWT_SECRET", secret)
    with pytest.raises(WebchatConfigError, match="WEBCHAT_JWT_SECRET"):
        WebchatInput.from_credentials(GATE)


def test_from_credentials_refuses_non_hmac_algorithms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_JWT_SECRET", SECRET)
    with pytest.raises(WebchatConfigError, match="jwt_method"):
        WebchatInput.from_credentials({"jwt_method": "none", **GATE})


def test_from_credentials_refuses_to_drop_session_persistence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_JWT_SECRET", SECRET)
    with pytest.raises(WebchatConfigError, match="session_persistence"):
        WebchatInput.from_credentials({"session_persistence": False, **GATE})


def test_allowed_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://pay.acme.example/, https://acme.example")
    assert allowed_origins({}) == ["https://pay.acme.example", "https://acme.example"]
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "*")
    assert allowed_origins({}) == "*"
    monkeypatch.delenv("WEBCHAT_ALLOWED_ORIGINS")
    assert allowed_origins({}) == list(DEFAULT_ALLOWED_ORIGINS)


def test_user_text_must_be_text() -> None:
    assert user_text({"message": "hello"}) == "hello"
    assert user_text({"message": 42}) is None
    assert user_text(["not", "a", "dict"]) is None


# --- personal data never reaches the tracker ------------------------------------------------------


async def test_a_card_number_typed_into_the_webchat_never_reaches_rasa_and_the_debtor_is_told_why(
    channel: WebchatInput,
) -> None:
    """Issue 7: card numbers are redacted before anything is stored, the tracker store included."""
    async with serve(channel) as served:
        client = await connected(served.url, "A")
        await client.sio.emit("session_request", {"session_id": "A"})
        await client.until("session_confirm")
        said = "my card is 4111 1111 1111 1111 and SSN 123-45-6789"
        await client.sio.emit("user_uttered", {"session_id": "A", "message": said})
        events = await client.until(DONE)
        await client.close()
    [message] = served.received
    assert message.text == "my card is [card number removed] and SSN [SSN removed]"
    assert ("bot_uttered", {"text": PII_REMOVED_REPLY}) in events
    assert "4111" not in str(events)


# --- the compliance gate ------------------------------------------------------------------------


async def _exchange(served_url: str, text: str, session_id: str = "A") -> list[tuple[str, Any]]:
    """The debtor sends `text` on a fresh socket; every event up to the stub's DONE."""
    client = await connected(served_url, session_id)
    await client.sio.emit("session_request", {"session_id": session_id})
    await client.until("session_confirm")
    await client.sio.emit("user_uttered", {"session_id": session_id, "message": text})
    events = await client.until(DONE)
    await client.close()
    return events


def _said(events: list[tuple[str, Any]]) -> list[str]:
    return [data["text"] for name, data in events if name == "bot_uttered"]


async def test_every_bot_line_is_put_to_the_gate_as_a_reply_to_the_debtors_message(
    channel: WebchatInput, gate: FakeGate
) -> None:
    def replies(message: UserMessage) -> list[dict[str, Any]]:
        return [
            {"text": "Thank you, you're verified.", "utter_action": c.UTTER_VERIFIED},
            {"text": "free text"},
        ]

    async with serve(channel, replies) as served:
        events = await _exchange(served.url, "hello")

    assert _said(events) == ["Thank you, you're verified.", "free text"]
    [message] = served.received
    verified, free = gate.lines
    assert (verified.conversation_id, verified.kind, verified.in_reply_to) == (
        "A",
        "reply",
        message.message_id,
    )
    assert (verified.purpose, verified.linted) == (NO_COLLECTION_CONTENT, True)
    assert (free.purpose, free.linted) == (None, False)
    assert verified.idempotency_key != free.idempotency_key


async def test_a_line_the_gate_refuses_never_reaches_the_socket(
    channel: WebchatInput, gate: FakeGate
) -> None:
    gate.allow = False

    async with serve(channel) as served:
        events = await _exchange(served.url, "hello")

    assert _said(events) == []
    assert [line.text for line in gate.lines] == ["echo: hello"]


async def test_buttons_are_read_by_the_gate_with_their_text(channel: WebchatInput, gate: FakeGate) -> None:
    def replies(message: UserMessage) -> list[dict[str, Any]]:
        return [{"text": "Pick one", "buttons": [{"title": "Pay now", "payload": "/pay"}]}]

    async with serve(channel, replies) as served:
        await _exchange(served.url, "hello")

    assert [line.text for line in gate.lines] == ["Pick one\nPay now"]


async def test_typing_a_buttons_title_picks_that_button(channel: WebchatInput) -> None:
    """The survey's "Great" typed, not tapped, reaches Rasa as the button's payload; other text as is."""

    def replies(message: UserMessage) -> list[dict[str, Any]]:
        return [
            {
                "text": "How did we do?",
                "buttons": [{"title": "Good", "payload": "/r4"}, {"title": "Great", "payload": "/r5"}],
            }
        ]

    async with serve(channel, replies) as served:
        await _exchange(served.url, "bye")
        await _exchange(served.url, "great!")
        await _exchange(served.url, "great thanks, and how much do I owe")

    assert [m.text for m in served.received] == ["bye", "/r5", "great thanks, and how much do I owe"]


async def test_the_crisis_line_is_emitted_even_if_the_gate_objects(
    channel: WebchatInput, gate: FakeGate
) -> None:
    gate.allow = False

    def replies(message: UserMessage) -> list[dict[str, Any]]:
        return [{"text": CRISIS, "utter_action": c.UTTER_CRISIS_SUPPORT}, {"text": "Your balance is $10."}]

    async with serve(channel, replies) as served:
        events = await _exchange(served.url, "I can't go on")

    assert _said(events) == [CRISIS]
    assert len(gate.lines) == 2


async def test_the_card_number_notice_is_gated_as_a_reply_with_no_collection_content(
    channel: WebchatInput, gate: FakeGate
) -> None:
    async with serve(channel) as served:
        events = await _exchange(served.url, "card 4111 1111 1111 1111")

    assert _said(events)[0] == PII_REMOVED_REPLY
    notice = gate.lines[0]
    assert (notice.text, notice.purpose, notice.linted) == (PII_REMOVED_REPLY, NO_COLLECTION_CONTENT, True)


async def test_an_agents_reply_through_rasas_api_is_emitted_as_the_accounts_api_gated_it(
    channel: WebchatInput, gate: FakeGate
) -> None:
    """Rasa's /tracker/events?output_channel=latest uses get_output_channel(): the API already gated
    the agent's line; any other line sent that way is put to the gate as a system message."""
    async with serve(channel) as served:
        client = await connected(served.url, "A")
        await client.sio.emit("session_request", {"session_id": "A"})
        await client.until("session_confirm")
        output = channel.get_output_channel()
        assert output is not None
        await output.send_response("A", {"text": "Hi, this is Dana.", "sender": "agent"})
        await output.send_response("A", {"text": "A line from elsewhere."})
        await channel.sio.emit(DONE, {})
        events = await client.until(DONE)
        await client.close()

    assert _said(events) == ["Hi, this is Dana.", "A line from elsewhere."]
    [other] = gate.lines
    assert (other.text, other.kind, other.in_reply_to) == ("A line from elsewhere.", "system", None)


# --- the compliance gate, asked of the real accounts API -------------------------------------------


@pytest.fixture
async def api_channel(api_server: ApiServer) -> AsyncIterator[WebchatInput]:
    gate = ApiGate.connect(api_server.url, api_server.token)
    yield WebchatInput(gate=gate, jwt_key=SECRET, cors_allowed_origins=["http://chat.example"])
    await gate.aclose()


async def test_a_bot_reply_with_forbidden_language_never_reaches_the_debtor_and_both_are_recorded(
    api_channel: WebchatInput, api_server: ApiServer
) -> None:
    """The real gate: a threat of arrest is blocked and recorded; a clean reply is recorded as sent."""
    session_id = uuid.uuid4().hex

    async with serve(api_channel) as served:
        clean = await _exchange(served.url, "hello", session_id)
        threat = await _exchange(served.url, "you will be arrested", session_id)

    assert (_said(clean), _said(threat)) == (["echo: hello"], [])
    recorded = [(m["body"], m["status"], m["reasons"]) for m in api_server.outbox(session_id)]
    assert recorded == [
        ("echo: hello", "sent", []),
        ("echo: you will be arrested", "blocked", ["forbidden_language:threat_of_arrest"]),
    ]


# --- size -----------------------------------------------------------------------------------------


async def test_a_message_over_the_cap_gets_the_polite_reply_and_never_reaches_rasa(
    channel: WebchatInput,
) -> None:
    """Issue 10: a long paste is refused with a reply to its session, and the chat carries on."""
    async with serve(channel) as served:
        client = await in_session(served.url, "A")
        await client.sio.emit("user_uttered", {"session_id": "A", "message": "x" * (MAX_MESSAGE_CHARS + 1)})
        refused = await client.until("bot_uttered")
        await client.sio.emit("user_uttered", {"session_id": "A", "message": "hello"})
        await client.until(DONE)
        await client.close()
    assert refused == [("bot_uttered", {"text": MESSAGE_TOO_LONG_REPLY})]
    assert [message.text for message in served.received] == ["hello"]


async def test_a_payload_over_the_byte_cap_is_refused_unread_and_other_sessions_carry_on(
    channel: WebchatInput,
) -> None:
    """A multi-kilobyte payload is dropped by the transport (the socket closes) before it is decoded."""
    async with serve(channel) as served:
        sender, other = await in_session(served.url, "A"), await in_session(served.url, "B")
        await sender.sio.emit("user_uttered", {"session_id": "A", "message": "x" * MAX_BODY_BYTES})
        await sender.until("disconnect")
        await other.sio.emit("user_uttered", {"session_id": "B", "message": "hello"})
        answered = await other.until(DONE)
        await other.close()
    assert ("bot_uttered", {"text": "echo: hello"}) in answered
    assert [(message.sender_id, message.text) for message in served.received] == [("B", "hello")]


# --- several Rasa processes ---------------------------------------------------------------------

SHARED_REDIS = "redis://127.0.0.1:6379/14"


def process_channel(redis_url: str = SHARED_REDIS) -> WebchatInput:
    """One Rasa process's webchat channel, emitting through the shared Redis."""
    return WebchatInput(
        gate=FakeGate(),
        jwt_key=SECRET,
        cors_allowed_origins=["http://chat.example"],
        socketio_redis_url=redis_url,
    )


async def agent_reply_from(channel: WebchatInput, session_id: str, text: str) -> None:
    """What Rasa's HTTP API does with an agent's reply (output_channel=latest) on `channel`'s process."""
    output = channel.get_output_channel()
    await output.send_text_message(session_id, text, sender="agent")


async def test_an_agents_reply_sent_through_another_rasa_process_reaches_the_debtors_socket() -> None:
    """The socket lives in one process; the API's call may reach any copy behind the proxy."""
    require_service("Redis", "127.0.0.1", 6379)
    holding, other = process_channel(), process_channel()
    async with serve(holding) as served, serve(other):
        client = await in_session(served.url, "A")
        await agent_reply_from(other, "A", "an agent here")
        events = await client.until("bot_uttered")
        await client.close()

    assert events[-1] == ("bot_uttered", {"text": "an agent here"})


def test_without_a_redis_url_emits_stay_in_the_process() -> None:
    assert client_manager("") is None
    assert client_manager("redis://127.0.0.1:6379/3").channel == "debtbot-webchat-3"
