"""`python -m sms_sink.demo "I want to pay" --from +12025550143`: text the bot through the running sink.

Sends each message as the phone `--from` (default: the first demo debtor, so the bot knows the account),
then prints the replies the worker sends to the sink until none has come for a few seconds. Needs the
stack of `make run` with the sink selected (TWILIO_API_BASE_URL=http://localhost:SMS_SINK_PORT).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from sms_sink.config import DEMO_PHONES, port_from_env

POLL_SECONDS = 5.0
HTTP_TIMEOUT_SECONDS = 30.0


class DemoError(Exception):
    """The sink is not there, or refused what the demo sent."""


def call(url: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET (or POST JSON to) the sink; its JSON answer, also for an error status."""
    data = json.dumps(payload).encode() if payload is not None else None
    # The sink's own URL, http(s) by construction (--sink or SMS_SINK_PORT).
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
            return dict(json.load(response))
    except urllib.error.HTTPError as error:
        return dict(json.load(error))
    except (urllib.error.URLError, OSError) as error:
        raise DemoError(f"no SMS sink at {url.split('/api')[0]} ({error}): is `make run` up?") from error


def text(sink: str, number: str, body: str) -> int:
    """Send one text; the revision its replies come after (the bot may answer before the webhook returns)."""
    answer = call(f"{sink}/api/send", {"from": number, "body": body})
    message = answer.get("message") or {}
    if message.get("status") != "received":
        raise DemoError(message.get("error") or answer.get("error") or "the sink did not take the message")
    print(f"you> {body}", flush=True)
    return int(message["created_revision"])


def replies(sink: str, number: str, since: int, wait: float, quiet: float) -> int:
    """Print replies to `number` after `since` until `quiet` seconds pass without one; how many came."""
    seen: set[str] = set()
    deadline = time.monotonic() + wait
    while (remaining := deadline - time.monotonic()) > 0:
        query = urlencode({"number": number, "since": since, "wait": min(POLL_SECONDS, remaining)})
        answer = call(f"{sink}/api/messages?{query}")
        since = int(answer["revision"])
        for message in answer["messages"]:
            if message["direction"] == "outbound" and message["sid"] not in seen:
                seen.add(message["sid"])
                print(f"bot> {message['body']}", flush=True)
                deadline = time.monotonic() + quiet
    return len(seen)


def main(argv: list[str] | None = None) -> int:
    """Text each message in turn and print the bot's replies; 1 when one got no reply."""
    default_sink = f"http://localhost:{port_from_env(os.environ)}"
    parser = argparse.ArgumentParser(prog="python -m sms_sink.demo", description=__doc__)
    parser.add_argument("messages", nargs="+", help="what the phone texts, one argument per text")
    parser.add_argument("--from", dest="number", default=DEMO_PHONES[0][0], help="the phone's number")
    parser.add_argument("--sink", default=default_sink, help=f"the sink's URL (default {default_sink})")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to wait for a first reply")
    parser.add_argument("--quiet", type=float, default=3.0, help="seconds without a reply that end a turn")
    args = parser.parse_args(argv)
    sink = args.sink.rstrip("/")
    try:
        for body in args.messages:
            since = text(sink, args.number, body)
            if not replies(sink, args.number, since, args.wait, args.quiet):
                hint = f"is the worker running, with TWILIO_API_BASE_URL={sink}?"
                print(f"(no reply in {args.wait:g} s: {hint})", file=sys.stderr)
                return 1
    except DemoError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
