"""Soak: N debtor messages through the running product, over REST and signed Twilio webhooks.

Starts the stack as the integration tests do (tests/integration/running.py `running_stack`, on a Redis
server of its own), then C concurrent debtors hold whole conversations (greeting, verification, balance,
goodbye), half over REST, half as SMS posted to Rasa's Twilio webhook exactly as Twilio posts them
(signed form, fresh MessageSid; the reply is awaited at the SMS sink, where the worker sends it).
It samples every service's RSS (its whole process group) once the warm-up messages are done and at the
end, and counts every error response. With `--bad-input`, the second half of the run also carries
duplicate Twilio deliveries, slow clients, oversized and malformed requests (scripts/soak_abuse.py), and
the normal conversations' latency is reported for each half. Loopback only; bounded by --messages.

    .venv/bot/bin/python scripts/soak.py --messages 10000 --concurrency 8 --bad-input
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import soak_abuse  # noqa: E402
from sms_sink.wire import SIGNATURE_HEADER, signature  # noqa: E402
from tests.integration.running import Backing, Stack, running_stack  # noqa: E402
from tests.integration.servers import own_redis  # noqa: E402

CONVERSATION = ("hi", "ACME-1001", "03/14/1985", "20001", "how much do I owe", "thanks, bye")
"""A verified debtor asking for the balance: every part of a turn runs (NLU, policies, actions, API)."""
SERVICE_TROUBLE = "something went wrong on our side"
REPLY_WAIT_SECONDS = 90.0
OUR_NUMBER = "+15005550006"
SERVICES = ("api", "worker", "actions", "rasa", "sms")


@dataclass
class Tally:
    """What the run saw: outcomes by kind, latencies by phase, RSS samples by moment."""

    target: int
    warmup: int
    sent: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"baseline": [], "bad_input": []})
    rss: dict[str, dict[str, int]] = field(default_factory=dict)
    abuse: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def claim(self) -> int | None:
        """The number of the next message to send, or None when the run has sent enough."""
        if self.sent >= self.target:
            return None
        self.sent += 1
        return self.sent

    @property
    def phase(self) -> str:
        return "bad_input" if self.sent > self.target // 2 else "baseline"


def group_rss_kib(leader: int) -> int:
    """RSS of every process in the process group `leader` leads (a service and anything it forks)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == leader:  # the process group id
                total += rss_kib(stat.parent / "status")
        except (OSError, IndexError, ValueError):
            continue
    return total


def rss_kib(status: Path) -> int:
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sample_rss(stack: Stack) -> dict[str, int]:
    return {name: group_rss_kib(stack.processes[name].pid) for name in SERVICES}


async def rest_turn(http: httpx.AsyncClient, stack: Stack, sender: str, text: str) -> str:
    """One REST message; the outcome's name."""
    reply = await http.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
    )
    if reply.status_code != 200:
        return f"rest_http_{reply.status_code}"
    texts = " ".join(str(m.get("text", "")) for m in reply.json())
    if SERVICE_TROUBLE in texts:
        return "rest_service_trouble"
    return "rest_ok" if texts else "rest_no_reply"


def twilio_request(stack: Stack, sender: str, text: str, sid: str | None = None) -> dict[str, Any]:
    """The signed form Twilio would post for one SMS (httpx request arguments)."""
    params = {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": stack.env["TWILIO_ACCOUNT_SID"],
        "From": sender,
        "To": OUR_NUMBER,
        "Body": text,
        "NumMedia": "0",
    }
    url = stack.twilio_webhook_url  # where Twilio posts, and what it signs
    headers = {
        SIGNATURE_HEADER: signature(stack.env["TWILIO_AUTH_TOKEN"], url, params),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return {"url": url, "content": urlencode(params), "headers": headers}


async def sink_revision(http: httpx.AsyncClient, stack: Stack, number: str) -> int:
    query = {"number": number, "since": 0, "wait": 0}
    return int((await http.get(f"{stack.sink_url}/api/messages", params=query)).json()["revision"])


async def sink_replies(http: httpx.AsyncClient, stack: Stack, number: str, since: int) -> list[str]:
    """The bot's SMS to `number` after revision `since`, waiting up to REPLY_WAIT_SECONDS for the first."""
    deadline = time.monotonic() + REPLY_WAIT_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        query = {"number": number, "since": since, "wait": min(5.0, left)}
        answer = (await http.get(f"{stack.sink_url}/api/messages", params=query)).json()
        bodies = [m["body"] for m in answer["messages"] if m["direction"] == "outbound"]
        if bodies:
            return bodies
    return []


async def sms_turn(http: httpx.AsyncClient, stack: Stack, sender: str, text: str) -> str:
    """One SMS through the webhook, then its reply at the sink; the outcome's name."""
    since = await sink_revision(http, stack, sender)
    ack = await http.post(**twilio_request(stack, sender, text))
    if ack.status_code != 200:
        return f"sms_http_{ack.status_code}"
    bodies = await sink_replies(http, stack, sender, since)
    if not bodies:
        return "sms_no_reply"
    return "sms_service_trouble" if SERVICE_TROUBLE in " ".join(bodies) else "sms_ok"


async def turn(http: httpx.AsyncClient, stack: Stack, channel: str, sender: str, text: str) -> str:
    try:
        if channel == "rest":
            return await rest_turn(http, stack, sender, text)
        return await sms_turn(http, stack, sender, text)
    except httpx.HTTPError as error:
        return f"{channel}_{type(error).__name__}"


async def debtor(http: httpx.AsyncClient, stack: Stack, tally: Tally, channel: str, numbers: Any) -> None:
    """Whole conversations, one after another, until the run has sent its messages."""
    while True:
        sender = next(numbers) if channel == "sms" else f"soak-{uuid.uuid4().hex[:12]}"
        for text in CONVERSATION:
            if tally.claim() is None:
                return
            if tally.sent == tally.warmup:
                tally.rss["after_warmup"] = sample_rss(stack)
            phase, started = tally.phase, time.perf_counter()
            outcome = await turn(http, stack, channel, sender, text)
            tally.outcomes[outcome] += 1
            tally.latencies[phase].append(time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))], 1)


def report(tally: Tally, finished: bool) -> dict[str, Any]:
    """The run's figures: outcomes, errors, latency per phase, RSS growth per service."""
    warm, end = tally.rss.get("after_warmup", {}), tally.rss.get("end", {})
    growth = {
        name: round(100 * (end[name] - warm[name]) / warm[name], 1)
        for name in warm
        if warm[name] and name in end
    }
    ok = {"rest_ok", "sms_ok"}
    return {
        "finished": finished,
        "messages_sent": tally.sent,
        "seconds": round(time.monotonic() - tally.started, 1),
        "outcomes": dict(tally.outcomes),
        "error_responses": sum(n for k, n in tally.outcomes.items() if k not in ok),
        "latency_ms": {
            phase: {
                "n": len(v),
                "p50": percentile(v, 0.5),
                "p95": percentile(v, 0.95),
                "max": percentile(v, 1),
            }
            for phase, v in tally.latencies.items()
        },
        "rss_kib": tally.rss,
        "rss_growth_percent": growth,
        "bad_input": dict(tally.abuse),
    }


async def checkpoint(tally: Tally, stack: Stack, path: Path, every: float) -> None:
    """Write the report so far every `every` seconds (a long run leaves figures even if stopped)."""
    while True:
        await asyncio.sleep(every)
        tally.rss[f"at_{tally.sent}"] = sample_rss(stack)
        path.write_text(json.dumps(report(tally, finished=False), indent=2))


async def until_done(debtors: list[Any], stop: asyncio.Event) -> None:
    """Run the debtors to the end of the run, then tell the bad input to finish its round."""
    await asyncio.gather(*debtors)
    stop.set()


async def soak(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    tally = Tally(target=args.messages, warmup=max(1, args.messages * args.warmup_percent // 100))
    numbers = (f"+1202{n:07d}" for n in itertools.count(5550200))
    limits = httpx.Limits(max_connections=args.concurrency * 4)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        debtors = [
            debtor(http, stack, tally, "rest" if i % 2 == 0 else "sms", numbers)
            for i in range(args.concurrency)
        ]
        saver = asyncio.create_task(checkpoint(tally, stack, args.report, 60))
        stop = asyncio.Event()
        abuser = soak_abuse.abuse(stack, tally, twilio_request, stop) if args.bad_input else asyncio.sleep(0)
        await asyncio.gather(until_done(debtors, stop), abuser)
        saver.cancel()
    tally.rss["end"] = sample_rss(stack)
    return report(tally, finished=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup-percent", type=int, default=10, help="messages before the first RSS sample")
    parser.add_argument("--bad-input", action="store_true", help="bad input during the second half")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "soak.json")
    parser.add_argument("--keep", type=Path, default=None, help="keep the stack's logs in this folder")
    args = parser.parse_args(argv)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    with own_redis() as redis_server, tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        with running_stack(tmp, backing=Backing(redis_db=0, redis_port=redis_server.port)) as stack:
            figures = asyncio.run(soak(stack, args))
    args.report.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0 if figures["error_responses"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
