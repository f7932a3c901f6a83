"""Drive whole conversations at a fixed concurrency and measure turns, latency, CPU and memory."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scripts.loadbench import procstats, stats
from scripts.loadbench.clients import Client
from scripts.loadbench.dialogues import was_verified

TURN_SECONDS = 120.0
"""A turn not finished in this time fails its conversation (a stuck channel must not hang the bench)."""

ClientFactory = Callable[[int], Client]
"""Conversation number -> a fresh client for it (its own sender, phone or socket)."""


@dataclass
class Run:
    """What one level measured."""

    latencies: list[float] = field(default_factory=list)
    verified: int = 0
    failed: list[str] = field(default_factory=list)
    conversations: int = 0


@dataclass(frozen=True)
class Plan:
    """One measured level: which conversations, how many at once."""

    concurrency: int
    conversations: range
    scripts: Callable[[int], tuple[str, ...]]


async def converse(client: Client, turns: tuple[str, ...], run: Run) -> None:
    """One whole conversation; every turn's latency is recorded, a failure ends the conversation."""
    replies: list[list[str]] = []
    try:
        await asyncio.wait_for(client.open(), TURN_SECONDS)
        for text in turns:
            started = time.perf_counter()
            replies.append(await asyncio.wait_for(client.send(text), TURN_SECONDS))
            run.latencies.append(time.perf_counter() - started)
    except Exception as error:
        run.failed.append(f"{type(error).__name__}: {error}"[:200])
    finally:
        await client.close()
    run.verified += was_verified(replies)
    run.conversations += 1


async def drive(plan: Plan, factory: ClientFactory) -> Run:
    """`plan.concurrency` conversations at a time until every conversation of the plan has run."""
    run, pending = Run(), iter(plan.conversations)

    async def worker(numbers: Iterator[int]) -> None:
        for number in numbers:
            await converse(factory(number), plan.scripts(number), run)

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
        "verified": run.verified,
        "failed": len(run.failed),
        "failures": run.failed[:5],
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
