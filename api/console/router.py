"""Handoffs, the agents' side (staff session): the queue, one handoff, and what agents do with it.

Marketing is refused everything here (403); an agent asking for a handoff it may not see gets a 404.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy.orm import Session

from api.compliance.exceptions import ComplianceBlockedError
from api.compliance.gate import GateConfig, describe
from api.core.dependencies import NowDep, SessionDep, SettingsDep
from api.handoffs import actions as handoff_actions
from api.handoffs import views as handoff_views
from api.handoffs.dependencies import RasaDep
from api.handoffs.exceptions import HandoffStateError, RasaUnavailableError
from api.handoffs.models import Handoff
from api.handoffs.rasa_client import RasaClient
from api.handoffs.schemas import (
    DispositionIn,
    EntryOut,
    HandoffDetailOut,
    NoteIn,
    QueueItemOut,
    ReassignIn,
    ReplyIn,
)
from api.handoffs.service import OPEN
from api.staff.dependencies import HandoffStaff, Overseer
from api.staff.models import StaffUser
from shared.vocabulary import BlockReason, HandoffStatus

router = APIRouter(prefix="/handoffs", tags=["console"])

HandoffId = Annotated[str, Path(max_length=36, description="The handoff's id (a UUID).")]
StatusFilter = Annotated[
    list[HandoffStatus] | None,
    Query(alias="status", description="Statuses to list; default: the open ones (queued, claimed)."),
]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid staff session"},
    403: {"description": "Role not allowed"},
    404: {"description": "Unknown handoff, or one this user may not see"},
    409: {"description": "The action does not fit the handoff's state or owner"},
    422: {"description": "The compliance gate refused the reply; the detail says why; nothing was sent"},
    503: {"description": "The bot server (Rasa) could not be reached; see the detail for what was kept"},
}
RASA_DOWN = "The bot server (Rasa) could not be reached"
REPLY_NOT_DELIVERED = (
    f"{RASA_DOWN}: your reply is saved in the transcript as not delivered. Send it again in a moment."
)
NOT_RELEASED = (
    f"{RASA_DOWN}: the conversation is still yours and the bot stays paused. Try again in a moment."
)


def reply_blocked(reasons: list[str]) -> str:
    """What the console tells an agent whose reply the compliance gate refused, and what to do next."""
    why = "; ".join(describe(reason) for reason in reasons)
    wording = any(reason.startswith(BlockReason.FORBIDDEN_LANGUAGE) for reason in reasons)
    advice = " Rephrase it and send again." if wording else ""
    return f"Not sent: the compliance check blocked this reply ({why}). It is kept in the transcript.{advice}"


def _visible_or_404(session: Session, handoff_id: str, staff: StaffUser) -> Handoff:
    handoff = handoff_views.get_visible(session, handoff_id, staff)
    if handoff is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="handoff not found")
    return handoff


def _run(action: Callable[[], object], rasa_down: str = RASA_DOWN) -> None:
    """Carry out an action: a state conflict is a 409, a reply the gate refused a 422 saying why, an
    unreachable Rasa a 503 saying `rasa_down`."""
    try:
        action()
    except HandoffStateError as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from None
    except ComplianceBlockedError as error:
        detail = reply_blocked(error.reasons)
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail) from None
    except RasaUnavailableError:
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=rasa_down) from None


HandBack = Callable[[Session, Handoff, StaffUser, datetime, RasaClient], None]


def _hand_back(
    action: HandBack, session: Session, handoff: Handoff, staff: StaffUser, now: datetime, rasa: RasaClient
) -> HandoffDetailOut:
    """Give the conversation back to the bot (release or close) through Rasa: 503 if Rasa is down."""
    _run(lambda: action(session, handoff, staff, now, rasa), NOT_RELEASED)
    return handoff_views.detail(session, handoff)


@router.get("", responses=_RESPONSES)
def list_queue(
    staff: HandoffStaff, session: SessionDep, status_in: StatusFilter = None
) -> list[QueueItemOut]:
    """The queue the user may see: most urgent first, then oldest first."""
    statuses = frozenset(status_in) if status_in else OPEN
    return [handoff_views.item(handoff) for handoff in handoff_views.queue(session, staff, statuses)]


@router.get("/{handoff_id}", responses=_RESPONSES)
def read_handoff(handoff_id: HandoffId, staff: HandoffStaff, session: SessionDep) -> HandoffDetailOut:
    """Transcript with distress markers, distress trend, summary, notes and the account summary."""
    return handoff_views.detail(session, _visible_or_404(session, handoff_id, staff))


@router.post("/{handoff_id}/claim", responses=_RESPONSES)
def claim(handoff_id: HandoffId, staff: HandoffStaff, session: SessionDep, now: NowDep) -> HandoffDetailOut:
    """Take the conversation: the user now holds it; other agents no longer see it."""
    handoff = _visible_or_404(session, handoff_id, staff)
    _run(lambda: handoff_actions.claim(session, handoff, staff, now))
    return handoff_views.detail(session, handoff)


@router.post("/{handoff_id}/reply", status_code=status.HTTP_201_CREATED, responses=_RESPONSES)
def reply(
    handoff_id: HandoffId,
    body: ReplyIn,
    staff: HandoffStaff,
    session: SessionDep,
    settings: SettingsDep,
    rasa: RasaDep,
    now: NowDep,
) -> EntryOut:
    """Reply through the compliance gate: SMS via the outbox, webchat through Rasa to the debtor's socket.

    422 when the gate refuses it (the detail names why; it stays in the transcript as `blocked`, nothing
    is sent); 503 when Rasa cannot take a webchat reply (it stays in the transcript as `not_delivered`).
    """
    handoff = _visible_or_404(session, handoff_id, staff)
    gate = GateConfig.from_settings(settings)
    _run(
        lambda: handoff_actions.reply(session, handoff, staff, body.text, now, rasa, gate),
        REPLY_NOT_DELIVERED,
    )
    return handoff_views.detail(session, handoff).transcript[-1]


@router.post("/{handoff_id}/notes", status_code=status.HTTP_201_CREATED, responses=_RESPONSES)
def add_note(
    handoff_id: HandoffId, body: NoteIn, staff: HandoffStaff, session: SessionDep, now: NowDep
) -> EntryOut:
    """A private note, never shown to the debtor."""
    handoff = _visible_or_404(session, handoff_id, staff)
    _run(lambda: handoff_actions.add_note(session, handoff, staff, body.text, now))
    return handoff_views.detail(session, handoff).notes[-1]


@router.post("/{handoff_id}/disposition", responses=_RESPONSES)
def set_disposition(
    handoff_id: HandoffId, body: DispositionIn, staff: HandoffStaff, session: SessionDep, now: NowDep
) -> HandoffDetailOut:
    """Record how the conversation went."""
    handoff = _visible_or_404(session, handoff_id, staff)
    _run(lambda: handoff_actions.set_disposition(session, handoff, staff, body.disposition, now))
    return handoff_views.detail(session, handoff)


@router.post("/{handoff_id}/release", responses=_RESPONSES)
def release(
    handoff_id: HandoffId, staff: HandoffStaff, session: SessionDep, rasa: RasaDep, now: NowDep
) -> HandoffDetailOut:
    """Give the conversation back to the bot, which answers the debtor's next message (slots intact).

    503 when Rasa cannot be reached: the handoff stays claimed and the bot paused.
    """
    handoff = _visible_or_404(session, handoff_id, staff)
    return _hand_back(handoff_actions.release, session, handoff, staff, now, rasa)


@router.post("/{handoff_id}/close", responses=_RESPONSES)
def close(
    handoff_id: HandoffId, staff: HandoffStaff, session: SessionDep, rasa: RasaDep, now: NowDep
) -> HandoffDetailOut:
    """End the handoff; the bot has the conversation again (503, nothing changed, if Rasa is down)."""
    handoff = _visible_or_404(session, handoff_id, staff)
    return _hand_back(handoff_actions.close, session, handoff, staff, now, rasa)


@router.post("/{handoff_id}/reassign", responses=_RESPONSES)
def reassign(
    handoff_id: HandoffId, body: ReassignIn, staff: Overseer, session: SessionDep, now: NowDep
) -> HandoffDetailOut:
    """Supervisors: give an open handoff to another agent."""
    handoff = _visible_or_404(session, handoff_id, staff)
    target = session.get(StaffUser, body.staff_id)
    if target is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="staff user not found")
    _run(lambda: handoff_actions.reassign(session, handoff, staff, target, now))
    return handoff_views.detail(session, handoff)
