"""Latency of normal requests to a server with and without slow clients trickling their bodies alongside.

    python scripts/bench_slow_clients.py --url http://127.0.0.1:PORT/health --post-path /webhook

Measures GET --url --requests times (one at a time, kept alive), then again while --slow clients each send
a POST's headers and then a body byte every --every seconds (a client cut off opens a new connection, so
--slow stay under way); prints p50/p99 of both runs (ms) and how the slow clients ended, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx


async def timings(url: str, requests: int) -> list[float]:
    """Milliseconds of each of `requests` GETs of `url`, one after another on a kept-alive connection."""
    out: list[float] = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(requests):
            started = time.perf_counter()
            (await http.get(url)).raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return out


async def slow_client(host: str, port: int, path: str, every: float, endings: Counter[str]) -> None:
    """Trickle POST bodies for ever, a new connection each time the server cuts one off."""
    while True:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n".encode())
        answer = b""
        try:
            while not answer:
                writer.write(b" ")
                await writer.drain()
                with contextlib.suppress(asyncio.TimeoutError):  # no answer yet: the next byte
                    answer = await asyncio.wait_for(reader.read(100), every) or b"closed"
        except ConnectionError:
            answer = b"reset"
        endings[answer.split(b"\r\n")[0].decode(errors="replace")] += 1
        writer.close()


def summary(ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(ms, n=100)
    return {"p50": round(cuts[49], 2), "p99": round(cuts[98], 2), "max": round(max(ms), 2)}


async def bench(args: argparse.Namespace) -> dict[str, object]:
    quiet = summary(await timings(args.url, args.requests))
    target, endings = urlsplit(args.url), Counter[str]()
    host, port = target.hostname or "127.0.0.1", target.port or 80
    slow = [
        asyncio.create_task(slow_client(host, port, args.post_path, args.every, endings))
        for _ in range(args.slow)
    ]
    await asyncio.sleep(args.every * 2)  # every slow client connected and trickling
    started = time.perf_counter()
    loaded = summary(await timings(args.url, args.requests))
    while time.perf_counter() - started < args.hold:  # long enough for the deadline to cut some off
        await asyncio.sleep(0.5)
    for task in slow:
        task.cancel()
    await asyncio.gather(*slow, return_exceptions=True)
    return {"without_slow_clients": quiet, f"with_{args.slow}_slow_clients": loaded, "slow_endings": endings}


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument(
        "--url", required=True, help="the normal request (GET), e.g. http://127.0.0.1:8000/health"
    )
    cli.add_argument("--post-path", required=True, help="where the slow clients POST")
    cli.add_argument("--requests", type=int, default=500)
    cli.add_argument("--slow", type=int, default=20)
    cli.add_argument("--every", type=float, default=1.0, help="seconds between a slow client's bytes")
    cli.add_argument("--hold", type=float, default=25.0, help="seconds the slow clients run at least")
    print(json.dumps(asyncio.run(bench(cli.parse_args())), indent=2))


if __name__ == "__main__":
    main()
