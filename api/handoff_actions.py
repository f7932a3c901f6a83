"""What staff do with a handoff: claim, reply, note, disposition, release, close, reassign; all audited.

Every action is written to `staff_audit`, and to the account's event record when the account is known.
SMS replies go through the outbox, so the compliance gate (opt-outs, issue 7's rules) applies to them;
webchat replies go down the debtor's socket through Rasa (`RasaClient.agent_message`). Releasing (and
closing a claimed handoff) clears the pause in Rasa first: when Rasa cannot be reached nothing changes.
A webchat reply Rasa could not take is kept in the transcript as `not_delivered` and not retried (a
late reply can arrive out of context); the agent is told and sends it again.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from api import compliance, conversations, outbox
from api.events import EventType
from api.exceptions import HandoffStateError, RasaUnavailableError
from api.handoff_models import Handoff, HandoffEntry, StaffAudit, StaffUser
from api.handoff_schemas import Disposition, Status
from api.handoffs import AGENT, NOTE, OPEN, record
from api.models import OutboundMessage
from api.rasa_client import RasaClient
from api.staff_auth import HANDOFF_ROLES, OVERSEER_ROLES

logger = logging.getLogger(__name__)

DELIVERED = "delivered"
NOT_DELIVERED = "not_delivered"


def audit(
    session: Session,
    staff: StaffUser | None,
    action: str,
    handoff: Handoff | None = None,
    data: dict[str, object] | None = None,
) -> None:
    """One line of the staff audit (caller commits); never the debtor's or the agent's words."""
    session.add(
        StaffAudit(
            staff_id=staff.id if staff else None,
            action=action,
            handoff_id=handoff.id if handoff else None,
            account_id=handoff.account_id if handoff else None,
            data=data or {},
        )
    )


def _act(
    session: Session, staff: StaffUser, handoff: Handoff, event: EventType, data: dict[str, object]
) -> None:
    """Audit the action, record it on the account, commit."""
    audit(session, staff, event.value, handoff, data)
    record(session, handoff, event, {"staff_id": staff.id, **data})
    session.commit()
    logger.info("handoff %s", event.value, extra={"handoff_id": handoff.id, "staff_id": staff.id})


def _require_owner(handoff: Handoff, staff: StaffUser) -> None:
    """Only the agent holding the handoff (or a supervisor) may act on the conversation."""
    if handoff.status != Status.CLAIMED:
        raise HandoffStateError(f"the handoff is {handoff.status}, not claimed")
    if handoff.claimed_by != staff.id and staff.role not in OVERSEER_ROLES:
        raise HandoffStateError("the handoff is claimed by another agent")


def claim(session: Session, handoff: Handoff, staff: StaffUser, now: datetime) -> None:
    """Take a queued handoff; claiming one's own again changes nothing."""
    if handoff.status == Status.CLAIMED and handoff.claimed_by == staff.id:
        return
    if handoff.status != Status.QUEUED:
        raise HandoffStateError(f"the handoff is {handoff.status}, not queued")
    handoff.status, handoff.claimed_by = Status.CLAIMED.value, staff.id
    handoff.claimed_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_CLAIMED, {})


def reassign(session: Session, handoff: Handoff, staff: StaffUser, to: StaffUser, now: datetime) -> None:
    """A supervisor gives an open handoff to another active agent."""
    if handoff.status not in OPEN:
        raise HandoffStateError(f"the handoff is {handoff.status}")
    if not to.active or to.role not in HANDOFF_ROLES:
        raise HandoffStateError("the handoff can only go to an active agent")
    previous = handoff.claimed_by
    handoff.status, handoff.claimed_by = Status.CLAIMED.value, to.id
    handoff.claimed_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_REASSIGNED, {"to": to.id, "from": previous})


def reply(
    session: Session,
    handoff: Handoff,
    staff: StaffUser,
    text: str,
    now: datetime,
    rasa: RasaClient,
    gate: compliance.GateConfig = compliance.DEFAULT_CONFIG,
) -> HandoffEntry:
    """The agent's reply: SMS through the outbox (it may be blocked), webchat down the socket via Rasa.

    Raises RasaUnavailableError after recording a webchat reply Rasa did not take as `not_delivered`.
    """
    _require_owner(handoff, staff)
    entry = HandoffEntry(kind=AGENT, text=text, staff_id=staff.id, at=now)
    data: dict[str, object] = {"channel": handoff.channel}
    if handoff.channel == "sms":
        message = _send_sms(session, handoff, text, now, gate)
        entry.outbound_message_id = message.id
        data.update(message_id=message.id, delivery=message.status)
        _record_in_rasa(rasa, handoff, text)
    else:
        entry.delivery = deliver_webchat(rasa, handoff.conversation_id, text)
        data.update(delivery=entry.delivery)
    handoff.entries.append(entry)
    handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_REPLIED, data)
    if entry.delivery == NOT_DELIVERED:
        raise RasaUnavailableError("the reply was not delivered")
    return entry


def deliver_webchat(rasa: RasaClient, conversation_id: str, text: str) -> str:
    """Send a line down the debtor's socket as a bot utterance; `delivered` or `not_delivered`."""
    try:
        rasa.agent_message(conversation_id, text, deliver=True)
    except RasaUnavailableError:
        return NOT_DELIVERED
    return DELIVERED


def _record_in_rasa(rasa: RasaClient, handoff: Handoff, text: str) -> None:
    """Keep Rasa's tracker a full transcript; the SMS itself goes out through the outbox regardless."""
    try:
        rasa.agent_message(handoff.conversation_id, text, deliver=False)
    except RasaUnavailableError:
        logger.warning("agent sms reply not recorded in rasa", extra={"handoff_id": handoff.id})


def _send_sms(
    session: Session, handoff: Handoff, text: str, now: datetime, gate: compliance.GateConfig
) -> OutboundMessage:
    contact = conversations.find_by_conversation(session, handoff.conversation_id)
    if contact is None or contact.channel != "sms":
        raise HandoffStateError("the conversation has no SMS contact to reply to")
    new = outbox.NewMessage(contact=contact, body=text, kind="agent", account_id=handoff.account_id)
    return outbox.enqueue(session, new, now, gate)


def add_note(session: Session, handoff: Handoff, staff: StaffUser, text: str, now: datetime) -> HandoffEntry:
    """A private note on the handoff; any agent who can read it may add one."""
    entry = HandoffEntry(kind=NOTE, text=text, staff_id=staff.id, at=now)
    handoff.entries.append(entry)
    handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_NOTE_ADDED, {})
    return entry


def set_disposition(
    session: Session, handoff: Handoff, staff: StaffUser, disposition: Disposition, now: datetime
) -> None:
    """How the conversation went; may be set until the handoff is closed."""
    if handoff.status == Status.CLOSED:
        raise HandoffStateError("the handoff is closed")
    if handoff.status == Status.CLAIMED:
        _require_owner(handoff, staff)
    handoff.disposition, handoff.updated_at = disposition.value, now
    _act(session, staff, handoff, EventType.HANDOFF_DISPOSITION_SET, {"disposition": disposition.value})


def release(session: Session, handoff: Handoff, staff: StaffUser, now: datetime, rasa: RasaClient) -> None:
    """Hand the conversation back to the bot: Rasa first, so an unreachable Rasa changes nothing here."""
    _require_owner(handoff, staff)
    rasa.release(handoff.conversation_id)
    handoff.status, handoff.open_conversation = Status.RELEASED.value, None
    handoff.released_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_RELEASED, {})


def close(session: Session, handoff: Handoff, staff: StaffUser, now: datetime, rasa: RasaClient) -> None:
    """End the handoff (claimed or released); a claimed one is released in Rasa first."""
    if handoff.status == Status.CLOSED:
        return
    if handoff.status != Status.RELEASED:
        _require_owner(handoff, staff)
        rasa.release(handoff.conversation_id)
    handoff.status, handoff.open_conversation = Status.CLOSED.value, None
    handoff.closed_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_CLOSED, {"disposition": handoff.disposition})
