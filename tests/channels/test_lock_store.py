"""The lock store shared by several Rasa processes (real Redis; each store instance stands for one process).

The interleavings that break Rasa's own RedisLockStore across processes are forced here deterministically:
a process that finishes its turn writes back the lock it read before another process queued a ticket.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from channels import lock_store
from channels.lock_store import AtomicRedisLockStore
from tests.conftest import require_service

pytestmark = pytest.mark.redis

DB = 15
PROCESSES = 2
MESSAGES_PER_PROCESS = 8


@pytest.fixture
def prefix() -> Iterator[str]:
    require_service("Redis", "127.0.0.1", 6379)
    key_prefix = "locktest" + uuid.uuid4().hex[:8]
    yield key_prefix
    client = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    for key in client.scan_iter(f"{key_prefix}:*"):
        client.delete(key)


def atomic(prefix: str) -> AtomicRedisLockStore:
    config = EndpointConfig(url="127.0.0.1", port=6379, db=DB, key_prefix=prefix, type="x")
    return AtomicRedisLockStore(endpoint_config=config)


class InterleavedStock(RedisLockStore):  # type: ignore[misc]
    """Rasa's store; `between` runs once, after this process read the lock and before it writes it back."""

    def __init__(self, prefix: str, between: Callable[[], Any]) -> None:
        super().__init__(host="127.0.0.1", port=6379, db=DB, key_prefix=prefix)
        self.between: Callable[[], Any] | None = between

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        lock = super().get_lock(conversation_id)
        between, self.between = self.between, None
        if between is not None:
            between()
        return lock


def queued(store: RedisLockStore, conversation: str) -> list[int]:
    lock = store.get_lock(conversation)
    return [ticket.number for ticket in lock.tickets] if lock else []


def test_rasas_store_loses_a_ticket_another_process_queued_while_a_turn_finished(prefix: str) -> None:
    """The cause (issue 15): that message waits for a ticket nobody holds, then fails with LockError."""
    conversation, other = str(uuid.uuid4()), atomic(prefix)
    first = InterleavedStock(prefix, lambda: None)
    served = first.issue_ticket(conversation)
    first.between = lambda: other.issue_ticket(conversation)

    first.finish_serving(conversation, served)

    assert queued(other, conversation) == []  # the other process's ticket 1 is gone


def test_a_ticket_queued_while_a_turn_finishes_stays_queued(
    prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation, first, other = str(uuid.uuid4()), atomic(prefix), atomic(prefix)
    served = first.issue_ticket(conversation)
    interfere, finished = [lambda: other.issue_ticket(conversation)], lock_store.finished

    def finished_after_interference(lock: TicketLock | None, number: int) -> tuple[TicketLock | None, None]:
        while interfere:
            interfere.pop()()
        return finished(lock, number)

    monkeypatch.setattr(lock_store, "finished", finished_after_interference)
    first.finish_serving(conversation, served)

    assert queued(other, conversation) == [served + 1]


def test_tickets_issued_by_two_processes_are_all_different(prefix: str) -> None:
    conversation, first, other = str(uuid.uuid4()), atomic(prefix), atomic(prefix)

    numbers = [store.issue_ticket(conversation) for _ in range(5) for store in (first, other)]

    assert sorted(numbers) == list(range(10))


async def process_messages(store: AtomicRedisLockStore, conversation: str, log: list[str], name: str) -> None:
    """One process's share of the messages, all queued at once, each turn logged as it starts and ends."""

    async def turn(index: int) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.005):
            log.append(f"start {name}{index}")
            await asyncio.sleep(0.002)
            log.append(f"end {name}{index}")

    await asyncio.gather(*(turn(index) for index in range(MESSAGES_PER_PROCESS)))


def test_concurrent_messages_over_two_processes_run_one_turn_at_a_time(prefix: str) -> None:
    conversation, log = str(uuid.uuid4()), []
    threads = [
        threading.Thread(
            target=asyncio.run, args=(process_messages(atomic(prefix), conversation, log, name),)
        )
        for name in "ab"[:PROCESSES]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    starts, ends = log[0::2], log[1::2]
    assert [entry.split()[1] for entry in starts] == [entry.split()[1] for entry in ends]  # never overlapping
    assert len(set(starts)) == PROCESSES * MESSAGES_PER_PROCESS  # every message had its turn, once
    assert queued(atomic(prefix), conversation) == []  # the lock went with the last ticket


async def hold_then_follow(store: AtomicRedisLockStore, conversation: str, lifetime: float) -> list[str]:
    """A turn lasting several ticket lifetimes, and a message queued behind it."""
    log: list[str] = []

    async def holder() -> None:
        async with store.lock(conversation, lock_lifetime=lifetime, wait_time_in_seconds=0.05):
            log.append("holder starts")
            await asyncio.sleep(lifetime * 3)
            log.append("holder ends")

    async def follower() -> None:
        await asyncio.sleep(0)  # queued second
        async with store.lock(conversation, lock_lifetime=lifetime, wait_time_in_seconds=0.05):
            log.append("follower")

    await asyncio.gather(holder(), follower())
    return log


def test_a_turn_longer_than_the_ticket_lifetime_keeps_the_next_message_waiting(prefix: str) -> None:
    """Rasa's lifetime counts from queueing; here it bounds only a process that died holding a ticket."""
    log = asyncio.run(hold_then_follow(atomic(prefix), str(uuid.uuid4()), lifetime=1.5))

    assert log == ["holder starts", "holder ends", "follower"]
