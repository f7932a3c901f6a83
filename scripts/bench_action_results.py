"""Micro-benchmark: Rasa's check of one action server response, stock (jsonschema.validate) vs compiled once.

Run in the bot environment: `.venv/bot/bin/python scripts/bench_action_results.py`; prints JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasa.core.actions.action import RemoteAction

from channels import action_results

# A typical response of our action server: a few slots, a form step, two messages with buttons.
RESPONSE: dict[str, Any] = {
    "events": [
        {"event": "slot", "timestamp": None, "name": "verified", "value": True},
        {"event": "slot", "timestamp": None, "name": "account_id", "value": "acct-1"},
        {"event": "slot", "timestamp": None, "name": "dob", "value": None},
        {"event": "slot", "timestamp": None, "name": "zip_code", "value": None},
        {"event": "active_loop", "timestamp": None, "name": None},
    ],
    "responses": [
        {"response": "utter_balance", "amount": "665.00"},
        {"text": "What would you like to do?", "buttons": [{"title": "Pay", "payload": "/pay"}]},
    ],
}
ROUNDS, NUMBER = 7, 200


def per_call_ms(validate: Any) -> list[float]:
    """Milliseconds per validation, one figure per round."""
    action = RemoteAction("action_bench", None)
    timer = timeit.Timer(lambda: validate(action, RESPONSE))
    return [seconds / NUMBER * 1000 for seconds in timer.repeat(repeat=ROUNDS, number=NUMBER)]


def summary(times: list[float]) -> dict[str, float]:
    """Median and best of the rounds."""
    return {"median_ms": round(statistics.median(times), 4), "best_ms": round(min(times), 4)}


def main() -> None:
    """Time both and print the figures."""
    stock = summary(per_call_ms(action_results.STOCK_VALIDATE))
    compiled = summary(per_call_ms(action_results.validate_action_result))
    speedup = round(stock["median_ms"] / compiled["median_ms"], 1)
    print(json.dumps({"stock": stock, "compiled": compiled, "speedup": speedup, "calls": ROUNDS * NUMBER}))


if __name__ == "__main__":
    main()
