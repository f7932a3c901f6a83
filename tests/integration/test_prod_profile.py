"""The production profile as `make run-prod` starts it (issue 15): two Rasa processes and two action servers
behind nginx, PostgreSQL for the API and the event broker, trackers and locks in Redis, Celery on Redis.
A debtor's conversation goes through nginx over REST (internal listener), a signed Twilio webhook and
socket.io (public listener), and ten concurrent messages of one debtor spread over both Rasa processes
are each processed once, one turn after another, none lost from the shared tracker.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from stack import probes
from tests.channels.webchat_harness import Client
from tests.conftest import require_service
from tests.integration.prod_running import ProdStack, nginx_or_skip, running_prod_stack
from tests.integration.running import API_BIN, MINI_MIRANDA, ROOT, StackError

pytestmark = pytest.mark.integration

VERIFY = ("hi", "ACME-1001", "03/14/1985", "20001")
CONCURRENT = 10


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdStack]:
    nginx = nginx_or_skip()
    require_service("Redis", "127.0.0.1", 6379)
    require_service("PostgreSQL", "127.0.0.1", 5432)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    tmp = tmp_path_factory.mktemp("prod")
    try:
        with running_prod_stack(tmp, nginx) as stack:
            yield stack
    except StackError as error:
        pytest.fail(str(error))


def rest(stack: ProdStack, sender: str, message: str) -> tuple[list[dict[str, Any]], str]:
    """The bot's replies over REST through nginx's internal listener, and which Rasa copy answered."""
    reply = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
    )
    reply.raise_for_status()
    return list(reply.json()), reply.headers["X-Upstream"]


def test_every_process_of_the_profile_is_ready_by_its_own_probe(prod: ProdStack) -> None:
    """Two copies each of Rasa and the action server, the API migrated, worker and campaigns beating."""
    names = set(prod.processes)

    assert {"rasa1", "rasa2", "actions1", "actions2", "api", "worker", "campaigns", "beat", "nginx"} <= names
    assert [name for name in names if not probes.ready(name, prod.env)] == []


def test_a_rest_conversation_moves_between_both_rasa_processes_and_stays_one_conversation(
    prod: ProdStack,
) -> None:
    sender, upstreams, replies = str(uuid.uuid4()), set(), []
    for message in (*VERIFY, "what is my balance"):
        answer, upstream = rest(prod, sender, message)
        upstreams.add(upstream)
        replies.append(" ".join(m.get("text", "") for m in answer))

    assert len(upstreams) == 2  # least_conn alternates idle copies: both served this conversation
    assert MINI_MIRANDA in replies[0]
    assert "Total due" in replies[-1]  # verified on one copy, the balance told by whichever came next


def test_the_public_listener_keeps_rest_and_metrics_off_and_routes_the_rest_to_the_api(
    prod: ProdStack,
) -> None:
    rest_answer = httpx.post(
        f"{prod.public_url}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"}
    )
    metrics = httpx.get(f"{prod.public_url}/metrics")
    ready = httpx.get(f"{prod.public_url}/ready")

    assert rest_answer.status_code in (404, 405)  # the API's answer: Rasa's REST channel is not public
    assert metrics.status_code == 404
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "current"}


def test_a_signed_twilio_webhook_through_nginx_gets_the_bots_sms_reply(prod: ProdStack) -> None:
    """The SMS sink signs PUBLIC_BASE_URL + path (nginx's public origin), as Twilio would."""
    command = [
        str(API_BIN / "python"),
        "-m",
        "sms_sink.demo",
        "--sink",
        prod.sink_url,
        "--from",
        "+13125550188",
    ]
    done = subprocess.run(
        [*command, "--wait", "90", "--quiet", "5", "hello"],
        env=prod.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    replies = " ".join(line for line in done.stdout.splitlines() if line.startswith("bot> "))
    assert "date of birth" in replies  # the number on the account bound it: straight to verification


def test_each_copy_takes_the_twilio_webhook_on_its_own_port_and_nginx_sends_it_there(prod: ProdStack) -> None:
    """nginx's public POST /webhooks/twilio/webhook goes to the copies' webhook servers (off Rasa's loop)."""
    from stack.prod import TWILIO_ACK, replica_ports

    for port in replica_ports(prod.env, "rasa", TWILIO_ACK):
        assert httpx.get(f"http://127.0.0.1:{port}/webhooks/twilio/", timeout=10).status_code == 200
    webhook = f"{prod.public_url}/webhooks/twilio/webhook"
    unsigned = httpx.post(webhook, data={"MessageSid": "SM1"}, timeout=30)
    conf = (Path(prod.env["NGINX_PREFIX"]) / "nginx.conf").read_text()

    assert unsigned.status_code == 403  # the channel's signature check answered, through nginx
    assert httpx.get(f"{prod.public_url}/webhooks/twilio/", timeout=10).status_code == 200
    for port in replica_ports(prod.env, "rasa", TWILIO_ACK):
        assert f"server 127.0.0.1:{port} " in conf.split("upstream twilio_ack {")[1].split("}")[0]


async def webchat_session(stack: ProdStack) -> tuple[Client, str]:
    """A webchat session from the API through nginx, its socket through nginx to one Rasa process."""
    async with httpx.AsyncClient(base_url=stack.public_url) as api:
        session = (await api.post("/api/v1/webchat/session")).json()
    client = Client()
    origin = {"Origin": stack.env["PUBLIC_URL"]}
    await client.connect(stack.public_url, auth={"token": session["token"]}, headers=origin)
    await client.sio.emit("session_request", {"session_id": session["session_id"]})
    await client.until("session_confirm")
    return client, session["session_id"]


async def agent_reply(stack: ProdStack, port: int, session_id: str, text: str) -> None:
    """What the API's RasaClient.agent_message(deliver=True) posts, sent to one Rasa copy directly."""
    async with httpx.AsyncClient(timeout=60) as rasa:
        answer = await rasa.post(
            f"http://127.0.0.1:{port}/conversations/{session_id}/tracker/events",
            params={
                "token": stack.env["RASA_TOKEN"],
                "output_channel": "latest",
                "execute_side_effects": "true",
            },
            json=[{"event": "bot", "text": text, "metadata": {"sender": "agent"}}],
        )
    answer.raise_for_status()


async def until_text(client: Client, text: str) -> str:
    """The first bot message reading `text` (the greeting's later lines may still be arriving)."""
    while (await client.until("bot_uttered", timeout=60))[-1][1].get("text") != text:
        pass
    return text


async def webchat_conversation(stack: ProdStack) -> tuple[list[tuple[str, Any]], list[str]]:
    """The bot's greeting, then an agent's reply through each Rasa copy in turn."""
    client, session_id = await webchat_session(stack)
    try:
        await client.sio.emit("user_uttered", {"message": "hi", "session_id": session_id})
        greeting = await client.until("bot_uttered", timeout=120)
        agents = []
        for index, port in enumerate(_rasa_ports(stack)):
            await agent_reply(stack, port, session_id, f"agent reply {index}")
            agents.append(await until_text(client, f"agent reply {index}"))
        return greeting, agents
    finally:
        await client.close()


def test_webchat_over_socketio_through_nginx_gets_replies_sent_through_either_rasa_process(
    prod: ProdStack,
) -> None:
    """socket.io's polling requests of one session all reach the Rasa process that opened it (ip_hash), and
    an agent's reply reaches that socket whichever copy Rasa's HTTP API call lands on (Redis pub/sub)."""
    greeting, agents = asyncio.run(webchat_conversation(prod))

    assert greeting[-1][0] == "bot_uttered" and greeting[-1][1]["text"]
    assert agents == ["agent reply 0", "agent reply 1"]


async def send_concurrently(stack: ProdStack, sender: str) -> list[httpx.Response]:
    """CONCURRENT messages of one debtor at once through nginx's internal listener."""
    async with httpx.AsyncClient(timeout=300) as client:
        posts = [
            client.post(
                f"{stack.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": f"hello number {index}"},
            )
            for index in range(CONCURRENT)
        ]
        return list(await asyncio.gather(*posts))


def tracker_events(stack: ProdStack, sender: str) -> list[dict[str, Any]]:
    reply = httpx.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.env["RASA_TOKEN"], "include_events": "ALL"},
        timeout=60,
    )
    reply.raise_for_status()
    return list(reply.json()["events"])


def turns_interleave(events: list[dict[str, Any]]) -> bool:
    """Whether a user message arrived before the previous turn ended with action_listen."""
    listening = True
    for event in events:
        if event["event"] == "user":
            if not listening:
                return True
            listening = False
        elif event["event"] == "action":
            listening = event.get("name") == "action_listen"
    return False


def replies_by_turn(events: list[dict[str, Any]]) -> list[tuple[str, list[str | None]]]:
    """Each user message of the tracker, in order, with the bot messages its reply carried: those of its
    turn, and for the first message also the session start's greeting, uttered just before it."""
    turns: list[tuple[str, list[str | None]]] = []
    opening: list[str | None] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event["text"], [] if turns else opening))
        elif event["event"] == "bot":
            (turns[-1][1] if turns else opening).append(event.get("text"))
    return turns


def test_concurrent_messages_of_one_debtor_over_both_rasa_processes_are_each_processed_once_in_turn(
    prod: ProdStack,
) -> None:
    """The lock store serialises one conversation across processes: every turn sees every earlier one.

    Rasa's own Redis lock store changes a lock by GET then SET, which two processes interleave: both held
    one ticket (two session starts), or one erased the other's queued ticket (LockError, no reply).
    channels/lock_store.py makes each change one Redis transaction (tests/channels/test_lock_store.py).
    """
    sender = str(uuid.uuid4())

    answers = asyncio.run(send_concurrently(prod, sender))

    assert [answer.status_code for answer in answers] == [200] * CONCURRENT
    assert {answer.headers["X-Upstream"] for answer in answers} == {
        f"127.0.0.1:{p}" for p in _rasa_ports(prod)
    }
    events = tracker_events(prod, sender)
    turns = replies_by_turn(events)
    assert sorted(text for text, _ in turns) == sorted(f"hello number {index}" for index in range(CONCURRENT))
    assert [event["event"] for event in events].count("session_started") == 1
    assert not turns_interleave(events)
    replied = {f"hello number {index}": answer.json() for index, answer in enumerate(answers)}
    assert all(replied.values())  # every message got its reply
    assert {text: [m.get("text") for m in replied[text]] for text, _ in turns} == dict(turns)


def _rasa_ports(stack: ProdStack) -> list[int]:
    from stack.prod import replica_ports

    return replica_ports(stack.env, "rasa")


def test_nginx_configuration_is_the_one_rendered_for_these_ports(prod: ProdStack) -> None:
    conf = (Path(prod.env["NGINX_PREFIX"]) / "nginx.conf").read_text()

    for port in _rasa_ports(prod):
        assert f"server 127.0.0.1:{port} " in conf
    assert "ip_hash;" in conf
