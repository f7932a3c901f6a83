"""GET /handoffs/stream: the live queue as server-sent events, for the console (cookie or bearer).

Stateless across API processes: each stream polls the database (HANDOFF_STREAM_POLL_SECONDS) and sends
the whole visible queue whenever it changed. It ends after HANDOFF_STREAM_MAX_SECONDS (EventSource
reconnects by itself) or as soon as the user is deactivated.
"""

import json
import logging
import time
from collections.abc import AsyncIterator

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.core.config import Settings
from api.core.db import get_session_factory
from api.core.dependencies import SettingsDep
from api.handoffs import views as handoff_views
from api.staff.dependencies import HandoffStaff
from api.staff.models import StaffUser
from api.staff.service import HANDOFF_ROLES

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/handoffs", tags=["console"])

KEEP_ALIVE_SECONDS = 15.0
RECONNECT_MS = 3000


def queue_snapshot(database_url: str, staff_id: str) -> str | None:
    """The user's visible open queue as JSON, or None when the user may no longer see it."""
    with get_session_factory(database_url)() as session:
        staff = session.get(StaffUser, staff_id)
        if staff is None or not staff.active or staff.role not in HANDOFF_ROLES:
            return None
        items = [
            handoff_views.item(handoff).model_dump(mode="json")
            for handoff in handoff_views.queue(session, staff)
        ]
    return json.dumps(items, separators=(",", ":"))


def event(name: str, data: str) -> str:
    """One server-sent event."""
    return f"event: {name}\ndata: {data}\n\n"


async def queue_events(request: Request, settings: Settings, staff_id: str) -> AsyncIterator[str]:
    """Queue changes until the client goes, the user is signed out, or the stream's time is up."""
    yield f"retry: {RECONNECT_MS}\n\n"
    deadline = time.monotonic() + settings.HANDOFF_STREAM_MAX_SECONDS
    last, quiet_since = "", time.monotonic()
    while time.monotonic() < deadline and not await request.is_disconnected():
        snapshot = await run_in_threadpool(queue_snapshot, settings.DATABASE_URL, staff_id)
        if snapshot is None:
            yield event("signed_out", "{}")
            return
        if snapshot != last:
            last, quiet_since = snapshot, time.monotonic()
            yield event("queue", snapshot)
        elif time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(settings.HANDOFF_STREAM_POLL_SECONDS)


@router.get("/stream", response_class=StreamingResponse, responses={401: {}, 403: {}})
def stream_queue(request: Request, staff: HandoffStaff, settings: SettingsDep) -> StreamingResponse:
    """`event: queue` with the visible open queue (as GET /handoffs) now and on every change."""
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        queue_events(request, settings, staff.id), media_type="text/event-stream", headers=headers
    )
