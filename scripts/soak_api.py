"""API-only soak (issue 15): the accounts API and the worker under the calls a Rasa turn makes, without Rasa.

Starts the API, the worker and the SMS sink from the Procfile with the embedded defaults (SQLite), exactly
as `make run` and the integration tests do (tests/integration/running.py `started`), on bench accounts of
its own. Then C concurrent debtors hold whole conversations the way the Twilio channel and the actions
server drive the API: each message is stored (POST /messages/inbound, or /inbound/batch), the action of
the step runs (lookup, verify, balance), the reply is rendered (POST /nlg) and queued (POST
/messages/outbound), which the worker sends to the sink and the sink reports delivered (the status
callback). RSS of each process is sampled after the warm-up and every `--sample-every` messages; the
report gives the growth per process from the warm-up to the end. Loopback only; bounded by --messages.

    .venv/api/bin/python scripts/soak_api.py --messages 3000 --concurrency 8
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.loadbench import accounts, procstats  # noqa: E402
from scripts.loadbench.dialogues import Debtor  # noqa: E402
from tests.integration.running import Backing, Stack, started  # noqa: E402

PROCESSES = ("api", "worker", "sms")
"""The Procfile processes started; the sink is a test fake that keeps every message (reported, not judged)."""
JUDGED = ("api", "worker")
REDIS_DB = 9
"""The stack's Redis settings point here; neither the API nor the worker uses Redis on this path."""
OUR_NUMBER = "+15005550006"
MB = 1024 * 1024


@dataclass(frozen=True)
class Step:
    """One debtor message and what the bot does with it: an action's API call (or none), then a reply."""

    text: str
    action: str | None
    response: str


CONVERSATION = (
    Step("hi", None, "utter_ask_account_ref"),
    Step("ACME-1001", "lookup", "utter_ask_dob"),
    Step("03/14/1985", None, "utter_ask_zip_code"),
    Step("20001", "verify", "utter_verified"),
    Step("how much do I owe", "balance", "utter_balance"),
    Step("thanks, bye", None, "utter_goodbye"),
)
"""The soak's conversation (scripts/soak.py's), as the API sees it."""


@dataclass
class Conversation:
    """One debtor's conversation: its number, its account and what the API has answered so far."""

    debtor: Debtor
    conversation_id: str | None = None
    account_id: str | None = None
    grant: str | None = None
    message_sid: str = ""
    """The MessageSid of the debtor's last SMS, which the channel's replies name (`in_reply_to`)."""


@dataclass
class Tally:
    """What the run saw: requests by outcome, RSS samples by message count."""

    target: int
    warmup: int
    sample_every: int
    pids: dict[str, int]
    sent: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    rss: dict[str, dict[str, int]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def claim(self) -> int | None:
        """The number of the next message to send, or None when the run has sent enough."""
        if self.sent >= self.target:
            return None
        self.sent += 1
        return self.sent

    def sample_if_due(self, number: int) -> None:
        """Sample every process's RSS before message `number` if the warm-up just ended or a sample is due."""
        done = number - 1
        if done >= self.warmup and (done - self.warmup) % self.sample_every == 0:
            self.rss[str(done)] = sample_rss(self.pids)


def sample_rss(pids: dict[str, int]) -> dict[str, int]:
    """RSS in KiB of each process (its whole tree)."""
    return {name: procstats.usage(pid).rss_bytes // 1024 for name, pid in pids.items()}


class ApiDriver:
    """The calls of the Twilio channel and of the actions server, against one API."""

    def __init__(self, http: httpx.AsyncClient, tally: Tally) -> None:
        self.http, self.tally = http, tally

    async def call(self, name: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One request; its outcome counted under `name` and its status, its JSON body (or {})."""
        try:
            answer = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            self.tally.requests[f"{name}_{type(error).__name__}"] += 1
            return {}
        self.tally.requests[f"{name}_{answer.status_code}"] += 1
        return dict(answer.json()) if answer.status_code < 300 else {}

    async def store(self, talk: Conversation, text: str, batch: bool) -> None:
        """The Twilio channel stores the SMS (alone, or as a batch of one) and learns its conversation."""
        sms = {"message_sid": "SM" + uuid.uuid4().hex, "from": talk.debtor.phone, "to": OUR_NUMBER}
        sms |= {"body": text, "num_media": 0, "media": []}
        if batch:
            answer = await self.call(
                "inbound_batch", "POST", "/api/v1/messages/inbound/batch", json={"messages": [sms]}
            )
            answer = (answer.get("results") or [{}])[0]
        else:
            answer = await self.call("inbound", "POST", "/api/v1/messages/inbound", json=sms)
        talk.conversation_id = answer.get("conversation_id") or talk.conversation_id
        talk.message_sid = sms["message_sid"]

    async def act(self, talk: Conversation, action: str | None) -> None:
        """The step's action: look the account up, verify the debtor, read the balance."""
        if action == "lookup":
            body = {"reference": talk.debtor.reference}
            talk.account_id = (await self.call(action, "POST", "/api/v1/accounts/lookup", json=body)).get(
                "account_id"
            )
        elif action == "verify" and talk.account_id:
            dob = datetime.strptime(talk.debtor.dob, "%m/%d/%Y").date().isoformat()  # as the actions send it
            body = {"dob": dob, "zip_code": talk.debtor.zip_code, "conversation_id": talk.conversation_id}
            path = f"/api/v1/accounts/{talk.account_id}/verify"
            talk.grant = (await self.call(action, "POST", path, json=body)).get("grant")
        elif action == "balance" and talk.account_id and talk.grant:
            headers = {"X-Verification-Grant": talk.grant}
            await self.call(action, "GET", f"/api/v1/accounts/{talk.account_id}/balance", headers=headers)

    async def reply(self, talk: Conversation, response: str) -> None:
        """Rasa's NLG asks for the response's text, the Twilio channel queues it for the worker."""
        tracker = {
            "sender_id": talk.conversation_id or talk.debtor.phone,
            "slots": {"account_id": talk.account_id},
        }
        nlg = {"response": response, "tracker": tracker, "channel": {"name": "twilio"}, "arguments": {}}
        text = (await self.call("nlg", "POST", "/api/v1/nlg", json=nlg)).get("text") or "Thanks."
        if talk.conversation_id is None:
            return
        sms = {
            "channel": "sms",
            "conversation_id": talk.conversation_id,
            "body": text[:1500],
            "kind": "reply",
        }
        sms |= {"idempotency_key": f"reply:{talk.message_sid}:0", "in_reply_to": talk.message_sid}
        sms |= {"account_id": talk.account_id} if talk.account_id else {}
        await self.call("outbound", "POST", "/api/v1/messages/outbound", json=sms)


async def debtor(driver: ApiDriver, people: Iterator[Debtor]) -> None:
    """Whole conversations, one after another, until the run has sent its messages."""
    while True:
        talk = Conversation(next(people))
        for step in CONVERSATION:
            number = driver.tally.claim()
            if number is None:
                return
            driver.tally.sample_if_due(number)
            await driver.store(talk, step.text, batch=number % 2 == 0)
            await driver.act(talk, step.action)
            await driver.reply(talk, step.response)


def growth(rss: dict[str, dict[str, int]], warmup: int) -> dict[str, dict[str, float]]:
    """Per process: RSS after the warm-up and at the end (MB), growth in % and in KiB per message."""
    first, last = rss[str(warmup)], rss[max(rss, key=int)]
    messages = max(1, int(max(rss, key=int)) - warmup)
    return {
        name: {
            "after_warmup_mb": round(first[name] / 1024, 1),
            "end_mb": round(last[name] / 1024, 1),
            "growth_percent": round(100 * (last[name] - first[name]) / first[name], 1),
            "kib_per_message": round((last[name] - first[name]) / messages, 2),
        }
        for name in first
        if first[name]
    }


def report(tally: Tally) -> dict[str, Any]:
    """The run's figures: requests by outcome, errors, RSS samples and growth per process."""
    errors = sum(n for outcome, n in tally.requests.items() if not outcome.endswith(("_200", "_201", "_202")))
    per_process = growth(tally.rss, tally.warmup) if str(tally.warmup) in tally.rss else {}
    return {
        "messages": tally.sent,
        "warmup_messages": tally.warmup,
        "requests": sum(tally.requests.values()),
        "seconds": round(time.monotonic() - tally.started, 1),
        "outcomes": dict(sorted(tally.requests.items())),
        "error_responses": errors,
        "rss_kib": tally.rss,
        "growth": per_process,
        "over_target": [name for name in JUDGED if per_process.get(name, {}).get("growth_percent", 0) >= 10],
    }


async def soak(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    """Create the bench accounts, then run the debtors to the end; the report."""
    people = await accounts.create(stack.api_url, stack.env["API_TOKEN"], args.concurrency * 4)
    pids = {name: stack.processes[name].pid for name in PROCESSES}
    warmup = max(1, args.messages * args.warmup_percent // 100)
    tally = Tally(args.messages, warmup, args.sample_every, pids)
    headers = {"Authorization": f"Bearer {stack.env['API_TOKEN']}"}
    async with httpx.AsyncClient(base_url=stack.api_url, headers=headers, timeout=60) as http:
        driver, cycle = ApiDriver(http, tally), itertools.cycle(people)
        await asyncio.gather(*(debtor(driver, cycle) for _ in range(args.concurrency)))
    await asyncio.sleep(args.settle)  # the worker sends what is still queued; the sink reports it
    tally.rss[str(tally.sent)] = sample_rss(pids)
    return report(tally)


def summary(figures: dict[str, Any]) -> str:
    """One line per process: RSS after the warm-up, at the end, growth."""
    lines = [
        f"{figures['messages']} messages, {figures['requests']} requests, {figures['error_responses']} errors"
    ]
    for name, row in figures["growth"].items():
        note = " (test sink, keeps every message)" if name not in JUDGED else ""
        lines.append(
            f"{name:7} {row['after_warmup_mb']:7.1f} MB -> {row['end_mb']:7.1f} MB  "
            f"{row['growth_percent']:+5.1f} %  {row['kib_per_message']:+6.2f} KiB/message{note}"
        )
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--messages", type=int, default=3000, help="debtor messages (about 3.5 requests each)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup-percent", type=int, default=20, help="messages before the first RSS sample")
    parser.add_argument("--sample-every", type=int, default=250, help="messages between RSS samples")
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds to let the worker drain at the end"
    )
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "soak_api.json")
    parser.add_argument("--keep", type=Path, default=None, help="keep the services' logs in this folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Start the API, the worker and the sink, soak them, print and write the report."""
    args = parse(argv)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        with started(tmp, PROCESSES, Backing(redis_db=REDIS_DB), startup_seconds=120) as stack:
            figures = asyncio.run(soak(stack, args))
    args.report.write_text(json.dumps(figures, indent=2))
    print(summary(figures))
    return 0 if figures["error_responses"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
