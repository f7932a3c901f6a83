"""The live variations the NLG route serves, kept in memory for a moment (every bot message asks).

An entry lives TTL_SECONDS at most, so a version published through another API process reaches the bot
within that; a publish in this process forgets the response at once.
"""

import time
from typing import Final

from fastapi.concurrency import run_in_threadpool

from api.core.db import get_session_factory
from api.responses import service
from api.responses.rendering import Variation

TTL_SECONDS: Final = 2.0
_entries: dict[tuple[str, str], tuple[float, list[Variation] | None]] = {}


def forget(name: str | None = None) -> None:
    """Drop the remembered variations of `name` (every name when None), in every database."""
    for key in [key for key in _entries if name is None or key[1] == name]:
        _entries.pop(key, None)


def _load(database_url: str, name: str) -> list[Variation] | None:
    """The live variations from the database (a session of its own: this runs in a worker thread)."""
    with get_session_factory(database_url)() as session:
        return service.live_variations(session, name)


async def variations(database_url: str, name: str) -> list[Variation] | None:
    """The live variations of `name` (None: unknown), at most TTL_SECONDS old."""
    now = time.monotonic()
    entry = _entries.get((database_url, name))
    if entry is not None and entry[0] > now:
        return entry[1]
    loaded = await run_in_threadpool(_load, database_url, name)
    _entries[(database_url, name)] = (now + TTL_SECONDS, loaded)
    return loaded
