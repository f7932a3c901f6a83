"""Handoffs, the bot's side: create (once per open conversation), pause state, debtor messages, replies.

A handoff is open while queued or claimed; the bot sends nothing on an open conversation. Releasing it
hands the conversation back, closing it ends it; either way the next handoff is a new one.
"""

import logging
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.events import EventType
from api.core import metrics
from api.handoffs.models import Handoff, HandoffEntry
from api.handoffs.schemas import DebtorMessageIn, HandoffIn
from shared.vocabulary import HandoffReason, HandoffStatus

logger = logging.getLogger(__name__)

OPEN = frozenset({HandoffStatus.QUEUED, HandoffStatus.CLAIMED})
AGENT = "agent"
NOTE = "note"
BLOCKED = "blocked"
"""The delivery of an agent's line the compliance gate refused: kept in the transcript, never sent."""

PRIORITY: dict[str, int] = {
    HandoffReason.CRISIS: 0,
    HandoffReason.HIGH_DISTRESS: 1,
    HandoffReason.ATTORNEY: 2,
    HandoffReason.BANKRUPTCY: 2,
    HandoffReason.DECEASED: 2,
    HandoffReason.DISPUTE: 3,
    HandoffReason.VERIFICATION_LOCKOUT: 3,
    HandoffReason.OUTSIDE_POLICY: 4,
    HandoffReason.REQUEST_HUMAN: 4,
    HandoffReason.SERVICE_UNAVAILABLE: 4,
    HandoffReason.REPEATED_FALLBACK: 5,
}
"""Lower is more urgent: a debtor in crisis comes before everyone else."""


def open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's open handoff, if a person has it (or is about to)."""
    query = select(Handoff).where(Handoff.open_conversation == conversation_id)
    return session.scalars(query).one_or_none()


def get(session: Session, handoff_id: str) -> Handoff | None:
    """The handoff with this id."""
    return session.get(Handoff, handoff_id)


def record(session: Session, handoff: Handoff, event: EventType, data: dict[str, object]) -> None:
    """Append to the account's event record when the debtor's account is known (no personal data)."""
    if handoff.account_id is not None and accounts.get_account(session, handoff.account_id) is not None:
        accounts.record_event(session, handoff.account_id, event, {"handoff_id": handoff.id, **data})


def create(session: Session, data: HandoffIn, now: datetime) -> tuple[Handoff, bool]:
    """The new handoff, or the open one of this conversation (priority raised if need be); commits.

    Returns the handoff and whether it was created.
    """
    existing = open_handoff(session, data.conversation_id)
    if existing is not None:
        _merge(session, existing, data, now)
        session.commit()
        return existing, False
    handoff = _new(data, now)
    session.add(handoff)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent request opened one first: merge into theirs.
        session.rollback()
        return create(session, data, now)
    record(session, handoff, EventType.HANDOFF_CREATED, {"reason": data.reason, "priority": handoff.priority})
    session.commit()
    metrics.handoff_opened(data.reason, data.channel)
    logger.info("handoff created", extra={"handoff_id": handoff.id, "reason": data.reason.value})
    return handoff, True


def _new(data: HandoffIn, now: datetime) -> Handoff:
    handoff = Handoff(
        conversation_id=data.conversation_id,
        open_conversation=data.conversation_id,
        channel=data.channel,
        account_id=data.account_id,
        reason=data.reason.value,
        priority=PRIORITY[data.reason],
        status=HandoffStatus.QUEUED.value,
        distress=[point.model_dump() for point in data.distress],
        summary=data.summary,
        created_at=now,
        updated_at=now,
    )
    handoff.entries = [
        HandoffEntry(kind=line.sender, text=line.text, distress=line.distress, at=line.at or now)
        for line in data.transcript
    ]
    return handoff


def _merge(session: Session, handoff: Handoff, data: HandoffIn, now: datetime) -> None:
    """A second request for an open conversation: raise the priority, learn the account and distress."""
    priority = PRIORITY[data.reason]
    if priority < handoff.priority:
        record(
            session,
            handoff,
            EventType.HANDOFF_PRIORITY_RAISED,
            {"reason": data.reason, "priority": priority, "was": handoff.priority},
        )
        handoff.priority, handoff.reason = priority, data.reason.value
    handoff.account_id = handoff.account_id or data.account_id
    if data.distress:
        handoff.distress = [*handoff.distress, *(point.model_dump() for point in data.distress)]
    handoff.updated_at = now


def append_debtor_message(session: Session, handoff: Handoff, data: DebtorMessageIn, now: datetime) -> None:
    """A message that arrived while paused: into the transcript, for the agent (commits)."""
    level = data.distress.level if data.distress else None
    handoff.entries.append(HandoffEntry(kind="debtor", text=data.text, distress=level, at=now))
    if data.distress is not None:
        handoff.distress = [*handoff.distress, data.distress.model_dump()]
        if data.distress.level == "crisis" and handoff.priority > PRIORITY[HandoffReason.CRISIS]:
            handoff.priority = PRIORITY[HandoffReason.CRISIS]
    handoff.updated_at = now
    session.commit()


def agent_messages(session: Session, conversation_id: str, after: int) -> list[HandoffEntry]:
    """Agents' replies on this conversation after the cursor `after` (a seq), oldest first; never one
    the compliance gate blocked."""
    not_blocked = or_(HandoffEntry.delivery.is_(None), HandoffEntry.delivery != BLOCKED)
    query = (
        select(HandoffEntry)
        .join(Handoff)
        .where(Handoff.conversation_id == conversation_id, HandoffEntry.kind == AGENT, not_blocked)
        .where(HandoffEntry.seq > after)
        .order_by(HandoffEntry.seq)
        .limit(100)
    )
    return list(session.scalars(query))
