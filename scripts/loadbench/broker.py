"""When Rasa has finished a turn that was not answered in the HTTP response (Twilio, socket.io).

Rasa saves the tracker once, after the last action of a turn, and its SQL event broker writes the turn's
events then: the debtor's `user` event in the broker's table means the turn is done. One tail of that
table (SQLite, read in a thread) serves every conversation, so finishing a turn costs Rasa nothing extra,
unlike polling its tracker endpoint.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 0.02


class EventTail:
    """Follows the broker's `events` table; futures resolve when a user message has been processed."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.last_id = 0
        self.seen_ids: set[str] = set()
        self.user_events: Counter[str] = Counter()
        self.sender_of: dict[str, str] = {}
        self.bot_texts: dict[str, list[str]] = {}
        self.changed = asyncio.Event()

    def read_new(self) -> list[tuple[int, str, str]]:
        """Rows added since the last read (none while the file does not exist yet)."""
        if not self.database.exists():
            return []
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30) as db:
            query = "SELECT id, sender_id, data FROM events WHERE id > ? ORDER BY id"
            try:
                return list(db.execute(query, (self.last_id,)))
            except sqlite3.OperationalError:
                return []  # the table is created with the first event

    def absorb(self, rows: list[tuple[int, str, str]]) -> None:
        """Count the user events of each sender and remember their message ids."""
        for row_id, sender, data in rows:
            self.last_id = max(self.last_id, row_id)
            event = json.loads(data)
            if event.get("event") == "bot":
                self.bot_texts.setdefault(sender, []).append(str(event.get("text") or ""))
            if event.get("event") == "user":
                self.user_events[sender] += 1
                if event.get("message_id"):
                    self.seen_ids.add(str(event["message_id"]))
                    self.sender_of[str(event["message_id"])] = sender

    async def follow(self) -> None:
        """Read forever (cancel to stop), waking the waiters after every batch of new rows."""
        while True:
            rows = await asyncio.to_thread(self.read_new)
            if rows:
                self.absorb(rows)
                self.changed.set()
                self.changed = asyncio.Event()
            await asyncio.sleep(POLL_SECONDS)

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait until `done()` holds (checked after each batch of new rows)."""
        while not done():
            await self.changed.wait()

    async def processed(self, message_id: str) -> None:
        """Wait until the message with this id (Twilio's MessageSid) has been processed."""
        await self.until(lambda: message_id in self.seen_ids)

    async def turns_done(self, sender: str, count: int) -> None:
        """Wait until `count` user messages of `sender` have been processed."""
        await self.until(lambda: self.user_events[sender] >= count)
