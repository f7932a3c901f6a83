"""Benchmark /model/parse latency of a trained model, with the distress component's share, and memory.

Usage: python scripts/bench_nlu.py [--model models/x.tar.gz] [--n 300]
Loads the model with Rasa's Agent, parses n varied SMS-like messages after a warm-up, times every
graph node, and prints JSON: parse p50/p95, the same without the DistressDetector node (it runs
after the featurizer and reuses its embedding, so removing it removes exactly its own time),
per-component p50 and the process RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.distress.detector import DistressDetector

OPENERS = ["", "hi ", "hey, ", "ok so ", "um ", "hello. ", "sorry, ", "yes ", "look, "]
BODIES = [
    "how much do i owe",
    "can i pay {n} on friday",
    "i can do {n} a month",
    "i already paid this last {day}, fix it",
    "this isnt my debt",
    "send me proof i owe this",
    "stop texting me",
    "i lost my job and i dont know what to do anymore",
    "please i have {k} kids, i cant pay all of it",
    "who is this",
    "is this a bot",
    "can i talk to a real person",
    "whats the payoff if i pay today",
    "i want to set up a payment plan",
    "can we do biweekly payments of {n}",
    "my lawyer is handling this",
    "i filed for bankruptcy in {month}",
    "my husband passed away in {month} and these bills are in his name",
    "i get paid on the {d}th so i'll pay then",
    "would you take {n} to settle the whole thing",
    "my zip is 6061{k}",
    "i'm so stressed about this i cant sleep",
    "only text me after 6pm please",
    "thanks, that works",
    "no",
    "i'm at work, text me later",
    "what company is this for and what is the original creditor",
    "everything is falling apart and now this",
    "i want the itemized statement before i pay anything, i was never sent a validation notice and "
    "honestly i dont even remember opening this account in {month}",
    "can you lower the payment to {n}, rent went up and my hours got cut, i have {k} kids",
]
CLOSERS = ["", " thanks", " pls", "?", "!!", " asap", " ok", ".", " lol"]


def messages(n: int, seed: int = 7) -> list[str]:
    """n varied, distinct SMS-like messages (short to long), reproducible."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        body = rng.choice(BODIES).format(
            n=rng.choice([20, 25, 40, 50, 75, 100, 150, 200, 500]),
            k=rng.randint(1, 5),
            d=rng.choice([1, 5, 10, 15, 20, 25]),
            day=rng.choice(["monday", "week", "month", "friday"]),
            month=rng.choice(["march", "june", "october", "january"]),
        )
        seen[rng.choice(OPENERS) + body + rng.choice(CLOSERS)] = None
    return list(seen)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/mean in milliseconds."""
    array = np.array(values) * 1000
    return {
        "p50_ms": round(float(np.percentile(array, 50)), 2),
        "p95_ms": round(float(np.percentile(array, 95)), 2),
        "mean_ms": round(float(array.mean()), 2),
    }


def rss_mb() -> dict[str, float]:
    """Current and peak resident memory of this process (Linux /proc)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def instrument(agent: Any) -> tuple[dict[str, list[float]], str | None]:
    """Wraps every graph node's function with a timer; returns the timings and the distress node."""
    timings: dict[str, list[float]] = defaultdict(list)
    distress_node = None
    for name, node in agent.processor.graph_runner._instantiated_nodes.items():
        node._fn = _timed(node._fn, timings[name])
        if node._component_class is DistressDetector:
            distress_node = name
    return timings, distress_node


def _timed(function: Callable[..., Any], sink: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            sink.append(time.perf_counter() - started)

    return wrapper


def quiet_logs() -> None:
    """Info-level logging, as `rasa run` configures it: debug lines would be timed too."""
    import structlog

    logging.basicConfig(level=logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))


async def run(model: Path, n: int, warm_up: int) -> dict[str, Any]:
    """Loads the model, warms up, parses n messages one by one."""
    from rasa.core.agent import Agent

    quiet_logs()
    memory_before = rss_mb()
    started = time.perf_counter()
    agent = Agent.load(str(model))
    load_seconds = time.perf_counter() - started
    timings, distress_node = instrument(agent)
    texts = messages(n + warm_up)
    for text in texts[:warm_up]:
        await agent.parse_message(text)
    for sink in timings.values():
        sink.clear()
    totals = []
    for text in texts[warm_up:]:
        started = time.perf_counter()
        await agent.parse_message(text)
        totals.append(time.perf_counter() - started)
    return report(model, totals, timings, distress_node, load_seconds, memory_before)


def report(
    model: Path,
    totals: list[float],
    timings: dict[str, list[float]],
    distress_node: str | None,
    load_seconds: float,
    memory_before: dict[str, float],
) -> dict[str, Any]:
    """The JSON the script prints."""
    result: dict[str, Any] = {"model": model.name, "messages": len(totals), "parse": percentiles(totals)}
    if distress_node and len(timings[distress_node]) == len(totals):
        distress = timings[distress_node]
        result["parse_without_distress"] = percentiles([t - d for t, d in zip(totals, distress, strict=True)])
        result["distress_added"] = percentiles(distress)
    result["components_p50_ms"] = {
        name: round(float(np.percentile(values, 50)) * 1000, 2)
        for name, values in sorted(timings.items(), key=lambda item: -float(np.median(item[1] or [0])))
        if values
    }
    result["load_seconds"] = round(load_seconds, 1)
    result["memory"] = {"before_load": memory_before, "after": rss_mb()}
    return result


def main() -> None:
    """Parses arguments, runs the benchmark, prints JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: newest in models/)")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=20)
    parser.add_argument("--output", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    model = args.model or _newest(Path("models"))
    result = asyncio.run(run(model, args.n, args.warm_up))
    text = json.dumps(result, indent=2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


def _newest(models_dir: Path) -> Path:
    archives = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not archives:
        raise SystemExit(f"no model in {models_dir}: run `make train` first or pass --model")
    return archives[-1]


if __name__ == "__main__":
    main()
