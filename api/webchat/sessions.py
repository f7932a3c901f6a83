"""Webchat sessions: signed short-lived tokens the Rasa webchat channel checks, and a light rate limit.

A token's `sub` is the only conversation (Rasa sender id) its holder's socket may join, so session ids
are random and only this API hands them out; the channel (channels/webchat.py) verifies the signature
with the same WEBCHAT_JWT_SECRET.
"""

import time
import uuid
from collections import OrderedDict, deque
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from shared import webchat_token

MAX_TOKEN_CHARS = 2048


class WebchatSessionIn(BaseModel):
    """Optional body of POST /webchat/session: the page's current token, to keep its conversation."""

    token: str | None = Field(default=None, max_length=MAX_TOKEN_CHARS)


class WebchatSessionOut(BaseModel):
    """A conversation id, the token that opens a socket for it, and when that token stops working."""

    session_id: str
    token: str
    expires_at: datetime


def new_session_id() -> str:
    """A random conversation id (128 bits): nobody can guess another debtor's."""
    return uuid.uuid4().hex


def issue(secret: str, ttl_seconds: int, session_id: str, now: datetime | None = None) -> WebchatSessionOut:
    """Sign a token for `session_id` that expires `ttl_seconds` from now."""
    issued_at = now or datetime.now(UTC)
    expires_at = issued_at + timedelta(seconds=ttl_seconds)
    token = webchat_token.encode(secret, session_id, issued_at, expires_at)
    return WebchatSessionOut(session_id=session_id, token=token, expires_at=expires_at)


def session_of(secret: str, token: str | None) -> str | None:
    """The session id of a valid, unexpired token; None for a missing, expired or forged one."""
    if not token:
        return None
    try:
        return webchat_token.decode(token, secret)
    except webchat_token.InvalidTokenError:
        return None


class RateLimiter:
    """At most `limit` hits per `window_seconds` per key (client address), in this process's memory.

    Light on purpose: it stops a script minting sessions in a loop, not a distributed attack (that is
    the proxy's job). Keys are evicted oldest first past `max_keys`, so memory stays bounded.
    """

    def __init__(self, limit: int, window_seconds: float = 60.0, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count a hit for `key`; False when it is over the limit (the refused hit is not counted)."""
        moment = time.monotonic() if now is None else now
        hits = self._hits.pop(key, None) or deque()
        while hits and hits[0] <= moment - self.window_seconds:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(moment)
        self._hits[key] = hits
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return allowed
