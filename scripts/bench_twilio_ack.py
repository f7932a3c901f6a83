"""Measure how fast the Twilio webhook acknowledges an SMS (signature check + API store + empty TwiML).

Starts the accounts API as `make run` does (stack/: its Procfile line and an env file from .env.example; a
fresh SQLite file unless --database-url) and the Twilio channel on a local Sanic server with a stub in place
of Rasa's agent (the conversation runs after the acknowledgement, so the agent counts only through the CPU
its turns hold Rasa's loop for, --turn-ms); the webhook is served off that loop on a thread of its own (the
`ack_port` credential), or on it with --rasa-loop. Then posts N signed messages from C concurrent senders
and prints p50/p95/p99/max. The senders run in a process of their own (this script with --generate), so
their CPU is not spent on the channel's event loop and counted as latency; --in-process runs them in the
channel's loop as the bench did before, for comparison. Loopback only. Run with the bot environment:

    .venv/bot/bin/python scripts/bench_twilio_ack.py --requests 500 --concurrency 50

--stack posts to the shipped stack instead (tests/integration/running.py: the Procfile, credentials.yml,
real Rasa turns on its loop, Redis database 14): to the webhook's own port (TWILIO_ACK_PORT), or with
--rasa-loop to Rasa's port (TWILIO_ACK_PORT empty, so credentials.yml leaves `ack_port` unset).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from rasa.core.channels.channel import UserMessage
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from channels.sanic_server import serving  # noqa: E402
from channels.twilio import TwilioConfig, TwilioInput  # noqa: E402
from stack.services import free_port, start_api  # noqa: E402

ACCOUNT_SID = "AC" + "0" * 32
TOKEN_ENV = "BENCH_TWILIO_AUTH_TOKEN"  # noqa: S105 (a variable name)
"""How the load generator process learns the token the channel checks signatures with."""
AUTH_TOKEN = os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(16)
PUBLIC_BASE_URL = "https://sms.example.org"
WEBHOOK_PATH = "/webhooks/twilio/webhook"
NUMBERS = [f"+1202555{n:04d}" for n in range(100, 120)]
STACK_REDIS_DB = 14
OK = 200
COUNTED_REFUSALS = frozenset({503})
"""Answers the bench counts instead of stopping on: the channel's back-pressure, which Twilio retries."""
Answers = list[tuple[float, int]]
"""(seconds until the answer was read, its status code) per request."""
"""--stack: Rasa's trackers and locks (flushed first)."""


class StubAgent:
    """Counts messages; Rasa's real work happens after the acknowledgement. With `turn_ms`, each message
    also holds the event loop for that much CPU, as a Rasa turn's synchronous work (NLU, policies) does
    when the webhook is served by the Rasa process, which it is in the product."""

    def __init__(self, turn_ms: float = 0.0) -> None:
        self.handled, self.turn_seconds = 0, turn_ms / 1000

    async def handle_message(self, message: UserMessage) -> None:
        self.handled += 1
        until = time.process_time() + self.turn_seconds
        while time.process_time() < until:
            pass


def signed_request(host: str, i: int) -> bytes:
    """The HTTP request Twilio would make for inbound SMS number `i`, signed, ready to write."""
    params = message(i)
    body = urlencode(params).encode()
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + WEBHOOK_PATH, params)
    head = (
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: {host}\r\nX-Twilio-Signature: {signature}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def message(i: int) -> dict[str, str]:
    """The form Twilio posts for inbound SMS number `i` (20 phones take turns)."""
    return {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": ACCOUNT_SID,
        "To": "+15005550006",
        "From": NUMBERS[i % len(NUMBERS)],
        "Body": f"message {i}",
        "NumMedia": "0",
    }


class Sender:
    """One of Twilio's connections (HTTP/1.1, kept alive), with as little client as it takes.

    Twilio's CPU is not ours, but on one machine the load generator's is: with httpx it used ~7.4 ms
    per request (more than the channel and the API together), and in the channel's event loop or
    beside it on 2 cores that was counted as the webhook's latency. Requests are signed before the
    clock starts; a sender writes one and reads the answer (status line, headers, Content-Length body).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, url: str) -> Sender:
        host, port = url.removeprefix("http://").split(":")
        return cls(*await asyncio.open_connection(host, int(port)))

    async def post(self, request: bytes) -> tuple[float, int]:
        """Send one request; the seconds until its answer was read, and the answer's status code."""
        started = time.perf_counter()
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        body = await self.reader.readexactly(content_length(head))
        elapsed = time.perf_counter() - started
        code = int(head.split(b" ", 2)[1])
        if code not in COUNTED_REFUSALS and code != OK:
            raise SystemExit(f"unexpected answer: {head.splitlines()[0]!r} {body[:200]!r}")
        return elapsed, code

    async def run(self, requests: Iterator[bytes], answers: list[tuple[float, int]]) -> None:
        """Post the next request as soon as the last one was answered, until there are none."""
        for request in requests:
            answers.append(await self.post(request))

    def close(self) -> None:
        self.writer.close()


def content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    raise SystemExit(f"no Content-Length in {head!r}")


async def generate(url: str, requests: int, warmup: int, concurrency: int) -> list[tuple[float, int]]:
    """The load generator: warm-up, then `requests` messages from `concurrency` senders; the latencies.

    Connections are opened and requests signed before the clock starts (httpx clients, made while the
    first requests were in flight, took ~45 ms of CPU each: 50 of them stalled the loop for ~2 s, which
    the bench used to report as the webhook's p99)."""
    host = url.removeprefix("http://")
    signed = [signed_request(host, i) for i in range(warmup + requests)]
    senders = [await Sender.connect(url) for _ in range(concurrency)]
    try:
        warm: list[tuple[float, int]] = []
        await asyncio.gather(
            *(s.run(iter(signed[i:warmup:concurrency]), warm) for i, s in enumerate(senders))
        )
        answers: list[tuple[float, int]] = []
        queue = iter(signed[warmup:])
        await asyncio.gather(*(s.run(queue, answers) for s in senders))
    finally:
        for s in senders:
            s.close()
    return answers


async def generator_process(url: str, args: argparse.Namespace) -> tuple[Answers, float]:
    """Run the load generator as a process of its own; its answers and CPU seconds."""
    command = [sys.executable, __file__, "--generate", url]
    command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    command += ["--concurrency", str(args.concurrency)]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, env={**os.environ, TOKEN_ENV: AUTH_TOKEN}
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"load generator failed ({process.returncode})")
    result = json.loads(out)
    return [(float(s), int(code)) for s, code in result["answers"]], float(result["cpu"])


async def bench(api_url: str, api_token: str, args: argparse.Namespace) -> tuple[Answers, float]:
    """Serve the channel and drive it; the latencies and the generator's CPU seconds (0: in-process)."""
    ack_port = None if args.rasa_loop else free_port()
    config = TwilioConfig(
        ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, api_url, api_token, ack_port=ack_port, ack_host="127.0.0.1"
    )
    channel, agent = TwilioInput(config), StubAgent(args.turn_ms)
    try:
        async with serving([channel], agent) as url:
            if ack_port is not None:  # as the listener does when Rasa's server starts
                channel.start_ack_server(asyncio.get_running_loop(), agent.handle_message)
                url = f"http://127.0.0.1:{ack_port}"
            if args.in_process:
                loaded = (await generate(url, args.requests, args.warmup, args.concurrency), 0.0)
            else:
                loaded = await generator_process(url, args)
            channel.stop_ack_server()
            await channel.drain()
    finally:
        await channel.api.aclose()
    return loaded


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=1, help="senders posting at the same time")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--in-process", action="store_true", help="senders in the channel's event loop")
    parser.add_argument("--turn-ms", type=float, default=0.0, help="CPU each turn holds the loop for")
    parser.add_argument(
        "--rasa-loop", action="store_true", help="webhook on Rasa's loop (as before #15), not its own thread"
    )
    parser.add_argument("--stack", action="store_true", help="the shipped stack, real turns (see above)")
    parser.add_argument("--profile", default=None, help="write the channel process's cProfile stats here")
    parser.add_argument("--generate", default=None, help=argparse.SUPPRESS)
    return parser.parse_args()


def run_generator(args: argparse.Namespace) -> int:
    """The --generate side: post to the channel at `args.generate`, print latencies and CPU as JSON."""
    cpu = time.process_time()
    answers = asyncio.run(generate(args.generate, args.requests, args.warmup, args.concurrency))
    print(json.dumps({"answers": answers, "cpu": time.process_time() - cpu}))
    return 0


def measured(args: argparse.Namespace) -> tuple[Answers, dict[str, float]]:
    """Start the API, run the bench; the latencies and the CPU seconds of each process."""
    with tempfile.TemporaryDirectory() as tmp:
        process, url, token = start_api(Path(tmp), args.database_url)
        profiler = cProfile.Profile() if args.profile else None
        try:
            api_cpu, own_cpu = cpu_seconds(process.pid), time.process_time()
            if profiler:
                profiler.enable()
            latencies, generator_cpu = asyncio.run(bench(url, token, args))
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            api_cpu, own_cpu = cpu_seconds(process.pid) - api_cpu, time.process_time() - own_cpu
        finally:
            process.terminate()
            process.wait(timeout=30)
    return latencies, {"API": api_cpu, "channel": own_cpu, "load generator": generator_cpu}


def on_stack(args: argparse.Namespace) -> tuple[Answers, dict[str, float]]:
    """--stack: start the shipped stack signing as this bench does, drive its webhook; latencies and CPU."""
    from tests.integration.running import running_stack

    settings = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN}
    settings |= {"PUBLIC_BASE_URL": PUBLIC_BASE_URL, **({"TWILIO_ACK_PORT": ""} if args.rasa_loop else {})}
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_stack(Path(tmp), STACK_REDIS_DB, settings=settings) as stack,
    ):
        ack_port = stack.env["TWILIO_ACK_PORT"]
        url = stack.rasa_url if args.rasa_loop else f"http://127.0.0.1:{ack_port}"
        pids = {name: stack.processes[name].pid for name in ("rasa", "api")}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        latencies, generator_cpu = asyncio.run(generator_process(url, args))
        cpu = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
    return latencies, {**cpu, "load generator": generator_cpu}


def main() -> int:
    args = arguments()
    if args.generate:
        return run_generator(args)
    answers, cpu = on_stack(args) if args.stack else measured(args)
    ms = [seconds * 1000 for seconds, code in answers if code == OK] or [0.0]
    refused = Counter(code for _, code in answers if code != OK)
    where = "in the channel's process" if args.in_process else "in a process of their own"
    turns = "real Rasa turns (the shipped stack)" if args.stack else f"{args.turn_ms:g} ms of CPU per turn"
    print(
        f"twilio webhook ack over {len(ms)} requests, {args.concurrency} concurrent senders ({where}), "
        f"{turns} on Rasa's loop, webhook served "
        f"{'on Rasa' if args.rasa_loop else 'off Rasa'}'s loop: "
        f"p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms, mean {statistics.fmean(ms):.1f} ms"
    )
    # Independent of how busy the machine is: what one acknowledgement costs (warm-up included).
    total = len(ms) + args.warmup
    per_request = ", ".join(f"{name} {1000 * seconds / total:.2f} ms" for name, seconds in cpu.items())
    if args.in_process:
        per_request = per_request.replace("channel", "channel + load generator").rsplit(", ", 1)[0]
    print(f"CPU per request: {per_request}; load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # A 503 is Twilio's cue to retry (the channel's back-pressure): counted, not a crash of the bench.
    acknowledged = len(answers) - sum(refused.values())
    print(f"answers: {acknowledged} acknowledged (200); refused: {dict(refused) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
