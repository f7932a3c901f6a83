"""The load generator against fakes: whole conversations at a concurrency, and the broker tail."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import httpx

from scripts.loadbench.broker import EventTail
from scripts.loadbench.clients import REST_PATH, RestClient
from scripts.loadbench.dialogues import script
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
        plan = Plan(3, range(6), lambda n: script("rest", None) if n % 2 else ("hi", "20001"))
        run = await drive(plan, lambda n: RestClient(http))
    assert run.conversations == 6 and not run.failed
    assert len(run.latencies) == len(seen) == 3 * 8 + 3 * 2
    assert run.verified == 3
    assert len({message["sender"] for message in seen}) == 6


async def test_a_failing_turn_ends_that_conversation_and_is_reported() -> None:
    broken = httpx.MockTransport(lambda request: httpx.Response(500))
    async with httpx.AsyncClient(transport=broken, base_url="http://bot") as http:
        report = await measure(Plan(2, range(2), lambda n: ("hi", "again")), lambda n: RestClient(http), {})
    assert report["failed"] == 2 and report["turns"] == 0
    assert "HTTPStatusError" in report["failures"][0]


def broker_table(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), data TEXT)")
    return db


def publish(db: sqlite3.Connection, sender: str, event: dict[str, str]) -> None:
    db.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, json.dumps(event)))
    db.commit()


async def test_the_tail_resolves_a_turn_once_its_user_event_is_in_the_broker(tmp_path: Path) -> None:
    db = broker_table(tmp_path / "events.db")
    tail = EventTail(tmp_path / "events.db")
    follower = asyncio.create_task(tail.follow())
    try:
        waiting = asyncio.create_task(tail.processed("SM1"))
        by_count = asyncio.create_task(tail.turns_done("web-1", 1))
        publish(db, "sms-1", {"event": "user", "text": "hi", "message_id": "SM1"})
        publish(db, "sms-1", {"event": "bot", "text": "hello"})
        publish(db, "web-1", {"event": "user", "text": "hi"})
        await asyncio.wait_for(asyncio.gather(waiting, by_count), timeout=60)
    finally:
        follower.cancel()
    assert tail.sender_of["SM1"] == "sms-1"
    assert tail.bot_texts["sms-1"] == ["hello"]


def test_the_tail_reads_nothing_before_the_broker_has_a_table(tmp_path: Path) -> None:
    tail = EventTail(tmp_path / "missing.db")
    assert tail.read_new() == []
    sqlite3.connect(tmp_path / "empty.db").close()
    assert EventTail(tmp_path / "empty.db").read_new() == []
