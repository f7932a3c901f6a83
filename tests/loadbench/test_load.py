"""The load generator against fakes: whole conversations at a concurrency, and the broker tail."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import httpx

from scripts.loadbench.accounts import debtor
from scripts.loadbench.broker import EventTail
from scripts.loadbench.clients import REST_PATH, RestClient, SocketClient, emits
from scripts.loadbench.dialogues import reached, script
from scripts.loadbench.load import Plan, drive, measure


def fake_bot(seen: list[dict[str, str]]) -> httpx.MockTransport:
    """A REST channel that says "verified" after a ZIP code and echoes everything else."""

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == REST_PATH
        body = json.loads(request.content)
        seen.append(body)
        text = "You're verified." if body["message"].isdigit() else f"you said {body['message']}"
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": text}])

    return httpx.MockTransport(answer)


async def test_every_conversation_runs_every_turn_on_its_own_sender() -> None:
    seen: list[dict[str, str]] = []
    async with httpx.AsyncClient(transport=fake_bot(seen), base_url="http://bot") as http:
        plan = Plan(3, range(6), lambda n: script("rest", None) if n % 2 else ("hi", "20001"), reached)
        run = await drive(plan, lambda n: RestClient(http))
    assert run.conversations == 6 and not run.failed
    assert len(run.latencies) == len(seen) == 3 * 8 + 3 * 2
    assert run.reached["verified"] == 3
    assert len({message["sender"] for message in seen}) == 6


def whole_conversation_bot(request: httpx.Request) -> httpx.Response:
    """Verifies on the ZIP code, tells the balance, sets the plan up on "yes": every milestone."""
    said = json.loads(request.content)["message"]
    replies = {
        "20001": ["Thank you, you're verified.", "Total due: $1,320.40 by Dec 15, 2026"],
        "yes that works": ["Done. Your plan is set up: $110.04 a month."],
    }
    return httpx.Response(200, json=[{"text": text} for text in replies.get(said, ["ok"])])


async def test_a_conversation_is_complete_only_when_it_reached_every_milestone() -> None:
    transport = httpx.MockTransport(whole_conversation_bot)
    person = debtor(0)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
        plan = Plan(2, range(4), lambda n: script("rest", person)[: 8 if n % 2 else 4], reached)
        report = await measure(plan, lambda n: RestClient(http), {})
    assert (report["conversations"], report["completed"], report["failed"]) == (4, 2, 0)
    assert report["reached"] == {"verified": 4, "balance": 4, "plan": 2}
    assert [example["missing"] for example in report["incomplete_examples"]] == [["plan"], ["plan"]]


async def test_the_starter_bots_conversation_is_complete_when_every_turn_was_answered() -> None:
    transport = httpx.MockTransport(whole_conversation_bot)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
        report = await measure(
            Plan(1, range(2), lambda n: script("rest", None)), lambda n: RestClient(http), {}
        )
    assert (report["completed"], report["reached"]) == (2, {})


async def test_a_failing_turn_ends_that_conversation_and_is_reported() -> None:
    broken = httpx.MockTransport(lambda request: httpx.Response(500))
    async with httpx.AsyncClient(transport=broken, base_url="http://bot") as http:
        report = await measure(Plan(2, range(2), lambda n: ("hi", "again")), lambda n: RestClient(http), {})
    assert report["failed"] == 2 and report["turns"] == 0 and report["completed"] == 0
    assert "HTTPStatusError" in report["failures"][0]
    assert "HTTPStatusError" in report["incomplete_examples"][0]["error"]


def broker_table(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
    return db


def publish(db: sqlite3.Connection, sender: str, event: dict[str, str]) -> None:
    db.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, json.dumps(event)))
    db.commit()


LISTEN = {"event": "action", "name": "action_listen"}


async def test_the_tail_ends_a_turn_at_its_closing_action_listen_in_the_broker(tmp_path: Path) -> None:
    db = broker_table(tmp_path / "events.db")
    tail = EventTail(tmp_path / "events.db")
    follower = asyncio.create_task(tail.follow())
    try:
        waiting = asyncio.create_task(tail.processed("SM1"))
        by_count = asyncio.create_task(tail.turns_done("web-1", 1))
        publish(db, "sms-1", {"event": "action", "name": "action_session_start"})
        publish(db, "sms-1", LISTEN)  # the session start's, before the message: no turn ends here
        publish(db, "sms-1", {"event": "user", "text": "hi", "message_id": "SM1"})
        publish(db, "sms-1", {"event": "bot", "text": "hello"})
        publish(db, "web-1", {"event": "user", "text": "hi"})
        publish(db, "web-1", LISTEN)
        publish(db, "sms-1", LISTEN)
        await asyncio.wait_for(asyncio.gather(waiting, by_count), timeout=60)
    finally:
        follower.cancel()
    assert tail.sender_of["SM1"] == "sms-1"
    assert tail.bot_texts["sms-1"] == ["hello"]


def test_a_turn_is_not_over_at_its_user_event_but_at_its_action_listen(tmp_path: Path) -> None:
    """Rasa's SQL broker commits a turn's events one by one: a read between two commits must not end it."""
    tail = EventTail(tmp_path / "events.db")
    tail.absorb([(1, "sms-1", json.dumps({"event": "user", "text": "hi", "message_id": "SM1"}))])
    assert not tail.closed("SM1") and tail.closed_turns["sms-1"] == 0
    tail.absorb([(2, "sms-1", json.dumps({"event": "bot", "text": "hello"}))])
    assert not tail.closed("SM1")
    tail.absorb([(3, "sms-1", json.dumps(LISTEN))])
    assert tail.closed("SM1") and tail.bot_texts["sms-1"] == ["hello"]
    tail.absorb([(4, "sms-1", json.dumps({"event": "user", "text": "again", "message_id": "SM2"}))])
    assert tail.closed("SM1") and not tail.closed("SM2")


def test_the_tail_reads_nothing_before_the_broker_has_a_table(tmp_path: Path) -> None:
    tail = EventTail(tmp_path / "missing.db")
    assert tail.read_new() == []
    sqlite3.connect(tmp_path / "empty.db").close()
    assert EventTail(tmp_path / "empty.db").read_new() == []


class LateSocket:
    """Rasa under load: the broker shows the turn over (two lines said) before the socket delivers them."""

    def __init__(self, tail: EventTail) -> None:
        self.tail = tail
        self.client: SocketClient | None = None

    async def emit(self, event: str, data: dict[str, str]) -> None:
        sender = data["session_id"]
        events = [{"event": "user", "text": data["message"]}, {"event": "bot", "text": "one\n\ntwo"}, LISTEN]
        self.tail.absorb([(n, sender, json.dumps(event)) for n, event in enumerate(events, 1)])
        asyncio.get_running_loop().create_task(self.deliver())

    async def deliver(self) -> None:
        assert self.client is not None
        for part in ("one", "two"):
            await asyncio.sleep(0)  # let the client see the broker first
            await self.client._bot_uttered({"text": part})


async def test_a_webchat_turn_ends_when_the_socket_has_every_line_the_broker_recorded(tmp_path: Path) -> None:
    tail = EventTail(tmp_path / "events.db")
    socket = LateSocket(tail)
    client = SocketClient("http://rasa", "k" * 40, tail, sio=socket)  # type: ignore[arg-type]
    socket.client = client
    assert await asyncio.wait_for(client.send("hi"), 60) == ["one", "two"]
    assert emits("a\n\nb\n\nc") == 3 and emits("") == 1
