"""Inbound SMS: stored first (one row per MessageSid), then mapped to a conversation and an account.

Card numbers and SSNs are cut out of the body before it is stored (shared.redaction).
Keywords (STOP, START, HELP) are acted on here, in the same transaction that stores the message, so a
Twilio retry of the same MessageSid can never opt out twice or answer twice.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts import validators
from api.accounts.exceptions import InvalidValueError
from api.conversations import service as conversations
from api.conversations.models import Contact, InboundMessage
from api.core import metrics
from api.core.config import Settings
from api.messaging import contacts
from api.messaging.keywords import Keyword, classify
from api.messaging.schemas import InboundIn, InboundOut
from shared import redaction
from shared.buttons import chosen_payload
from shared.stop_texts import only_asks_to_stop
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1024)  # parsing is a tenth of a batch's time; held in memory only
def e164_or_none(value: str | None) -> str | None:
    """The E.164 form of a number, or None when it is missing or not a phone number (a short code)."""
    if not value:
        return None
    try:
        return validators.normalize_phone(value)
    except InvalidValueError:
        return None


def find_by_sid(session: Session, message_sid: str) -> InboundMessage | None:
    """The stored message with this provider id."""
    query = select(InboundMessage).where(InboundMessage.message_sid == message_sid)
    return session.scalars(query).one_or_none()


def store(session: Session, data: InboundIn, settings: Settings, now: datetime) -> InboundOut:
    """Store the message (or recognise a retry), act on keywords, resolve a numbered button reply."""
    try:
        return _commit_all(session, [data], settings, now)[0]
    except IntegrityError:
        # Another request stored the same MessageSid between our look-up and our insert.
        session.rollback()
        stored = find_by_sid(session, data.message_sid)
        if stored is None:
            raise
        return _duplicate(session, stored)


def store_many(
    session: Session, batch: Sequence[InboundIn], settings: Settings, now: datetime
) -> list[InboundOut]:
    """Store messages that arrived together in one transaction (one commit, one fsync), in order.

    Each is handled as `store` handles it; a MessageSid twice in the batch is stored once. When a
    concurrent request stored one of them first, the batch is rolled back and stored one by one.
    """
    try:
        return _commit_all(session, batch, settings, now)
    except IntegrityError:
        session.rollback()
        return [store(session, data, settings, now) for data in batch]


@dataclass
class _Batch:
    """What the messages of one transaction share: looked up once per batch, not once per message."""

    contacts: dict[str, Contact]
    """By sender (E.164)."""
    stored: dict[str, InboundMessage]
    """By MessageSid: stored earlier, or earlier in this batch."""
    accounts: dict[str, str | None] = field(default_factory=dict)
    """The account id each sender's messages bind (None: none)."""


def _commit_all(
    session: Session, batch: Sequence[InboundIn], settings: Settings, now: datetime
) -> list[InboundOut]:
    shared = _Batch(_contacts(session, batch, settings), _stored(session, batch))
    results = [_stage(session, data, shared, settings, now) for data in batch]
    session.commit()
    for result in results:
        if not result.duplicate:
            _note_stored(result)
    return results


def _contacts(session: Session, batch: Sequence[InboundIn], settings: Settings) -> dict[str, Contact]:
    """The senders' contacts, found or created first: creating one commits (or rolls back, on a race),
    which must never happen to a transaction that already holds a message of the batch."""
    secret = settings.SECRET_KEY.get_secret_value()
    senders = {sender for sender in map(e164_or_none, (data.from_ for data in batch)) if sender}
    return {sender: conversations.get_or_create(session, secret, Channel.SMS, sender) for sender in senders}


def _stored(session: Session, batch: Sequence[InboundIn]) -> dict[str, InboundMessage]:
    """The messages of the batch stored already, by MessageSid (one query for the whole batch)."""
    sids = {data.message_sid for data in batch}
    query = select(InboundMessage).where(InboundMessage.message_sid.in_(sids))
    return {message.message_sid: message for message in session.scalars(query)}


def _account_of(session: Session, shared: _Batch, sender: str, contact: Contact | None) -> str | None:
    """The account a message from `sender` binds; a number flagged as not the debtor's binds none
    (its new owner is a stranger to the debt)."""
    if contact is not None and contacts.is_wrong_number(contact):
        return None
    if sender not in shared.accounts:
        account = accounts.get_latest_account_by_phone(session, sender)
        shared.accounts[sender] = account.id if account else None
    return shared.accounts[sender]


def _stage(
    session: Session, data: InboundIn, shared: _Batch, settings: Settings, now: datetime
) -> InboundOut:
    """Add the message to the session's transaction (or find it stored already), keywords acted on."""
    existing = shared.stored.get(data.message_sid)
    if existing is not None:
        return _duplicate(session, existing)
    sender = e164_or_none(data.from_)
    contact = shared.contacts.get(sender) if sender else None
    account_id = _account_of(session, shared, sender, contact) if sender else None
    message = _new_message(data, sender, contact, account_id, now)
    session.add(message)
    session.flush()
    shared.stored[message.message_sid] = message
    payload = _act(session, message, contact, settings, now) if contact else None
    return _out(message, contact, duplicate=False, payload=payload)


def _note_stored(result: InboundOut) -> None:
    metrics.message_in(Channel.SMS)
    logger.info(
        "inbound sms stored",
        extra={"message_id": result.id, "conversation_id": result.conversation_id},
    )


def _new_message(
    data: InboundIn, sender: str | None, contact: Contact | None, account_id: str | None, now: datetime
) -> InboundMessage:
    keyword = keyword_of(data.body) if contact else None
    return InboundMessage(
        channel=Channel.SMS,
        message_sid=data.message_sid,
        from_address=sender,
        to_address=e164_or_none(data.to),
        body=redaction.redact(data.body),
        num_media=data.num_media,
        media=[media.model_dump() for media in data.media],
        conversation_id=contact.conversation_id if contact else None,
        account_id=account_id,
        keyword=keyword.value if keyword else None,
        received_at=now,
    )


def keyword_of(body: str) -> Keyword | None:
    """The keyword the message is, or STOP for a plain-words request that the texts stop."""
    return classify(body) or (Keyword.STOP if only_asks_to_stop(body) else None)


def _act(
    session: Session, message: InboundMessage, contact: Contact, settings: Settings, now: datetime
) -> str | None:
    """Carry out a keyword, or map "1"/"2" to the buttons last offered; returns the button payload."""
    sid = message.message_sid
    if message.keyword == Keyword.STOP:
        source = contacts.Source.KEYWORD if classify(message.body) else contacts.Source.CONVERSATION
        contacts.opt_out(session, contact, settings, contacts.Asked(source, now, sid))
    elif message.keyword == Keyword.START:
        contacts.opt_in(session, contact, settings, contacts.Asked(contacts.Source.KEYWORD, now, sid))
    elif message.keyword == Keyword.HELP:
        contacts.send_help(session, contact, settings, now, in_reply_to=sid)
    if message.keyword is not None:
        return None
    payload = button_payload(contact.last_buttons, message.body)
    # Offered buttons answer the very next message only; anything else makes them stale.
    contact.last_buttons = None
    return payload


def button_payload(buttons: list[dict[str, str]] | None, body: str) -> str | None:
    """The payload of the button the reply picks, by its number or its title (shared.buttons)."""
    return chosen_payload(buttons, body)


def _duplicate(session: Session, message: InboundMessage) -> InboundOut:
    contact = (
        conversations.find_by_conversation(session, message.conversation_id)
        if message.conversation_id
        else None
    )
    return _out(message, contact, duplicate=True, payload=None)


def _out(
    message: InboundMessage, contact: Contact | None, duplicate: bool, payload: str | None
) -> InboundOut:
    return InboundOut(
        id=message.id,
        duplicate=duplicate,
        accepted=message.from_address is not None,
        conversation_id=message.conversation_id,
        account_id=message.account_id,
        opted_out=bool(contact and contact.opted_out),
        keyword=message.keyword,
        button_payload=payload,
    )
