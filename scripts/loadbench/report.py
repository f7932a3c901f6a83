"""The bench's JSON report and the markdown table printed for the README."""

from __future__ import annotations

from typing import Any

HEADER = (
    "| bot | channel | concurrent | turns/s | p50 / p95 / p99 ms | CPU ms per turn (all processes) "
    "| CPU ms per turn by process | RSS MB by process | completed |\n|---|---|---|---|---|---|---|---|---|"
)
ENDS = "verified, balance told, plan set up"
"""What a whole conversation of ours reaches (dialogues.MILESTONES); the anchor's: every turn answered."""


def by_process(values: dict[str, float]) -> str:
    """`rasa 180, actions 30` for a table cell."""
    return ", ".join(f"{name} {value:,.0f}" for name, value in values.items())


def row(bot: str, channel: str, concurrency: str, level: dict[str, Any]) -> str:
    """One table row for one measured level."""
    latency = f"{level['p50_ms']:,.0f} / {level['p95_ms']:,.0f} / {level['p99_ms']:,.0f}"
    completed = f"{level['completed']}/{level['conversations']}"
    return (
        f"| {bot} | {channel} | {concurrency} | {level['turns_per_second']:.2f} | {latency} "
        f"| {level['cpu_ms_per_turn_total']:,.0f} | {by_process(level['cpu_ms_per_turn'])} "
        f"| {by_process(level['rss_mb'])} | {completed} |"
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


def bot_levels(levels: dict[str, dict[str, dict[str, Any]]], bot: str) -> list[dict[str, Any]]:
    """Every measured level of one bot, all channels and concurrencies."""
    return [level for bots in levels.values() for level in bots.get(bot, {}).values()]


def tally(levels: list[dict[str, Any]]) -> dict[str, Any]:
    """Conversations run and completed over these levels, and which milestones they reached."""
    reached: dict[str, int] = {}
    for level in levels:
        for name, count in level.get("reached", {}).items():
            reached[name] = reached.get(name, 0) + count
    total, completed = (sum(level[key] for level in levels) for key in ("conversations", "completed"))
    return {"conversations": total, "completed": completed, "reached": reached}


def incomplete(levels: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """`ours socketio at 8: 3/16 completed` for every level where a conversation stopped short."""
    return [
        f"{bot} {channel} at {concurrency}: {level['completed']}/{level['conversations']} completed"
        for concurrency, bots in levels.items()
        for bot, channels in bots.items()
        for channel, level in channels.items()
        if level["completed"] < level["conversations"]
    ]


def check(levels: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Whether every conversation reached its end (ours: ENDS); a WARNING naming the levels if not."""
    result: dict[str, Any] = {"ours": tally(bot_levels(levels, "ours"))}
    result["anchor"] = tally(bot_levels(levels, "anchor"))
    short = incomplete(levels)
    result["all_completed"] = not short and result["ours"]["conversations"] > 0
    if not result["all_completed"]:
        result["WARNING"] = (
            f"NOT EVERY CONVERSATION REACHED ITS END (ours: {ENDS}): "
            + ("; ".join(short) or "no conversation of ours ran")
            + ". The figures of those levels measure shorter conversations and are not comparable."
        )
    return result


def markdown(result: dict[str, Any]) -> str:
    """The table of every level, then the CPU ratios, the ack figure and the profile."""
    lines = [HEADER]
    if warning := result.get("conversations_check", {}).get("WARNING"):
        lines.insert(0, f"**WARNING: {warning}**\n")
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
