"""Latency percentiles and throughput of one measured level."""

from __future__ import annotations

import math


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 / max in milliseconds (all zero when nothing was measured)."""
    if not seconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ms = [value * 1000 for value in seconds]
    points = {"p50_ms": 0.5, "p95_ms": 0.95, "p99_ms": 0.99, "max_ms": 1.0}
    return {name: round(percentile(ms, fraction), 1) for name, fraction in points.items()}


def per_turn_ms(cpu_seconds: float, turns: int) -> float:
    """CPU milliseconds per turn."""
    return round(cpu_seconds * 1000 / turns, 1) if turns else 0.0
