"""Rasa's Redis lock store with every change of a lock atomic, so several Rasa processes can share it.

Rasa 3.6's `RedisLockStore` changes a conversation's lock by reading it (GET), changing it in Python and
writing it back (SET). One process never interleaves these (no `await` between them), but two processes
do: both read the lock with ticket 0 being served, both append ticket 1 and write it, and both messages
then hold ticket 1 and run at once; or one process's write of its finished ticket erases the ticket the
other just queued, whose message then waits for a ticket that no longer exists and fails with `LockError`
(the debtor gets no answer). Here every change is one Redis transaction (WATCH, MULTI, EXEC, retried
when another process changed the lock meanwhile).

A ticket's lifetime (TICKET_LOCK_LIFETIME, Rasa's 60 s by default) is, in Rasa, counted from when the
message was queued, so a long queue of one debtor's messages outlives it and the later ones run
concurrently. Here a waiting message renews its ticket on each poll, and the message that gets the lock
renews it then: the lifetime bounds one turn, and how long a dead process's ticket blocks the queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

from rasa.core.lock import TicketLock  # type: ignore[import-untyped]
from rasa.core.lock_store import (  # type: ignore[import-untyped]
    LOCK_LIFETIME,
    LockError,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

T = TypeVar("T")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]
"""Given the stored lock (None: none), the lock to store (None or no tickets: delete it) and a result."""
RENEWALS_PER_LIFETIME = 3


class AtomicRedisLockStore(RedisLockStore):  # type: ignore[misc]
    """endpoints.yml `lock_store: type: channels.lock_store.AtomicRedisLockStore`, Rasa's Redis settings."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def change(self, conversation_id: str, change: Change[T]) -> T:
        """Apply `change` to the stored lock in one transaction; the result of the attempt that committed."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            raw = pipe.get(key)
            updated, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if updated is None or not updated.tickets:
                pipe.delete(key)
            else:
                pipe.set(key, updated.dumps())
            return result

        result: T = self.red.transaction(attempt, key, value_from_callable=True)
        return result

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Rasa's `lock`: one message's turn in the conversation, its ticket renewed as it waits and runs."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            lock = await self.wait_for_turn(conversation_id, ticket, lock_lifetime, wait_time_in_seconds)
            async with self.renewing(conversation_id, ticket, lock_lifetime):
                yield lock
        finally:
            self.cleanup(conversation_id, ticket)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket at the end of the conversation's queue."""
        try:
            return self.change(conversation_id, lambda lock: issue(conversation_id, lock, lock_lifetime))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    async def wait_for_turn(
        self, conversation_id: str, ticket: int, lifetime: float, poll: float
    ) -> TicketLock:
        """The lock once `ticket` is served, renewing it meanwhile; LockError if it expired or vanished."""
        while True:
            lock, serving = self.renew(conversation_id, ticket, lifetime)
            if serving:
                return lock
            await asyncio.sleep(poll)

    def renew(self, conversation_id: str, ticket: int, lifetime: float) -> tuple[TicketLock, bool]:
        """`ticket` to expire `lifetime` from now, expired ones gone; the lock, and whether it is served."""
        return self.change(conversation_id, lambda lock: renewed(lock, ticket, lifetime))

    @asynccontextmanager
    async def renewing(self, conversation_id: str, ticket: int, lifetime: float) -> AsyncIterator[None]:
        """Keep the served ticket alive however long the turn takes (its lifetime bounds a dead process)."""
        task = asyncio.create_task(self.keep_renewing(conversation_id, ticket, lifetime))
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def keep_renewing(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(lifetime / RENEWALS_PER_LIFETIME)
            try:
                self.renew(conversation_id, ticket, lifetime)
            except Exception:
                logger.exception("could not renew the lock ticket of a running turn")

    def update_lock(self, conversation_id: str) -> None:
        """Remove the conversation's expired tickets."""
        self.change(conversation_id, without_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove `ticket_number`; the lock goes with its last ticket."""
        self.change(conversation_id, lambda lock: finished(lock, ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """As `finish_serving`: deleting the emptied lock is part of the same transaction."""
        self.finish_serving(conversation_id, ticket_number)


def issue(conversation_id: str, lock: TicketLock | None, lifetime: float) -> tuple[TicketLock, int]:
    current = lock or TicketLock(conversation_id)
    return current, int(current.issue_ticket(lifetime))


def renewed(
    lock: TicketLock | None, number: int, lifetime: float
) -> tuple[TicketLock, tuple[TicketLock, bool]]:
    ticket = next((t for t in lock.tickets if t.number == number), None) if lock else None
    if lock is None or ticket is None or ticket.has_expired():
        raise LockError(f"Lock ticket {number} expired or was removed while its message waited.")
    ticket.expires = time.time() + lifetime
    lock.remove_expired_tickets()
    return lock, (lock, not lock.is_locked(number))


def without_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
    if lock is not None:
        lock.remove_expired_tickets()
    return lock, None


def finished(lock: TicketLock | None, number: int) -> tuple[TicketLock | None, None]:
    if lock is not None:
        lock.remove_ticket_for(number)
    return lock, None
