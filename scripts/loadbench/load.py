"""Drive whole conversations at a fixed concurrency and measure turns, latency, CPU and memory."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scripts.loadbench import procstats, stats
from scripts.loadbench.clients import Client

TURN_SECONDS = 120.0
"""A turn not finished in this time fails its conversation (a stuck channel must not hang the bench)."""

ClientFactory = Callable[[int], Client]
"""Conversation number -> a fresh client for it (its own sender, phone or socket)."""
Goals = Callable[[list[list[str]]], dict[str, bool]]
"""The bot's replies of one conversation -> which of its milestones it reached (dialogues.reached)."""
EXAMPLES = 3
"""Incomplete conversations whose last replies the report keeps, to tell why they stopped short."""


def no_goals(replies: list[list[str]]) -> dict[str, bool]:
    """A conversation with no milestones (the starter bot's): complete when every turn was answered."""
    return {}


@dataclass
class Run:
    """What one level measured."""

    latencies: list[float] = field(default_factory=list)
    reached: Counter[str] = field(default_factory=Counter)
    completed: int = 0
    failed: list[str] = field(default_factory=list)
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    conversations: int = 0

    def record(self, goals: dict[str, bool], replies: list[list[str]], error: str | None) -> None:
        """One finished conversation: the milestones it reached, whether it reached its end, why not."""
        self.conversations += 1
        self.reached.update(name for name, done in goals.items() if done)
        if error is None and all(goals.values()):
            self.completed += 1
            return
        if error is not None:
            self.failed.append(error)
        if len(self.incomplete) < EXAMPLES:
            missing = [name for name, done in goals.items() if not done]
            self.incomplete.append({"missing": missing, "error": error, "last_replies": replies[-2:]})


@dataclass(frozen=True)
class Plan:
    """One measured level: which conversations, how many at once."""

    concurrency: int
    conversations: range
    scripts: Callable[[int], tuple[str, ...]]
    goals: Goals = no_goals


async def converse(client: Client, turns: tuple[str, ...], goals: Goals, run: Run) -> None:
    """One whole conversation; every turn's latency is recorded, a failure ends the conversation, and
    the conversation counts as complete only when every turn was answered and every milestone reached."""
    replies: list[list[str]] = []
    error = None
    try:
        await asyncio.wait_for(client.open(), TURN_SECONDS)
        for text in turns:
            started = time.perf_counter()
            replies.append(await asyncio.wait_for(client.send(text), TURN_SECONDS))
            run.latencies.append(time.perf_counter() - started)
    except Exception as failure:  # any failure ends this conversation, not the bench
        error = f"{type(failure).__name__}: {failure}"[:200]
    finally:
        await client.close()
    run.record(goals(replies), replies, error)


async def drive(plan: Plan, factory: ClientFactory) -> Run:
    """`plan.concurrency` conversations at a time until every conversation of the plan has run."""
    run, pending = Run(), iter(plan.conversations)

    async def worker(numbers: Iterator[int]) -> None:
        for number in numbers:
            await converse(factory(number), plan.scripts(number), plan.goals, run)

    await asyncio.gather(*(worker(pending) for _ in range(plan.concurrency)))
    return run


def usage_of(pids: dict[str, int]) -> dict[str, procstats.Usage]:
    """CPU and RSS of each service's process tree now."""
    return {name: procstats.usage(pid) for name, pid in pids.items()}


def own_cpu() -> float:
    """The load generator's own CPU seconds (it shares the machine's 2 cores)."""
    times = os.times()
    return times.user + times.system


def level_report(
    run: Run,
    seconds: float,
    before: dict[str, procstats.Usage],
    after: dict[str, procstats.Usage],
    generator_cpu: float,
) -> dict[str, Any]:
    """turns/s, latency percentiles, CPU per turn and RSS per process of one level."""
    turns = len(run.latencies)
    cpu = {name: after[name].cpu_seconds - before[name].cpu_seconds for name in after}
    return {
        "conversations": run.conversations,
        "completed": run.completed,
        "reached": dict(run.reached),
        "verified": run.reached["verified"],
        "failed": len(run.failed),
        "failures": run.failed[:5],
        "incomplete_examples": run.incomplete,
        "turns": turns,
        "seconds": round(seconds, 2),
        "turns_per_second": round(turns / seconds, 2) if seconds else 0.0,
        **stats.latency_summary(run.latencies),
        "cpu_ms_per_turn": {name: stats.per_turn_ms(value, turns) for name, value in cpu.items()},
        "cpu_ms_per_turn_total": stats.per_turn_ms(sum(cpu.values()), turns),
        "load_generator_cpu_ms_per_turn": stats.per_turn_ms(generator_cpu, turns),
        "rss_mb": {name: round(usage.rss_bytes / 2**20, 1) for name, usage in after.items()},
    }


async def measure(plan: Plan, factory: ClientFactory, pids: dict[str, int]) -> dict[str, Any]:
    """Run one level and report it."""
    before, generator, started = usage_of(pids), own_cpu(), time.perf_counter()
    run = await drive(plan, factory)
    seconds, generator_cpu = time.perf_counter() - started, own_cpu() - generator
    return level_report(run, seconds, before, usage_of(pids), generator_cpu)
