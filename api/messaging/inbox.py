"""Inbound SMS: stored first (one row per MessageSid), then mapped to a conversation and an account.

Card numbers and SSNs are cut out of the body before it is stored (shared.redaction).
Keywords (STOP, START, HELP) are acted on here, in the same transaction that stores the message, so a
Twilio retry of the same MessageSid can never opt out twice or answer twice.
"""

import logging
from datetime import datetime

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
from api.messaging.keywords import Keyword, asks_to_stop_texts, classify
from api.messaging.schemas import InboundIn, InboundOut
from shared import redaction
from shared.buttons import chosen_payload
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)


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
    existing = find_by_sid(session, data.message_sid)
    if existing is not None:
        return _duplicate(session, existing)
    sender = e164_or_none(data.from_)
    secret = settings.SECRET_KEY.get_secret_value()
    contact = conversations.get_or_create(session, secret, Channel.SMS, sender) if sender else None
    # A number flagged as not the debtor's binds no account: its new owner is a stranger to the debt.
    binds = sender is not None and not (contact is not None and contacts.is_wrong_number(contact))
    account = accounts.get_latest_account_by_phone(session, sender) if binds and sender else None
    message = _new_message(data, sender, contact, account.id if account else None, now)
    session.add(message)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        stored = find_by_sid(session, data.message_sid)
        if stored is None:
            raise
        return _duplicate(session, stored)
    payload = _act(session, message, contact, settings, now) if contact else None
    session.commit()
    metrics.message_in(Channel.SMS)
    logger.info(
        "inbound sms stored",
        extra={"message_id": message.id, "conversation_id": message.conversation_id},
    )
    return _out(message, contact, duplicate=False, payload=payload)


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
    return classify(body) or (Keyword.STOP if asks_to_stop_texts(body) else None)


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
