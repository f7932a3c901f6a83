"""Races on purpose: many threads released at the same moment against one row."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def all_at_once(count: int, work: Callable[[int, threading.Barrier], T]) -> list[T]:
    """Run `work(n, start)` for n in range(count), each on its own thread; they all wait on `start`."""
    start = threading.Barrier(count)
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(work, n, start) for n in range(count)]
        return [future.result() for future in futures]
