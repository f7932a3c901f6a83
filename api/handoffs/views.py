"""What staff may see of handoffs: the queue, one handoff in full; visibility by role.

Agents see queued handoffs and those they hold or held; supervisors and admins see everything; any
other handoff does not exist for the asker (404, so ids cannot be probed).
"""

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.conversations.models import OutboundMessage
from api.handoffs.models import Handoff, HandoffEntry
from api.handoffs.schemas import (
    AccountSummaryOut,
    DistressPoint,
    EntryOut,
    HandoffDetailOut,
    QueueItemOut,
)
from api.handoffs.service import NOTE, OPEN
from api.staff.models import StaffUser
from api.staff.service import OVERSEER_ROLES
from shared.vocabulary import HandoffStatus

QUEUE_LIMIT = 200


def visible(query: Select[Handoff], staff: StaffUser) -> Select[Handoff]:
    """Restrict a handoff query to what this staff user may see."""
    if staff.role in OVERSEER_ROLES:
        return query
    return query.where(or_(Handoff.status == HandoffStatus.QUEUED, Handoff.claimed_by == staff.id))


def get_visible(session: Session, handoff_id: str, staff: StaffUser) -> Handoff | None:
    """The handoff, if this staff user may see it."""
    return session.scalars(visible(select(Handoff).where(Handoff.id == handoff_id), staff)).one_or_none()


def queue(session: Session, staff: StaffUser, statuses: frozenset[str] = OPEN) -> list[Handoff]:
    """Visible handoffs in these statuses, most urgent first, then oldest first."""
    query = (
        select(Handoff)
        .where(Handoff.status.in_(statuses))
        .order_by(Handoff.priority, Handoff.created_at, Handoff.id)
        .limit(QUEUE_LIMIT)
    )
    return list(session.scalars(visible(query, staff)))


def item(handoff: Handoff) -> QueueItemOut:
    """A queue line."""
    return QueueItemOut(
        id=handoff.id,
        channel=handoff.channel,
        reason=handoff.reason,
        priority=handoff.priority,
        status=handoff.status,
        claimed_by=handoff.claimed_by,
        verified=handoff.account_id is not None,
        escalated=handoff.escalated_at is not None,
        created_at=handoff.created_at,
        updated_at=handoff.updated_at,
    )


def _entries(session: Session, entries: list[HandoffEntry]) -> list[EntryOut]:
    """Entries with the author's email and their delivery: webchat's (or `blocked`) as recorded on the
    entry, else an SMS reply's outbox status."""
    staff_ids = {entry.staff_id for entry in entries if entry.staff_id}
    message_ids = {entry.outbound_message_id for entry in entries if entry.outbound_message_id}
    by_id = select(StaffUser.id, StaffUser.email).where(StaffUser.id.in_(staff_ids))
    emails = dict(session.execute(by_id).tuples().all())
    query = select(OutboundMessage.id, OutboundMessage.status).where(OutboundMessage.id.in_(message_ids))
    statuses = dict(session.execute(query).tuples().all())
    return [
        EntryOut(
            seq=entry.seq,
            sender=entry.kind,
            text=entry.text,
            at=entry.at,
            distress=entry.distress,
            staff_email=emails.get(entry.staff_id) if entry.staff_id else None,
            delivery=entry.delivery or statuses.get(entry.outbound_message_id or ""),
        )
        for entry in entries
    ]


def _account(session: Session, handoff: Handoff) -> AccountSummaryOut | None:
    account = accounts.get_account(session, handoff.account_id) if handoff.account_id else None
    if account is None:
        return None
    return AccountSummaryOut(
        reference=account.reference,
        creditor=account.creditor,
        total=f"{account.total:.2f}",
        currency=account.currency,
        days_past_due=account.days_past_due,
        debtor_name=f"{account.debtor.first_name} {account.debtor.last_name}",
        timezone=account.debtor.timezone,
    )


def detail(session: Session, handoff: Handoff) -> HandoffDetailOut:
    """Everything an agent needs to take the conversation over."""
    entries = _entries(session, list(handoff.entries))
    return HandoffDetailOut(
        **item(handoff).model_dump(),
        conversation_id=handoff.conversation_id,
        summary=handoff.summary,
        disposition=handoff.disposition,
        distress=[DistressPoint.model_validate(point) for point in handoff.distress],
        transcript=[entry for entry in entries if entry.sender != NOTE],
        notes=[entry for entry in entries if entry.sender == NOTE],
        account=_account(session, handoff),
        escalated_at=handoff.escalated_at,
        claimed_by_email=session.scalar(select(StaffUser.email).where(StaffUser.id == handoff.claimed_by))
        if handoff.claimed_by
        else None,
    )
