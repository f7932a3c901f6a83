"""Measure what asking the API for each bot message (the NLG route, channels/nlg.py) adds per message.

Starts the accounts API as `make run` does (stack/: its Procfile line and an env file from .env.example,
a fresh SQLite file unless --database-url), migrates it and seeds the responses from domain.yml, then
generates N messages one after another, cycling through every response of domain.yml with a tracker of
a verified conversation (domain.yml's slots, 40 events): through FallbackNaturalLanguageGenerator (the
API, as endpoints.yml configures it) and through Rasa's TemplatedNaturalLanguageGenerator (domain.yml
alone). Prints p50/p95 of each and of the difference. Loopback only. Run with the bot environment:

    .venv/bot/bin/python scripts/bench_nlg.py --messages 300
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from channels.nlg import FallbackNaturalLanguageGenerator  # noqa: E402
from scripts.bench_twilio_ack import percentile  # noqa: E402
from stack.services import start_api  # noqa: E402


def tracker(domain: Domain) -> DialogueStateTracker:
    """A verified conversation of 10 turns (40 events), as the NLG request carries it."""
    events = [SlotSet("verified", True), SlotSet("distress_level", "none"), SlotSet("account_id", "a" * 36)]
    for turn in range(10):
        events += [
            UserUttered(f"message {turn}", {"name": "ask_balance", "confidence": 0.9}),
            ActionExecuted("utter_balance"),
            BotUttered(f"reply {turn}"),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events("bench", events, slots=domain.slots)


async def measure(api_url: str, token: str, messages: int) -> tuple[list[float], list[float]]:
    domain = Domain.load(str(ROOT / "domain.yml"))
    config = EndpointConfig(
        f"{api_url}/api/v1/nlg", headers={"Authorization": f"Bearer {token}"}, timeout=0.5
    )
    remote, local = (
        FallbackNaturalLanguageGenerator(config, domain),
        TemplatedNaturalLanguageGenerator(domain.responses),
    )
    names, conversation = sorted(domain.responses), tracker(domain)
    timings: tuple[list[float], list[float]] = ([], [])
    for i in range(messages + 10):
        name = names[i % len(names)]
        for generator, results in ((remote, timings[0]), (local, timings[1])):
            started = time.perf_counter()
            message = await generator.generate(
                name, conversation, "twilio", domain_responses=domain.responses
            )
            if message is None:
                raise SystemExit(f"no message for {name}")
            if i >= 10:
                results.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, url, token = start_api(Path(tmp), args.database_url, seed=True)
        try:
            api, domain = asyncio.run(measure(url, token, args.messages))
        finally:
            process.terminate()
            process.wait(timeout=30)
    added = [a - d for a, d in zip(api, domain, strict=True)]
    for label, ms in (("through the API", api), ("domain.yml only", domain), ("added by the API", added)):
        p50, p95 = percentile(ms, 0.5), percentile(ms, 0.95)
        print(f"nlg {label} over {len(ms)} messages: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
