"""The bench's JSON report and the markdown table printed for the README."""

from __future__ import annotations

from typing import Any

HEADER = (
    "| bot | channel | concurrent | turns/s | p50 / p95 / p99 ms | CPU ms per turn (all processes) "
    "| CPU ms per turn by process | RSS MB by process | verified |\n|---|---|---|---|---|---|---|---|---|"
)


def by_process(values: dict[str, float]) -> str:
    """`rasa 180, actions 30` for a table cell."""
    return ", ".join(f"{name} {value:,.0f}" for name, value in values.items())


def row(bot: str, channel: str, concurrency: str, level: dict[str, Any]) -> str:
    """One table row for one measured level."""
    latency = f"{level['p50_ms']:,.0f} / {level['p95_ms']:,.0f} / {level['p99_ms']:,.0f}"
    verified = f"{level['verified']}/{level['conversations']}" if bot == "ours" else "-"
    return (
        f"| {bot} | {channel} | {concurrency} | {level['turns_per_second']:.2f} | {latency} "
        f"| {level['cpu_ms_per_turn_total']:,.0f} | {by_process(level['cpu_ms_per_turn'])} "
        f"| {by_process(level['rss_mb'])} | {verified} |"
    )


def cpu_ratio(ours: dict[str, Any], anchor: dict[str, Any]) -> float | None:
    """Our CPU per turn over the starter bot's (all processes), same channel, same concurrency."""
    base = anchor.get("cpu_ms_per_turn_total") or 0
    return round(ours["cpu_ms_per_turn_total"] / base, 2) if base else None


def ratios(levels: dict[str, dict[str, dict[str, Any]]]) -> dict[str, float | None]:
    """Per concurrency: ours (REST) / anchor (REST) CPU per turn."""
    return {
        concurrency: cpu_ratio(bots["ours"]["rest"], bots["anchor"]["rest"])
        for concurrency, bots in levels.items()
        if "rest" in bots.get("ours", {}) and "rest" in bots.get("anchor", {})
    }


def markdown(result: dict[str, Any]) -> str:
    """The table of every level, then the CPU ratios, the ack figure and the profile."""
    lines = [HEADER]
    for concurrency, bots in result["levels"].items():
        for bot, channels in bots.items():
            lines += [row(bot, channel, concurrency, level) for channel, level in channels.items()]
    ratio = ", ".join(f"{c} concurrent: {r}x" for c, r in result["cpu_ratio_ours_over_anchor"].items())
    lines.append(f"\nCPU per turn, ours / starter bot (REST, all processes): {ratio}")
    for entry in result.get("profile", {}).get("top_frames", []):
        lines.append(f"- {entry['share']:.1%} {entry['frame']}")
    if note := result.get("profile", {}).get("note"):
        lines.append(f"\nProfile: {note}")
    return "\n".join(lines)
