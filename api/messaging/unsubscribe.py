"""One-click unsubscribe from email (RFC 8058): signed, expiring links that opt an email contact out.

The token is a JWT (HS256, SECRET_KEY, purpose "email-unsubscribe") naming the email contact by its
opaque conversation id (never the address) and the message it came in. It needs no login: whoever holds
the email may unsubscribe its address, and doing so twice changes nothing. The opt-out goes through
api.messaging.contacts (the account's `contact.opted_out` event, source `email_link`) and the gate honours
it: no more email to that address, and no more reminders on any of the debtor's channels.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy.orm import Session

from api.conversations import service as conversations
from api.conversations.models import Contact
from api.core.config import Settings
from api.messaging import contacts
from api.messaging.exceptions import UnsubscribeLinkExpired, UnsubscribeLinkInvalid
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

PURPOSE = "email-unsubscribe"
ALGORITHM = "HS256"
PATH = "/unsubscribe"


@dataclass(frozen=True)
class Unsubscribed:
    """The outcome of a one-click POST: whether this request changed anything."""

    changed: bool


def issue_token(settings: Settings, conversation_id: str, message_id: str, now: datetime) -> str:
    """A link token for one email to the contact of `conversation_id`, valid EMAIL_UNSUBSCRIBE_TTL_DAYS."""
    expires = now + timedelta(days=settings.EMAIL_UNSUBSCRIBE_TTL_DAYS)
    claims = {"sub": conversation_id, "mid": message_id, "purpose": PURPOSE, "iat": now, "exp": expires}
    return jwt.encode(claims, settings.SECRET_KEY.get_secret_value(), algorithm=ALGORITHM)


def link(settings: Settings, token: str) -> str:
    """The public URL of the unsubscribe page and one-click endpoint."""
    return f"{settings.portal_base_url}{PATH}/{token}"


def _claims(settings: Settings, token: str) -> dict[str, object]:
    """The verified claims; the expiry is checked by the caller against its own clock."""
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            settings.SECRET_KEY.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "purpose"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError:
        raise UnsubscribeLinkInvalid("unsubscribe link invalid") from None
    if claims["purpose"] != PURPOSE:
        raise UnsubscribeLinkInvalid("not an unsubscribe link")
    return claims


def contact_of(session: Session, settings: Settings, token: str, now: datetime) -> Contact:
    """The email contact a genuine, unexpired link names.

    Raises:
        UnsubscribeLinkInvalid: forged, tampered with, another kind of token, or no such email contact.
        UnsubscribeLinkExpired: genuine, but older than EMAIL_UNSUBSCRIBE_TTL_DAYS.
    """
    claims = _claims(settings, token)
    exp = claims["exp"]
    if not isinstance(exp, int | float) or exp <= now.timestamp():
        raise UnsubscribeLinkExpired("unsubscribe link expired")
    contact = conversations.find_by_conversation(session, str(claims["sub"]))
    if contact is None or contact.channel != Channel.EMAIL:
        raise UnsubscribeLinkInvalid("no email contact")
    return contact


def unsubscribe(session: Session, settings: Settings, token: str, now: datetime) -> Unsubscribed:
    """Opt the link's address out of email (idempotent); commits."""
    contact = contact_of(session, settings, token, now)
    change = contacts.opt_out(session, contact, settings, contacts.Asked(contacts.Source.EMAIL_LINK, now))
    session.commit()
    logger.info(
        "email unsubscribe", extra={"conversation_id": contact.conversation_id, "changed": change.changed}
    )
    return Unsubscribed(changed=change.changed)
