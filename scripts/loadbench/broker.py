"""When Rasa has finished a turn that was not answered in the HTTP response (Twilio, socket.io).

Rasa saves the tracker once, after the last action of a turn, and its SQL event broker then writes the
turn's events one commit each, in order: the debtor's `user` event, the actions and `bot` events, and last
the `action_listen` that hands the turn back. That `action_listen` means the turn is done (the `user` event
alone does not: a read between two commits would end the turn without its replies). One tail of that
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
ACTION_LISTEN = "action_listen"


class EventTail:
    """Follows the broker's `events` table; futures resolve when a user message has been processed."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.last_id = 0
        self.user_events: Counter[str] = Counter()
        self.closed_turns: Counter[str] = Counter()
        self.sender_of: dict[str, str] = {}
        self.turn_of: dict[str, int] = {}
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
        """Count each sender's user events and closed turns, remember message ids and bot texts."""
        for row_id, sender, data in rows:
            self.last_id = max(self.last_id, row_id)
            event = json.loads(data)
            kind = event.get("event")
            if kind == "bot":
                self.bot_texts.setdefault(sender, []).append(str(event.get("text") or ""))
            elif kind == "user":
                self.user_event(sender, event)
            elif kind == "action" and event.get("name") == ACTION_LISTEN:
                self.closed_turns[sender] = self.user_events[sender]

    def user_event(self, sender: str, event: dict[str, object]) -> None:
        """A debtor's message: the sender's next turn (and, by its message id, whose and which turn)."""
        self.user_events[sender] += 1
        if event.get("message_id"):
            message_id = str(event["message_id"])
            self.sender_of[message_id] = sender
            self.turn_of[message_id] = self.user_events[sender]

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

    def closed(self, message_id: str) -> bool:
        """Whether the turn of the message with this id has ended."""
        sender = self.sender_of.get(message_id)
        return sender is not None and self.closed_turns[sender] >= self.turn_of[message_id]

    async def processed(self, message_id: str) -> None:
        """Wait until the turn of the message with this id (Twilio's MessageSid) has ended."""
        await self.until(lambda: self.closed(message_id))

    async def turns_done(self, sender: str, count: int) -> None:
        """Wait until `count` turns of `sender` have ended."""
        await self.until(lambda: self.closed_turns[sender] >= count)
