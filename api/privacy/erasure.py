"""GDPR: which conversations are a debtor's, the subject access export (Art. 15), and erasure (Art. 17).

A debtor's conversations are the SMS conversation of their number (its id is an HMAC of the number, see
api.conversations) and every conversation tied to one of their accounts: by a message, a handoff or an
identity verification attempt (which is how a webchat conversation becomes theirs).

Erasure removes the personal data and keeps what the law requires (Art. 17(3)(b) and (e)):
- the account rows (reference, creditor, amounts, dates): that the debt exists, without who owes it, is
  needed for legal claims and Reg F 1006.100's three-year record retention;
- the hash-chained event record (it holds no personal data by design) plus one `subject.erased` event;
- message rows with body and address blanked (status, times and gate reasons evidence compliance);
- an opted-out SMS contact (number and opt-out), so the STOP keeps being honoured (TCPA, 1006.6(e));
- the debtor row as a tombstone: no name, number, email or identity hashes, `erased_at` set.
Tracker events (and the event broker's copy), transcripts, the conversation review's rows (api.insights),
dispute texts, notes, preferences and other contacts are deleted outright.
Erasure is idempotent: repeating it deletes whatever Rasa wrote since (a message in flight), nothing else.
Redis holds nothing else per debtor: the lock store's keys name a conversation id only and live seconds.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.accounts import service as accounts
from api.accounts.events import EventType
from api.accounts.models import ContactPreference, Debtor, VerificationAttempt
from api.collections.models import AccountFlag, Dispute, PaymentClaim
from api.conversations import service as conversations
from api.conversations.models import Contact, InboundMessage, OutboundMessage
from api.handoffs.models import Handoff, HandoffEntry
from api.insights import retention as insights_retention
from api.privacy.tracker_stores import TrackerStore
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

ERASED_PHONE_PREFIX = "erased:"
SERVICE = "service"
"""`requested_by` of a request made with the service token rather than by a signed-in admin."""


def account_ids(debtor: Debtor) -> list[str]:
    """The ids of the debtor's accounts."""
    return [account.id for account in debtor.accounts]


def _linked(
    session: Session, column: InstrumentedAttribute[Any], by: InstrumentedAttribute[Any], ids: list[str]
) -> set[str]:
    return {str(value) for value in session.scalars(select(column).where(by.in_(ids), column.is_not(None)))}


def conversation_ids(session: Session, debtor: Debtor, secret: str) -> list[str]:
    """Every conversation id that is the debtor's, sorted."""
    ids = account_ids(debtor)
    found = set(debtor.erased_conversations or [])
    if debtor.erased_at is None:
        found.add(conversations.conversation_id(secret, Channel.SMS, debtor.phone))
    email = conversations.email_address(debtor.email) if debtor.email else None
    contact = conversations.find_by_address(session, Channel.EMAIL, email) if email else None
    if contact is not None:  # the debtor's email conversation, when we ever queued an email
        found.add(contact.conversation_id)
    found |= _linked(session, InboundMessage.conversation_id, InboundMessage.account_id, ids)
    found |= _linked(session, OutboundMessage.conversation_id, OutboundMessage.account_id, ids)
    found |= _linked(session, Handoff.conversation_id, Handoff.account_id, ids)
    found |= _linked(session, VerificationAttempt.conversation_id, VerificationAttempt.account_id, ids)
    return sorted(found)


def message_filter(
    account_column: InstrumentedAttribute[Any],
    conversation_column: InstrumentedAttribute[Any],
    address_column: InstrumentedAttribute[Any],
    ids: list[str],
    conversation_ids: list[str],
    phone: str | None,
) -> ColumnElement[bool]:
    """Rows about one of the accounts, in one of the conversations, or to/from the number."""
    clauses: list[ColumnElement[bool]] = [account_column.in_(ids), conversation_column.in_(conversation_ids)]
    if phone is not None:
        clauses.append(address_column == phone)
    return or_(*clauses)


@dataclass(frozen=True)
class Erasure:
    """What an erasure did; `already_erased` when the debtor had been erased before."""

    debtor_id: str
    erased_at: datetime
    already_erased: bool
    conversations: int
    tracker_events_deleted: dict[str, int] = field(default_factory=dict)
    account_ids: tuple[str, ...] = ()


def _erase_messages(session: Session, ids: list[str], conversation_ids: list[str], phone: str | None) -> None:
    inbound = message_filter(
        InboundMessage.account_id,
        InboundMessage.conversation_id,
        InboundMessage.from_address,
        ids,
        conversation_ids,
        phone,
    )
    session.execute(update(InboundMessage).where(inbound).values(body="", from_address=None, media=[]))
    outbound = message_filter(
        OutboundMessage.account_id,
        OutboundMessage.conversation_id,
        OutboundMessage.to_address,
        ids,
        conversation_ids,
        phone,
    )
    session.execute(update(OutboundMessage).where(outbound).values(body="", to_address="", subject=None))


def _erase_handoffs(session: Session, ids: list[str], conversation_ids: list[str]) -> None:
    handoffs = select(Handoff.id).where(
        or_(Handoff.account_id.in_(ids), Handoff.conversation_id.in_(conversation_ids))
    )
    session.execute(delete(HandoffEntry).where(HandoffEntry.handoff_id.in_(handoffs)))
    session.execute(update(Handoff).where(Handoff.id.in_(handoffs)).values(summary="", distress=[]))


def _erase_contacts(session: Session, conversation_ids: list[str]) -> None:
    """Delete the contacts, except an opted-out one: its opt-out must go on being honoured."""
    mine = Contact.conversation_id.in_(conversation_ids)
    session.execute(delete(Contact).where(mine, Contact.opted_out.is_(False)))
    session.execute(update(Contact).where(mine).values(last_buttons=None))


def _erase_account_details(session: Session, debtor: Debtor, ids: list[str]) -> None:
    """The debtor's own words and notes about them; the facts of the debt stay."""
    session.execute(update(Dispute).where(Dispute.account_id.in_(ids)).values(text=None))
    session.execute(
        update(AccountFlag)
        .where(AccountFlag.account_id.in_(ids))
        .values(note=None, contact_name=None, contact_phone=None)
    )
    claims = update(PaymentClaim).where(PaymentClaim.account_id.in_(ids))
    session.execute(claims.values(method=None, details=None))
    session.execute(delete(ContactPreference).where(ContactPreference.debtor_id == debtor.id))


def _tombstone(debtor: Debtor, conversation_ids: list[str], now: datetime) -> None:
    debtor.first_name = debtor.last_name = ""
    debtor.email = None
    debtor.phone = f"{ERASED_PHONE_PREFIX}{debtor.id[:12]}"
    debtor.timezone = "UTC"
    debtor.dob_hash = debtor.zip_hash = debtor.ssn_last4_hash = ""
    debtor.failed_verifications, debtor.locked_until = 0, None
    debtor.erased_at = now


def erase(
    session: Session,
    debtor: Debtor,
    stores: list[TrackerStore],
    secret: str,
    now: datetime,
    requested_by: str = SERVICE,
) -> Erasure:
    """Erase the debtor's personal data everywhere we hold it, and commit.

    The tracker stores go first: if one is unreachable the error propagates with the database untouched,
    and the request can simply be repeated.
    """
    ids, conversation_list = account_ids(debtor), conversation_ids(session, debtor, secret)
    deleted = {store.name: sum(store.delete(sender) for sender in conversation_list) for store in stores}
    already = debtor.erased_at is not None
    _erase_messages(session, ids, conversation_list, None if already else debtor.phone)
    _erase_handoffs(session, ids, conversation_list)
    _erase_contacts(session, conversation_list)
    insights_retention.forget(session, ids, conversation_list)
    _erase_account_details(session, debtor, ids)
    debtor.erased_conversations = sorted(set(debtor.erased_conversations or []) | set(conversation_list))
    if not already:
        _tombstone(debtor, conversation_list, now)
        data = {
            "requested_by": requested_by,
            "conversations": len(conversation_list),
            "tracker_events_deleted": sum(deleted.values()),
        }
        for account_id in ids:
            accounts.record_event(session, account_id, EventType.SUBJECT_ERASED, data)
    session.commit()
    logger.info(
        "debtor erased",
        extra={"debtor_id": debtor.id, "already_erased": already, "tracker_events_deleted": deleted},
    )
    erased_at = debtor.erased_at or now
    return Erasure(debtor.id, erased_at, already, len(conversation_list), deleted, tuple(ids))
