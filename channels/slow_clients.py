"""Sanic's limits for Rasa's server: a request must arrive whole within a deadline, and not be too big.

Sanic (21.12, as Rasa 3.6 pins it) reads SANIC_REQUEST_TIMEOUT, SANIC_RESPONSE_TIMEOUT,
SANIC_KEEP_ALIVE_TIMEOUT and SANIC_REQUEST_MAX_SIZE from the environment when an app is made; its own
defaults are 60 s and 100 MB. Its timeouts are idle timeouts, though: every byte received restarts the
clock, so a client sending a byte a second holds a connection (and its memory) forever. `install()` sets
our defaults for those variables (an operator's own values win) and makes the request timeout a deadline
for the whole request: a request still incomplete REQUEST_TIMEOUT after its first byte is cut off with
408. A request that has arrived is untouched (its handler's time is the response timeout's business),
and so are websockets.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Final

from sanic.exceptions import RequestTimeout
from sanic.http import Stage
from sanic.server.protocols.http_protocol import HttpProtocol

DEFAULTS: Final = {
    "SANIC_REQUEST_TIMEOUT": "10",
    "SANIC_RESPONSE_TIMEOUT": "60",
    "SANIC_KEEP_ALIVE_TIMEOUT": "5",
    "SANIC_REQUEST_MAX_SIZE": str(1024 * 1024),
}
"""Seconds to receive a whole request, to answer it, to keep an idle connection; bytes of a request."""

_STARTED: Final = "request_started"
"""Where a connection keeps when its request's first bytes came (Sanic's per-connection ctx)."""
_original: Callable[[Any, bytes], None] = HttpProtocol.data_received


def set_defaults(env: MutableMapping[str, str]) -> None:
    """Our limits where the environment sets none (Sanic reads them when Rasa makes its app)."""
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)


def _incomplete(protocol: Any) -> bool:
    """Whether the connection is receiving a request that has not all arrived (headers or body)."""
    http = getattr(protocol, "_http", None)
    if http is None or http.upgrade_websocket:
        return False
    return http.stage is Stage.REQUEST or (http.stage is Stage.HANDLER and http.request_body is not None)


def _overdue(protocol: Any, now: float) -> bool:
    """Whether the request in progress began longer than REQUEST_TIMEOUT ago and is still incomplete."""
    started = getattr(protocol.conn_info.ctx, _STARTED, None)
    return started is not None and _incomplete(protocol) and now - started > protocol.request_timeout


def data_received(self: Any, data: bytes) -> None:
    """Sanic's own handling, after cutting off a request that is too slow to arrive."""
    now = time.monotonic()
    http = getattr(self, "_http", None)  # a slot, unset until Sanic starts the connection's first request
    if getattr(self, "conn_info", None) is None:
        pass
    elif http is None or http.stage is Stage.IDLE:
        setattr(self.conn_info.ctx, _STARTED, now)  # the first bytes of a request
    elif _overdue(self, now) and getattr(self, "_task", None) is not None:
        self._http.exception = RequestTimeout("Request Timeout")
        self._task.cancel()  # as Sanic's own timeouts do: answers 408 and closes
        return
    _original(self, data)


def install(env: MutableMapping[str, str] = os.environ) -> None:
    """Our limits' defaults in `env`, and the whole-request deadline on every Sanic connection."""
    set_defaults(env)
    HttpProtocol.data_received = data_received  # type: ignore[method-assign]


def installed() -> bool:
    return HttpProtocol.data_received is data_received
