"""Totals over a split's results, the JSON report and the short table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conversations.runner import Result


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def totals(results: list[Result]) -> dict[str, Any]:
    """% reaching the expected end, conversations with two "didn't understand" in a row, first replies."""
    count, must_verify = len(results), [r for r in results if r.first_reply_must_verify]
    return {
        "conversations": count,
        "reached_end": sum(r.reached_end for r in results),
        "reached_end_pct": _percent(sum(r.reached_end for r in results), count),
        "two_not_understood_in_a_row": sum(r.max_not_understood_in_a_row >= 2 for r in results),
        "first_reply_leads_to_verification_pct": _percent(
            sum(r.first_reply_leads_to_verification for r in must_verify), len(must_verify)
        ),
        "openings_without_verification": count - len(must_verify),
    }


def write(path: Path, split: str, model: str, results: list[Result]) -> dict[str, Any]:
    """Write reports/conversations_<split>.json; what it wrote."""
    report = {
        "split": split,
        "model": model,
        "totals": totals(results),
        "conversations": [r.as_json() for r in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report


def table(results: list[Result]) -> str:
    """One line per conversation and the totals."""
    lines = [f"{'conversation':40} {'chan':4} {'end':4} {'fail@':5} {'dnu':3}  first failure"]
    for r in results:
        turn = "-" if r.first_failing_turn is None else str(r.first_failing_turn)
        why = (r.failure or "; ".join(r.end_problems))[:90]
        mark = "yes" if r.reached_end else "NO"
        lines.append(
            f"{r.name[:40]:40} {r.channel:4} {mark:4} {turn:5} {r.max_not_understood_in_a_row:3}  {why}"
        )
    t = totals(results)
    lines.append(
        f"reached the end: {t['reached_end']}/{t['conversations']} ({t['reached_end_pct']}%); "
        f"two 'didn't understand' in a row: {t['two_not_understood_in_a_row']}; "
        f"first reply leads to verification: {t['first_reply_leads_to_verification_pct']}% "
        f"(of the {t['conversations'] - t['openings_without_verification']} openings about the account)"
    )
    return "\n".join(lines)
