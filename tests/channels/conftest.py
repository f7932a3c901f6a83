"""Channel tests: the real accounts API (uvicorn, SQLite) as a subprocess, the Twilio (or REST) channel
served by a real Sanic server on a free port, Rasa's agent replaced by a stub that records what the channel
hands it.

The channel's contract is what it passes to on_new_message and what it posts to the API; both are real here.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic
from twilio.request_validator import RequestValidator

from channels.sanic_server import serving
from channels.twilio import TwilioConfig, TwilioInput
from sms_sink.config import SinkConfig
from sms_sink.server import SmsSink
from stack.services import free_port
from tests.fakes.twilio_server import FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FakeTwilio

ROOT = Path(__file__).resolve().parents[2]
API_BIN = ROOT / ".venv" / "api" / "bin"
PUBLIC_BASE_URL = "https://sms.example.org"
WEBHOOK_PATH = "/webhooks/twilio/webhook"
OUR_NUMBER = "+15005550006"


def message_sid() -> str:
    return "SM" + uuid.uuid4().hex


@dataclass
class ApiServer:
    url: str
    token: str
    env: dict[str, str]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=10)

    def outbox(self, conversation_id: str) -> list[dict[str, Any]]:
        with self.client() as client:
            response = client.get("/api/v1/messages/outbound", params={"conversation_id": conversation_id})
        response.raise_for_status()
        return list(response.json())

    def create_account(self, phone: str) -> str:
        debtor = {
            "first_name": "Jordan",
            "last_name": "Rivera",
            "phone": phone,
            "timezone": "America/New_York",
            "dob": "1985-03-14",
            "zip_code": "20001",
            "ssn_last4": "4321",
        }
        account = {
            "reference": f"TEST-{uuid.uuid4().hex[:10].upper()}",
            "creditor": "Northwind Bank",
            "original_creditor": "Northwind Bank Visa",
            "principal": "100.00",
            "due_date": "2026-12-15",
            "debtor": debtor,
        }
        with self.client() as client:
            response = client.post("/api/v1/accounts", json=account)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def run_worker(self, fake: SmsSink) -> subprocess.CompletedProcess[bytes]:
        """`python -m api.worker --once` against the fake Twilio (or the SMS sink)."""
        env = {
            **self.env,
            "TWILIO_ACCOUNT_SID": fake.account_sid,
            "TWILIO_AUTH_TOKEN": fake.auth_token,
            "TWILIO_FROM_NUMBER": OUR_NUMBER,
            "TWILIO_API_BASE_URL": fake.url,
        }
        return subprocess.run(
            [str(API_BIN / "python"), "-m", "api.worker", "--once"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
            check=True,
        )


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The accounts API, migrated, on a free port, for the whole session."""
    tmp = tmp_path_factory.mktemp("api")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "API_TOKEN": secrets.token_urlsafe(24),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp}/accounts.db",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }
    subprocess.run(
        [str(API_BIN / "alembic"), "upgrade", "head"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    log = (tmp / "api.log").open("wb")
    process = subprocess.Popen(
        [str(API_BIN / "uvicorn"), "api.main:app", "--port", str(port), "--no-access-log"],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, tmp / "api.log")
        yield ApiServer(url, env["API_TOKEN"], env)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the API exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the API did not become healthy:\n{log.read_text()[-3000:]}")


@dataclass
class StubAgent:
    """Stands in for Rasa's Agent: records each UserMessage and sends the configured replies.

    With a `gate`, every message waits at it; `entered` is set as soon as one has reached the agent.
    """

    messages: list[UserMessage] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    gate: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_message(self, message: UserMessage) -> None:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        self.messages.append(message)
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))


@dataclass
class Sms:
    """The Twilio side of a test: sends (signed) webhooks to the channel served on `url`."""

    url: str
    http: httpx.AsyncClient
    channel: TwilioInput
    agent: StubAgent
    api: ApiServer
    auth_token: str = FAKE_AUTH_TOKEN

    def params(self, sender: str | None, body: str | None = "hi", **extra: str) -> dict[str, str]:
        params = {
            "MessageSid": message_sid(),
            "AccountSid": FAKE_ACCOUNT_SID,
            "To": OUR_NUMBER,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        if sender is not None:
            params["From"] = sender
        if body is not None:
            params["Body"] = body
        params.update(extra)
        return params

    def sign(self, params: dict[str, str], url: str | None = None, token: str | None = None) -> str:
        return str(
            RequestValidator(token or self.auth_token).compute_signature(
                url or PUBLIC_BASE_URL + WEBHOOK_PATH, params
            )
        )

    async def post(
        self,
        params: dict[str, str],
        signature: str | None = "sign",
        query: str = "",
        raw: bytes | None = None,
    ) -> httpx.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            signature = self.sign(params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        content = raw if raw is not None else urlencode(params).encode()
        return await self.http.post(f"{self.url}{WEBHOOK_PATH}{query}", content=content, headers=headers)

    async def text(self, sender: str | None, body: str | None = "hi", **extra: str) -> httpx.Response:
        """A signed inbound SMS; waits for the background processing it started."""
        response = await self.post(self.params(sender, body, **extra))
        await self.channel.drain()
        return response


def make_channel(api: ApiServer, **overrides: Any) -> TwilioInput:
    config = {
        "account_sid": FAKE_ACCOUNT_SID,
        "auth_token": FAKE_AUTH_TOKEN,
        "public_base_url": PUBLIC_BASE_URL,
        "api_url": api.url,
        "api_token": api.token,
        **overrides,
    }
    return TwilioInput(TwilioConfig(**config))


@pytest.fixture
async def sms(api_server: ApiServer) -> AsyncIterator[Sms]:
    """The channel behind a real Sanic server, mounted as Rasa mounts it (route /webhooks/)."""
    async for harness in serve(make_channel(api_server), api_server):
        yield harness


@asynccontextmanager
async def running(channel: InputChannel, agent: StubAgent) -> AsyncIterator[str]:
    """`channel` on a real Sanic server, mounted as Rasa mounts it (route /webhooks/); its base URL."""
    Sanic.test_mode = True
    async with serving([channel], agent) as url:
        yield url


async def serve(channel: TwilioInput, api: ApiServer) -> AsyncIterator[Sms]:
    agent = StubAgent()
    async with running(channel, agent) as url:
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                yield Sms(url, http, channel, agent, api)
        finally:
            await channel.drain()
            await channel.api.aclose()


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


def sink_for(sms: Sms, **overrides: Any) -> SmsSink:
    """An SMS sink texting the channel under test, signing for the channel's public URL."""
    values: dict[str, Any] = {
        "account_sid": FAKE_ACCOUNT_SID,
        "auth_token": FAKE_AUTH_TOKEN,
        "public_base_url": PUBLIC_BASE_URL,
        "webhook_base_url": sms.url,
        "our_number": OUR_NUMBER,
        "callback_delay_seconds": 0.0,
        **overrides,
    }
    return SmsSink(SinkConfig(**values))


@pytest.fixture
def sink(sms: Sms) -> Iterator[SmsSink]:
    """The SMS sink of `make run` in front of the channel: its page and REST API on a free port."""
    with sink_for(sms) as running:
        yield running
