"""Times every HTTP request and counts 5xx answers, labelled by the route's template, never its path.

A pure ASGI middleware (not BaseHTTPMiddleware), so the console's server-sent events stream untouched.
"""

import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core import metrics

UNMATCHED = "other"
"""The route label of a request no route matched (a 404): its raw path could hold anything."""

_LITERAL_PREFIX = re.compile(r"(/[a-z][a-z0-9_-]{0,30}){0,4}")
"""What a router prefix of ours looks like ("/api/v1"): a second guard, should one ever hold a parameter."""


def _prefix(path: str, route_regex: re.Pattern[str]) -> str:
    """The part of `path` before what the route's own pattern matched: an included router's prefix.

    FastAPI keeps included routers, so a route's template lacks the prefix it was included with
    ("/api/v1"). The leftmost split the route's pattern accepts never reaches past the literal prefix the
    router matched, so the label holds only text from our code; anything else is dropped, not labelled.
    """
    for start in (index for index, char in enumerate(path) if char == "/"):
        if route_regex.match(path[start:]):
            prefix = path[:start]
            return prefix if _LITERAL_PREFIX.fullmatch(prefix) else ""
    return ""


def route_template(scope: Scope) -> str:
    """The template of the route that answered ("/api/v1/accounts/{account_id}"), never the raw path."""
    route: Any = scope.get("route")
    regex, template = getattr(route, "path_regex", None), getattr(route, "path_format", None)
    if not isinstance(regex, re.Pattern) or not isinstance(template, str):
        return UNMATCHED
    return _prefix(str(scope.get("path", "")), regex) + template


class RequestMetrics:
    """Observe each HTTP request's duration and status once it is answered (or has failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; record how long it took and with which status."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            elapsed = time.perf_counter() - started
            metrics.request_answered(scope["method"], route_template(scope), status[0], elapsed)
