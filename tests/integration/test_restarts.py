"""Redis and PostgreSQL restarted mid-conversation (issue 15, Reliability), on servers of the test's own
(tests/integration/servers.py: the machine's shared ones are never restarted): every SMS Twilio delivered
is stored once and answered (by the bot, or with the fixed reply and a handoff when its turn failed), and
a promise made across a restart is recorded once."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import psycopg2
import pytest

from scripts.soak import twilio_request
from tests.integration.running import ROOT, Backing, Stack, running_stack
from tests.integration.servers import PG_BIN, OwnPostgres, OwnRedis, own_postgres, own_redis

pytestmark = pytest.mark.integration

CONVERSATIONS = 4
ANSWER_SECONDS = 240.0
PROMISE = "i get paid next thursday so ill pay it then"


@dataclass
class Backed:
    stack: Stack
    redis: OwnRedis
    postgres: OwnPostgres

    def count(self, query: str, *args: object) -> int:
        with psycopg2.connect(self.postgres.dsn) as db, db.cursor() as cursor:
            cursor.execute(query, args)
            return int(cursor.fetchone()[0])


@pytest.fixture(scope="module")
def backed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backed]:
    if shutil.which("redis-server") is None or not (PG_BIN / "initdb").exists():
        pytest.skip("needs redis-server and PostgreSQL 15's binaries to start servers of its own")
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    tmp = tmp_path_factory.mktemp("restarts")
    with own_redis() as redis_server, own_postgres() as postgres:
        backing = Backing(redis_db=0, redis_port=redis_server.port, database_url=postgres.url)
        with running_stack(tmp, backing=backing) as stack:
            yield Backed(stack, redis_server, postgres)


def deliver(stack: Stack, number: str, text: str) -> str:
    """Post one SMS as Twilio does, again with the same MessageSid until it is acknowledged; its sid."""
    sid = "SM" + uuid.uuid4().hex
    for _ in range(60):
        try:
            if httpx.post(**twilio_request(stack, number, text, sid), timeout=30).status_code == 200:
                return sid
        except httpx.TransportError:
            pass
        time.sleep(1)  # Twilio retries a failed delivery; so does this sender
    raise AssertionError(f"{sid} never acknowledged")


def unanswered(backed: Backed, sids: list[str]) -> list[str]:
    """The delivered messages with no reply in the outbox yet, waiting for replies in flight."""
    deadline = time.monotonic() + ANSWER_SECONDS
    query = "SELECT count(*) FROM outbound_messages WHERE in_reply_to = %s"
    while (missing := [sid for sid in sids if backed.count(query, sid) == 0]) and time.monotonic() < deadline:
        time.sleep(1)
    return missing


def stored_once(backed: Backed, sids: list[str]) -> bool:
    query = "SELECT count(*) FROM inbound_messages WHERE message_sid = %s"
    return all(backed.count(query, sid) == 1 for sid in sids)


def a_round(backed: Backed, restart: object) -> list[str]:
    """Each of CONVERSATIONS numbers texts twice, `restart` running between the two."""
    numbers = [f"+1720555{uuid.uuid4().int % 10_000:04d}" for _ in range(CONVERSATIONS)]
    sids = [deliver(backed.stack, number, "hi") for number in numbers]
    second = [deliver(backed.stack, numbers[0], "ACME-1001")]
    if callable(restart):
        restart()
    second += [deliver(backed.stack, number, "ACME-1001") for number in numbers[1:]]
    return sids + second


def test_no_sms_is_lost_across_a_redis_restart(backed: Backed) -> None:
    sids = a_round(backed, backed.redis.restart)

    assert stored_once(backed, sids)
    assert unanswered(backed, sids) == []


def test_no_sms_is_lost_across_a_postgresql_restart(backed: Backed) -> None:
    sids = a_round(backed, backed.postgres.restart)

    assert stored_once(backed, sids)
    assert unanswered(backed, sids) == []


def test_a_promise_repeated_across_a_postgresql_restart_is_recorded_once(backed: Backed) -> None:
    stack, sender = backed.stack, str(uuid.uuid4())
    for message in ("hi", "ACME-1001", "03/14/1985", "20001"):
        stack.say(sender, message)
    before = backed.count("SELECT count(*) FROM promises")
    first = stack.say(sender, PROMISE)
    backed.postgres.restart()
    again = stack.say(sender, PROMISE)

    assert backed.count("SELECT count(*) FROM promises") == before + 1, (first, again)
