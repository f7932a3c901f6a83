"""Rasa's HTTP endpoints (the action server above all) on one kept-alive session each, not one per call.

Rasa 3.6's `EndpointConfig.request` opens `async with self.session()`: a new aiohttp session, connector
and TCP connection for every action server call, with `localhost` resolved again in a thread each time.
Under load that was about a tenth of the Rasa process's busy time (issue 15). `kept_session` hands
`request` the endpoint's one session of the running event loop, which `async with` borrows and does not
close; the headers, basic auth and timeout are those Rasa's `session()` sets. The connector keeps idle
connections for less time than Sanic's (the action server's) 5 s keep-alive, so a request never goes out
on a connection the server is about to close. `install()` runs in the Rasa server's launcher
(channels/serve.py) before Rasa starts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT  # type: ignore[import-untyped]
from rasa.utils.endpoints import EndpointConfig  # type: ignore[import-untyped]

STOCK_SESSION = EndpointConfig.session
"""Rasa's own: a new session per call (kept for comparison and the tests)."""
KEEPALIVE_SECONDS = 2.0
"""Below Sanic's default keep-alive timeout (5 s), so the client drops an idle connection first."""


@dataclass
class Kept:
    """One endpoint's session and the event loop it belongs to."""

    loop: asyncio.AbstractEventLoop
    session: aiohttp.ClientSession


class Borrowed:
    """`async with` of a kept session: enter gives the session, exit leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Lend `session`."""
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        """The kept session."""
        return self.session

    async def __aexit__(self, *_exc: object) -> None:
        """Nothing: the session stays open for the next call."""


def new_session(endpoint: Any) -> aiohttp.ClientSession:
    """A session configured as Rasa's `session()` configures it, on a connector that keeps connections."""
    basic = endpoint.basic_auth
    auth = aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
    )


def kept_session(self: Any) -> Borrowed:
    """This endpoint's session of the running event loop (a new one on a new loop, or once closed)."""
    loop = asyncio.get_running_loop()
    kept: Kept | None = getattr(self, "_kept_session", None)
    if kept is None or kept.loop is not loop or kept.session.closed:
        kept = Kept(loop, new_session(self))
        self._kept_session = kept
    return Borrowed(kept.session)


def install() -> None:
    """Make every EndpointConfig of this process request through its kept session."""
    EndpointConfig.session = kept_session


def installed() -> bool:
    """Whether this process's endpoints keep their sessions."""
    return EndpointConfig.session is kept_session
