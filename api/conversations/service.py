"""Contacts: a debtor's address on a channel and the opaque conversation id Rasa knows it by.

The conversation id is an HMAC of channel and address, so the same number always continues the same
conversation while the number itself never reaches Rasa, its tracker store or its logs. A webchat
conversation (a random session id the API issued) is its own address.
"""

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.conversations.models import Contact
from shared.vocabulary import Channel

CONVERSATION_ID_PREFIX = "c-"


def conversation_id(secret: str, channel: str, address: str) -> str:
    """The stable, opaque conversation id of an address on a channel."""
    digest = hmac.new(secret.encode(), f"conversation:{channel}:{address}".encode(), hashlib.sha256)
    return CONVERSATION_ID_PREFIX + digest.hexdigest()[:32]


def email_address(raw: str) -> str:
    """An email address as contacts and the outbox keep it: trimmed and lower-cased."""
    return raw.strip().lower()


def find_by_address(session: Session, channel: str, address: str) -> Contact | None:
    """The contact for this address on this channel."""
    query = select(Contact).where(Contact.channel == channel, Contact.address == address)
    return session.scalars(query).one_or_none()


def find_by_conversation(session: Session, conversation: str) -> Contact | None:
    """The contact behind a conversation id."""
    return session.scalars(select(Contact).where(Contact.conversation_id == conversation)).one_or_none()


def get_or_create(session: Session, secret: str, channel: str, address: str) -> Contact:
    """The contact for this address, created (and committed) on first contact; safe under races."""
    contact = find_by_address(session, channel, address)
    if contact is not None:
        return contact
    contact = Contact(
        channel=channel,
        address=address,
        conversation_id=conversation_id(secret, channel, address),
        opted_out=False,
    )
    session.add(contact)
    try:
        session.commit()
    except IntegrityError:
        # A concurrent request created it first: use theirs.
        session.rollback()
        existing = find_by_address(session, channel, address)
        if existing is None:
            raise
        return existing
    return contact


def webchat_contact(session: Session, conversation: str) -> Contact | None:
    """The webchat contact of a conversation, created (and committed) on first use, safe under races;
    None when the conversation belongs to another channel."""
    contact = find_by_conversation(session, conversation)
    if contact is None:
        contact = Contact(channel=Channel.WEBCHAT, address=conversation, conversation_id=conversation)
        contact.opted_out = False
        session.add(contact)
        try:
            session.commit()
        except IntegrityError:
            # A concurrent request created it first: use theirs.
            session.rollback()
            contact = find_by_conversation(session, conversation)
    return contact if contact is not None and contact.channel == Channel.WEBCHAT else None
