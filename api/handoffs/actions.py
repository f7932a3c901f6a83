"""What staff do with a handoff: claim, reply, note, disposition, release, close, reassign; all audited.

Every action is written to `staff_audit`, and to the account's event record when the account is known.
An agent's reply, on either channel, is recorded in the outbox through the compliance gate first (opt-outs,
forbidden language, stopped collection, ...). A reply the gate blocks is refused: it is kept in the
transcript as `blocked` with the gate's reasons on its outbox row, and nothing reaches the debtor or Rasa.
An allowed SMS reply waits in the outbox for the worker; an allowed webchat reply goes down the debtor's
socket through Rasa (`RasaClient.agent_message`), and its outbox row says whether Rasa took it. Releasing
(and closing a claimed handoff) clears the pause in Rasa first: when Rasa cannot be reached nothing changes.
A webchat reply Rasa could not take is kept in the transcript as `not_delivered` and not retried (a
late reply can arrive out of context); the agent is told and sends it again.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from api.accounts.events import EventType
from api.compliance import gate as compliance
from api.compliance.exceptions import ComplianceBlockedError
from api.conversations import service as conversations
from api.conversations.models import Contact, OutboundMessage
from api.handoffs.exceptions import HandoffStateError, RasaUnavailableError
from api.handoffs.models import Handoff, HandoffEntry
from api.handoffs.rasa_client import RasaClient
from api.handoffs.schemas import Disposition
from api.handoffs.service import AGENT, BLOCKED, NOTE, OPEN, record
from api.messaging import outbox
from api.staff import service as staff_service
from api.staff.models import StaffUser
from api.staff.service import HANDOFF_ROLES, OVERSEER_ROLES
from shared.vocabulary import Channel, HandoffStatus, OutboundStatus

logger = logging.getLogger(__name__)

DELIVERED = "delivered"
NOT_DELIVERED = "not_delivered"


def audit(
    session: Session,
    staff: StaffUser | None,
    action: str,
    handoff: Handoff,
    data: dict[str, object] | None = None,
) -> None:
    """One line of the staff audit about a handoff (caller commits); never anybody's words."""
    staff_service.audit(session, staff, action, handoff.id, handoff.account_id, data)


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
    if handoff.status != HandoffStatus.CLAIMED:
        raise HandoffStateError(f"the handoff is {handoff.status}, not claimed")
    if handoff.claimed_by != staff.id and staff.role not in OVERSEER_ROLES:
        raise HandoffStateError("the handoff is claimed by another agent")


def claim(session: Session, handoff: Handoff, staff: StaffUser, now: datetime) -> None:
    """Take a queued handoff; claiming one's own again changes nothing."""
    if handoff.status == HandoffStatus.CLAIMED and handoff.claimed_by == staff.id:
        return
    if handoff.status != HandoffStatus.QUEUED:
        raise HandoffStateError(f"the handoff is {handoff.status}, not queued")
    handoff.status, handoff.claimed_by = HandoffStatus.CLAIMED.value, staff.id
    handoff.claimed_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_CLAIMED, {})


def reassign(session: Session, handoff: Handoff, staff: StaffUser, to: StaffUser, now: datetime) -> None:
    """A supervisor gives an open handoff to another active agent."""
    if handoff.status not in OPEN:
        raise HandoffStateError(f"the handoff is {handoff.status}")
    if not to.active or to.role not in HANDOFF_ROLES:
        raise HandoffStateError("the handoff can only go to an active agent")
    previous = handoff.claimed_by
    handoff.status, handoff.claimed_by = HandoffStatus.CLAIMED.value, to.id
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
    """The agent's reply through the compliance gate, then SMS through the outbox or webchat via Rasa.

    Raises ComplianceBlockedError when the gate refused it (kept as `blocked`, nothing sent), and
    RasaUnavailableError when Rasa did not take a webchat reply (kept as `not_delivered`).
    """
    _require_owner(handoff, staff)
    message = outbox.enqueue(session, _new_reply(session, handoff, text), now, gate)
    entry = HandoffEntry(kind=AGENT, text=text, staff_id=staff.id, at=now, outbound_message_id=message.id)
    entry.delivery = _deliver(session, handoff, message, rasa, now)
    handoff.entries.append(entry)
    handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_REPLIED, _reply_data(handoff, message, entry))
    if entry.delivery == BLOCKED:
        raise ComplianceBlockedError(list(message.block_reasons))
    if entry.delivery == NOT_DELIVERED:
        raise RasaUnavailableError("the reply was not delivered")
    return entry


def _new_reply(session: Session, handoff: Handoff, text: str) -> outbox.NewMessage:
    """The reply as an outbox message to the debtor's contact on the handoff's channel."""
    contact: Contact | None
    if handoff.channel == Channel.WEBCHAT:
        contact = conversations.webchat_contact(session, handoff.conversation_id)
    else:
        contact = conversations.find_by_conversation(session, handoff.conversation_id)
    if contact is None or contact.channel != handoff.channel:
        raise HandoffStateError(f"the conversation has no {handoff.channel} contact to reply to")
    return outbox.NewMessage(contact=contact, body=text, kind="agent", account_id=handoff.account_id)


def _deliver(
    session: Session, handoff: Handoff, message: OutboundMessage, rasa: RasaClient, now: datetime
) -> str | None:
    """`blocked`; None for an SMS left to the worker (its outbox status says); webchat's delivery."""
    if message.status == OutboundStatus.BLOCKED:
        return BLOCKED
    if message.channel not in outbox.WORKER_CHANNELS:
        return deliver_webchat(session, rasa, message, now)
    _record_in_rasa(rasa, handoff, message.body)
    return None


def _reply_data(handoff: Handoff, message: OutboundMessage, entry: HandoffEntry) -> dict[str, object]:
    """The audit line of a reply: channel, outbox message, delivery, and the gate's reasons if blocked."""
    data: dict[str, object] = {
        "channel": handoff.channel,
        "message_id": message.id,
        "delivery": entry.delivery or message.status,
    }
    if message.block_reasons:
        data["reasons"] = list(message.block_reasons)
    return data


def deliver_webchat(session: Session, rasa: RasaClient, message: OutboundMessage, now: datetime) -> str:
    """Send a message the gate allowed down the debtor's socket as a bot utterance; `delivered` or
    `not_delivered`, also recorded on its outbox row."""
    try:
        rasa.agent_message(message.conversation_id, message.body, deliver=True)
    except RasaUnavailableError:
        outbox.hand_over_failed(session, message, now)
        return NOT_DELIVERED
    outbox.hand_over(session, message, now)
    return DELIVERED


def _record_in_rasa(rasa: RasaClient, handoff: Handoff, text: str) -> None:
    """Keep Rasa's tracker a full transcript; the SMS itself goes out through the outbox regardless."""
    try:
        rasa.agent_message(handoff.conversation_id, text, deliver=False)
    except RasaUnavailableError:
        logger.warning("agent sms reply not recorded in rasa", extra={"handoff_id": handoff.id})


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
    if handoff.status == HandoffStatus.CLOSED:
        raise HandoffStateError("the handoff is closed")
    if handoff.status == HandoffStatus.CLAIMED:
        _require_owner(handoff, staff)
    handoff.disposition, handoff.updated_at = disposition.value, now
    _act(session, staff, handoff, EventType.HANDOFF_DISPOSITION_SET, {"disposition": disposition.value})


def release(session: Session, handoff: Handoff, staff: StaffUser, now: datetime, rasa: RasaClient) -> None:
    """Hand the conversation back to the bot: Rasa first, so an unreachable Rasa changes nothing here."""
    _require_owner(handoff, staff)
    rasa.release(handoff.conversation_id)
    handoff.status, handoff.open_conversation = HandoffStatus.RELEASED.value, None
    handoff.released_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_RELEASED, {})


def close(session: Session, handoff: Handoff, staff: StaffUser, now: datetime, rasa: RasaClient) -> None:
    """End the handoff (claimed or released); a claimed one is released in Rasa first."""
    if handoff.status == HandoffStatus.CLOSED:
        return
    if handoff.status != HandoffStatus.RELEASED:
        _require_owner(handoff, staff)
        rasa.release(handoff.conversation_id)
    handoff.status, handoff.open_conversation = HandoffStatus.CLOSED.value, None
    handoff.closed_at = handoff.updated_at = now
    _act(session, staff, handoff, EventType.HANDOFF_CLOSED, {"disposition": handoff.disposition})
