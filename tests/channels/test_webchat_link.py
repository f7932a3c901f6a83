"""The webchat channel and personal links: a valid link in the widget's customData binds the conversation
to its account (account_id in the message metadata, the token itself never handed to Rasa); an expired,
forged or foreign one binds nothing and the conversation carries on unbound."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from channels.webchat import WebchatInput, bound_account, link_secret
from shared import personal_link
from tests.channels.webchat_harness import DONE, SECRET, Client, FakeGate, serve, token

LINK_SECRET = "the-api-secret-key-0123456789abcdef"
NOW = datetime.now(timezone.utc)


def link(account_id: str = "acc-1", ttl: timedelta = timedelta(days=7), secret: str = LINK_SECRET) -> str:
    return personal_link.encode(secret, account_id, NOW - timedelta(minutes=1), NOW + ttl)


@pytest.fixture
def channel() -> WebchatInput:
    return WebchatInput(
        gate=FakeGate(), jwt_key=SECRET, cors_allowed_origins=["http://chat.example"], link_key=LINK_SECRET
    )


async def metadata_of(channel: WebchatInput, custom_data: object) -> dict[str, object]:
    """What Rasa receives as the metadata of one message sent with `custom_data`."""
    async with serve(channel) as served:
        client = Client()
        await client.connect(served.url, auth={"token": token("A")})
        await client.sio.emit("session_request", {"session_id": "A"})
        await client.until("session_confirm")
        await client.sio.emit("user_uttered", {"session_id": "A", "message": "hi", "customData": custom_data})
        await client.until(DONE)
        await client.close()
    [message] = served.received
    return dict(message.metadata)


async def test_a_valid_personal_link_binds_the_conversation_to_its_account(channel: WebchatInput) -> None:
    metadata = await metadata_of(channel, {"channel": "webchat", "link": link("acc-1")})

    assert metadata == {"channel": "webchat", "account_id": "acc-1"}


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(link(ttl=timedelta(minutes=-1)), id="expired"),
        pytest.param(link(secret="another-secret-key-0123456789abcdef"), id="forged"),
        pytest.param(token("acc-1"), id="a-session-token"),
        pytest.param("garbage", id="garbage"),
        pytest.param(12, id="not-text"),
    ],
)
async def test_a_refused_link_leaves_the_conversation_unbound(channel: WebchatInput, bad: object) -> None:
    metadata = await metadata_of(channel, {"channel": "webchat", "link": bad})

    assert metadata == {"channel": "webchat"}


@pytest.mark.parametrize("custom_data", [None, {}, "a string", {"link": None}])
def test_messages_without_a_link_are_unbound(custom_data: object) -> None:
    assert bound_account({"message": "hi", "customData": custom_data}, LINK_SECRET) == {}


def test_without_a_link_secret_no_link_binds() -> None:
    assert bound_account({"customData": {"link": link()}}, "") == {}


def test_the_link_secret_is_the_api_secret_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", LINK_SECRET)
    monkeypatch.setenv("WEBCHAT_JWT_SECRET", SECRET)
    channel = WebchatInput.from_credentials(
        {"session_persistence": True, "api_url": "http://127.0.0.1:8000", "api_token": "service-token"}
    )

    assert isinstance(channel, WebchatInput)
    assert channel.link_key == LINK_SECRET


def test_a_missing_or_weak_secret_disables_links(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert link_secret({}) == ""
    assert link_secret({"link_secret": "short"}) == ""
