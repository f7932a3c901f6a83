"""A slow client on a raw socket, for the servers' deadline tests (both environments import it).

httpx sends a body whole; a client that trickles its body a byte at a time needs its own socket.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Trickled:
    """What a trickling client saw: body bytes it sent, the server's first bytes, seconds until they came."""

    sent: int
    answer: bytes
    seconds: float

    @property
    def status(self) -> int:
        """The status code the server answered with (0 if it closed without a status line)."""
        parts = self.answer.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


async def _answer_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What the server has sent within `seconds` (b"" if nothing yet); EOF reads as an answer too."""
    try:
        return await asyncio.wait_for(reader.read(1000), seconds) or b"EOF"
    except asyncio.TimeoutError:
        return b""


async def trickle(port: int, path: str, length: int, every: float, limit: float = 30.0) -> Trickled:
    """POST `path` announcing `length` body bytes, headers at once, then a byte every `every` seconds until
    the server answers (or `limit` seconds pass)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    writer.write(head.encode())
    started, sent, answer = time.monotonic(), 0, b""
    try:
        while sent < length and not answer and time.monotonic() - started < limit:
            writer.write(b" ")  # JSON whitespace: a complete body would still parse
            await writer.drain()
            sent += 1
            answer = await _answer_within(reader, every)
    except ConnectionError:
        answer = answer or b"EOF"
    seconds = time.monotonic() - started
    writer.close()
    return Trickled(sent, answer, seconds)
