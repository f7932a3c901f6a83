"""Bad input for the soak (scripts/soak.py --bad-input), sent while normal conversations run.

Each round: one SMS delivered three times at once with the same MessageSid (Twilio's retries), next to
a control SMS delivered once (both bodies the same, so the bot's replies to each number must be as
many); slow clients that open a request and trickle its body a byte a second; oversized bodies on REST
and the Twilio webhook; malformed requests (invalid JSON, the wrong JSON, no signature, no MessageSid).
Every answer is counted by request kind and status (`tally.abuse`), e.g. `rest_oversized_413`.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

DUPLICATES = 3
SLOW_CLIENTS = 4
TRICKLE_SECONDS = 1.0
TRICKLE_MAX_BYTES = 120
"""A slow client gives up after this many seconds (one byte each) if the server has not answered."""
QUIET_SECONDS = 15.0
ROUND_PAUSE_SECONDS = 2.0
OVERSIZED = "x" * 100_000


class StackLike(Protocol):
    rasa_url: str
    sink_url: str
    env: dict[str, str]


class TallyLike(Protocol):
    abuse: Any

    @property
    def phase(self) -> str: ...


Signer = Callable[..., dict[str, Any]]
_numbers = (f"+1303{n:07d}" for n in itertools.count(5550200))


async def abuse(stack: StackLike, tally: TallyLike, signed: Signer, stop: asyncio.Event) -> None:
    """Rounds of bad input from the second half of the run until `stop` (at least one whole round)."""
    while tally.phase != "bad_input" and not stop.is_set():
        await asyncio.sleep(1)
    async with httpx.AsyncClient(timeout=120) as http:
        while True:
            await asyncio.gather(
                duplicate_delivery(http, stack, tally, signed),
                *(slow_client(stack, tally) for _ in range(SLOW_CLIENTS)),
                oversized(http, stack, tally, signed),
                malformed(http, stack, tally, signed),
            )
            if stop.is_set():
                return
            await asyncio.sleep(ROUND_PAUSE_SECONDS)


def count(tally: TallyLike, kind: str, status: int | str) -> None:
    tally.abuse[f"{kind}_{status}"] += 1


async def duplicate_delivery(
    http: httpx.AsyncClient, stack: StackLike, tally: TallyLike, signed: Signer
) -> None:
    """The same MessageSid three times at once; as many replies as to one delivery to a control number."""
    twice, once = next(_numbers), next(_numbers)
    request = signed(stack, twice, "hi", "SM" + uuid.uuid4().hex)
    answers = await asyncio.gather(
        *(http.post(**request) for _ in range(DUPLICATES)), http.post(**signed(stack, once, "hi"))
    )
    for answer in answers:
        count(tally, "sms_duplicate", answer.status_code)
    duplicated, control = await asyncio.gather(replies(http, stack, twice), replies(http, stack, once))
    tally.abuse["duplicate_rounds"] += 1
    if duplicated != control:
        tally.abuse["duplicate_reply_count_differs"] += 1


async def replies(http: httpx.AsyncClient, stack: StackLike, number: str) -> int:
    """How many SMS the bot sent `number` once QUIET_SECONDS passed without a change.

    Counted by sid: the sink hands a message back again each time its delivery status changes.
    """
    since, seen = 0, set[str]()
    while True:
        query = {"number": number, "since": since, "wait": QUIET_SECONDS}
        answer = (await http.get(f"{stack.sink_url}/api/messages", params=query)).json()
        new = {m["sid"] for m in answer["messages"] if m["direction"] == "outbound"}
        if not new and (seen or since):
            return len(seen)  # quiet after the replies, or nothing at all for two waits
        since, seen = int(answer["revision"]), seen | new


async def slow_client(stack: StackLike, tally: TallyLike) -> None:
    """A REST request whose body trickles in a byte a second: what the server does about it."""
    address = urlsplit(stack.rasa_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    head = f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: {address.netloc}\r\n"
    head += "Content-Type: application/json\r\n"
    writer.write(f"{head}Content-Length: {TRICKLE_MAX_BYTES + 1}\r\n\r\n".encode())
    try:
        count(tally, "slow_client", await trickle(reader, writer))
    except ConnectionError:
        count(tally, "slow_client", "closed")
    finally:
        writer.close()


async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    """Send a byte a second until the server answers (its status) or closes; `never_answered` otherwise."""
    for _ in range(TRICKLE_MAX_BYTES):
        writer.write(b" ")
        await writer.drain()
        try:
            answer = await asyncio.wait_for(reader.read(64), TRICKLE_SECONDS)
        except asyncio.TimeoutError:
            continue
        parts = answer.split(b" ")
        return parts[1].decode(errors="replace") if len(parts) > 1 else "closed"
    return "never_answered"


async def oversized(http: httpx.AsyncClient, stack: StackLike, tally: TallyLike, signed: Signer) -> None:
    rest = await http.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": "big", "message": OVERSIZED}
    )
    count(tally, "rest_oversized", rest.status_code)
    sms = await http.post(**signed(stack, next(_numbers), OVERSIZED))
    count(tally, "sms_oversized", sms.status_code)


async def malformed(http: httpx.AsyncClient, stack: StackLike, tally: TallyLike, signed: Signer) -> None:
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    json_headers = {"Content-Type": "application/json"}
    cases: dict[str, dict[str, Any]] = {
        "rest_invalid_json": {"url": url, "content": b'{"sender": "m", "message": ', "headers": json_headers},
        "rest_json_list": {"url": url, "content": b"[1, 2, 3]", "headers": json_headers},
        "rest_no_message": {"url": url, "content": b'{"sender": "m"}', "headers": json_headers},
        "rest_message_not_text": {
            "url": url,
            "content": b'{"sender": "m", "message": {"a": 1}}',
            "headers": json_headers,
        },
        "rest_binary": {"url": url, "content": bytes(range(256)), "headers": json_headers},
    }
    good = signed(stack, next(_numbers), "hi")
    cases["sms_unsigned"] = {**good, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    cases["sms_bad_signature"] = {**good, "headers": {**good["headers"], "X-Twilio-Signature": "AAAA"}}
    cases["sms_garbage_form"] = {**good, "content": b"%%%\xff\xfe=&&=="}
    for kind, request in cases.items():
        answer = await http.post(**request)
        count(tally, kind, answer.status_code)
