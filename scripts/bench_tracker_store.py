"""Measure Rasa's own tracker stores for the production profile: Redis vs SQL on PostgreSQL.

Each store gets the same work through Rasa's TrackerStore classes (what `rasa run` uses): conversations of
domain.yml's slots, each turn one `retrieve` then one `save` of the turn's events (the user message, the
action, a slot, the bot's message, action_listen), as Rasa's MessageProcessor does for every message.
Prints per-operation p50/p95 and the turns per second of one client, as JSON. Loopback only; the store's
database is emptied first. Run with the bot environment:

    .venv/bot/bin/python scripts/bench_tracker_store.py --turns 1000 \
        --redis-db 9 --postgres postgresql://postgres@127.0.0.1:5432/prod_trackers
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import redis
import sqlalchemy as sa
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank), in milliseconds."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 2)


def turn_events(turn: int) -> list[Any]:
    """What one message adds to a tracker (the shape of a real turn; no personal data)."""
    return [
        UserUttered(f"message {turn}", {"name": "greet", "confidence": 0.9}),
        ActionExecuted("utter_greet"),
        SlotSet("distress_level", "none"),
        BotUttered(f"reply {turn}"),
        ActionExecuted("action_listen"),
    ]


async def one_turn(store: TrackerStore, sender: str, turn: int, timings: dict[str, list[float]]) -> None:
    """retrieve + save, each timed, as the processor does for one message."""
    started = time.perf_counter()
    tracker = await store.get_or_create_tracker(sender)
    timings["retrieve"].append(time.perf_counter() - started)
    for event in turn_events(turn):
        tracker.update(event)
    started = time.perf_counter()
    await store.save(tracker)
    timings["save"].append(time.perf_counter() - started)


async def drive(store: TrackerStore, turns: int, turns_per_conversation: int) -> dict[str, Any]:
    """`turns` turns over turns/turns_per_conversation conversations, one after another."""
    timings: dict[str, list[float]] = {"retrieve": [], "save": []}
    started = time.perf_counter()
    for turn in range(turns):
        await one_turn(store, f"bench-{turn // turns_per_conversation}", turn, timings)
    elapsed = time.perf_counter() - started
    summary: dict[str, Any] = {name: summarise(values) for name, values in timings.items()}
    summary["turns_per_second"] = round(turns / elapsed, 1)
    return summary


def summarise(values: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds."""
    return {"p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95)}


def redis_store(domain: Domain, db: int) -> TrackerStore:
    """The store endpoints.yml configures with TRACKER_STORE_TYPE=redis, on an emptied database."""
    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()
    return RedisTrackerStore(domain, host="127.0.0.1", port=6379, db=db, key_prefix="bench", record_exp=3600)


def sql_store(domain: Domain, url: str) -> TrackerStore:
    """Rasa's SQLTrackerStore on PostgreSQL, its `events` table emptied."""
    parts = urlparse(url)
    store = SQLTrackerStore(
        domain,
        dialect="postgresql",
        host=parts.hostname,
        port=parts.port,
        db=parts.path.lstrip("/"),
        username=parts.username,
        password=parts.password,
    )
    with store.engine.begin() as connection:
        connection.execute(sa.text("TRUNCATE events"))
    return store


async def main() -> None:
    """Both stores, the same work; the figures as JSON."""
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--turns", type=int, default=1000)
    cli.add_argument("--turns-per-conversation", type=int, default=20)
    cli.add_argument("--redis-db", type=int, default=9)
    cli.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/prod_trackers")
    args = cli.parse_args()
    domain = Domain.load(str(ROOT / "domain.yml"))
    stores = {"redis": redis_store(domain, args.redis_db), "sql_postgresql": sql_store(domain, args.postgres)}
    results = {
        name: await drive(store, args.turns, args.turns_per_conversation) for name, store in stores.items()
    }
    print(json.dumps({"turns": args.turns, "turns_per_conversation": args.turns_per_conversation, **results}))


if __name__ == "__main__":
    asyncio.run(main())
