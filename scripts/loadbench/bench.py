"""One bench run: our stack (as `make run` starts it) and the starter bot side by side, level by level."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from scripts.loadbench import accounts, profile, stats
from scripts.loadbench.anchor import Anchor
from scripts.loadbench.broker import EventTail
from scripts.loadbench.clients import Client, RestClient, SocketClient, TwilioAccount, TwilioClient
from scripts.loadbench.dialogues import Debtor, reached, script
from scripts.loadbench.load import Plan, measure
from tests.integration.running import SERVICES, Stack

CHANNELS = ("rest", "twilio", "socketio")
HTTP_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=200)
TURN_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Settings:
    """What to run: concurrency levels, conversations per level = rounds x concurrency, channels."""

    levels: tuple[int, ...]
    rounds: int
    channels: tuple[str, ...] = CHANNELS
    profile_seconds: int = 20

    def conversations(self) -> int:
        """Bench accounts needed: one per conversation of ours, plus the warm-up's."""
        return sum(level * self.rounds for level in self.levels) * len(self.channels) + 1


@dataclass
class Numbers:
    """Hands out consecutive conversation numbers (= bench account indices)."""

    next: int = 0

    def take(self, count: int) -> range:
        """The next `count` numbers."""
        taken = range(self.next, self.next + count)
        self.next += count
        return taken


@dataclass
class Ours:
    """Our running stack and what the load generator needs to talk to it."""

    stack: Stack
    http: httpx.AsyncClient
    tail: EventTail
    debtors: list[Debtor]
    acks: list[float] = field(default_factory=list)

    def pids(self) -> dict[str, int]:
        """Each Procfile service's process."""
        return {name: self.stack.processes[name].pid for name in SERVICES}

    def twilio(self) -> TwilioAccount:
        """The signing facts of the stack's env file."""
        env = self.stack.env
        return TwilioAccount(
            env["TWILIO_ACCOUNT_SID"],
            env["TWILIO_AUTH_TOKEN"],
            env["PUBLIC_BASE_URL"],
            env["TWILIO_FROM_NUMBER"],
        )

    def factory(self, channel: str) -> Callable[[int], Client]:
        """Conversation number -> client on `channel`."""
        if channel == "twilio":
            account = self.twilio()
            return lambda n: TwilioClient(self.http, self.tail, account, self.debtors[n].phone, self.acks)
        if channel == "socketio":
            secret = self.stack.env["WEBCHAT_JWT_SECRET"]
            return lambda n: SocketClient(self.stack.rasa_url, secret, self.tail)
        return lambda n: RestClient(self.http)


def http_client(base_url: str) -> httpx.AsyncClient:
    """A pooled client with room for every concurrent conversation."""
    return httpx.AsyncClient(base_url=base_url, limits=HTTP_LIMITS, timeout=TURN_TIMEOUT_SECONDS)


def broker_file(stack: Stack) -> Path:
    """The SQLite file of the stack's event broker."""
    return Path(stack.env["EVENT_BROKER_URL"].removeprefix("sqlite:///"))


async def level_of_ours(ours: Ours, channel: str, plan: Plan) -> dict[str, Any]:
    """One level of ours on one channel (with the webhook acks of that level on Twilio)."""
    ours.acks.clear()
    result = await measure(plan, ours.factory(channel), ours.pids())
    if channel == "twilio":
        result["webhook_ack"] = stats.latency_summary(list(ours.acks))
    return result


async def profiled(ours: Ours, settings: Settings, work: Any, folder: Path) -> tuple[Any, dict[str, Any]]:
    """Run `work` while py-spy samples the Rasa process; the top frames, or why there are none."""
    output = folder / "rasa.pyspy.txt"
    spy = profile.record(ours.stack.processes["rasa"].pid, settings.profile_seconds, output)
    result = await work
    if spy is None:
        return result, {"note": "py-spy is not installed in .venv/bot nor on PATH: no profile taken"}
    await asyncio.to_thread(spy.wait)
    text = output.read_text() if output.exists() else ""
    return result, {"seconds": settings.profile_seconds, "top_frames": profile.top_frames(text)}


def anchor_scripts(number: int) -> tuple[str, ...]:
    """The starter bot's conversation (the same for every number)."""
    return script("rest", None)


def our_scripts(ours: Ours, channel: str) -> Callable[[int], tuple[str, ...]]:
    """Conversation number -> our script on `channel` for that number's bench account."""
    return lambda number: script(channel, ours.debtors[number])


async def warm_up(ours: Ours, anchor_http: httpx.AsyncClient, numbers: Numbers) -> None:
    """One unmeasured conversation each, so first-use costs (graph warm-up, connections) are not counted."""
    await measure(Plan(1, numbers.take(1), our_scripts(ours, "rest"), reached), ours.factory("rest"), {})
    await measure(Plan(1, range(1), anchor_scripts), lambda n: RestClient(anchor_http), {})


async def run_levels(ours: Ours, anchor: Anchor, settings: Settings, folder: Path) -> dict[str, Any]:
    """Every level: ours on each channel, then the anchor over REST at the same concurrency."""
    numbers, levels, profiles = Numbers(), dict[str, Any](), dict[str, Any]()
    anchor_pids = {name: process.pid for name, process in anchor.processes.items()}
    async with http_client(anchor.rasa_url) as anchor_http:
        await warm_up(ours, anchor_http, numbers)
        for concurrency in settings.levels:
            count = concurrency * settings.rounds
            mine: dict[str, Any] = {}
            for channel in settings.channels:
                plan = Plan(concurrency, numbers.take(count), our_scripts(ours, channel), reached)
                work = level_of_ours(ours, channel, plan)
                if channel == "rest" and concurrency == max(settings.levels):
                    mine[channel], profiles = await profiled(ours, settings, work, folder)
                else:
                    mine[channel] = await work
            plan = Plan(concurrency, range(count), anchor_scripts)
            theirs = await measure(plan, lambda n: RestClient(anchor_http), anchor_pids)
            levels[str(concurrency)] = {"ours": mine, "anchor": {"rest": theirs}}
    return {"levels": levels, "profile": profiles}


async def bench(stack: Stack, anchor: Anchor, settings: Settings, folder: Path) -> dict[str, Any]:
    """Create the bench accounts, follow the event broker, run every level."""
    debtors = await accounts.create(stack.api_url, stack.env["API_TOKEN"], settings.conversations())
    tail = EventTail(broker_file(stack))
    follower = asyncio.create_task(tail.follow())
    try:
        async with http_client(stack.rasa_url) as http:
            return await run_levels(Ours(stack, http, tail, debtors), anchor, settings, folder)
    finally:
        follower.cancel()


def machine() -> dict[str, Any]:
    """The conditions of the run: cores and load average (other work shares this machine)."""
    return {"cpus": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def model_name(root: Path) -> str:
    """The trained model file our stack served."""
    return next((path.name for path in sorted((root / "models").glob("*.tar.gz"))), "")


def all_levels(levels: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every measured level of every bot and channel."""
    for bots in levels.values():
        for channels in bots.values():
            yield from channels.values()
