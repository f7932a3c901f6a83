"""Opt-out, opt-in and HELP for a contact, each answered by one message the API composes itself.

An email contact opts out through its unsubscribe link (api.messaging.unsubscribe): the page that link
opens is the confirmation, so no email is sent to confirm it.

The confirmation of an opt-out is the only message the compliance gate lets through to an opted-out
address: its id is written on the contact before it is queued, and clients cannot set a purpose.
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.events import EventType
from api.accounts.models import Account, Debtor
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from api.core.models import new_id
from api.messaging import outbox
from shared.vocabulary import BlockReason, Channel, Purpose

logger = logging.getLogger(__name__)


class Source:
    """Who asked for an opt-out or opt-in."""

    KEYWORD = "keyword"
    CONVERSATION = "conversation"
    API = "api"
    EMAIL_LINK = "email_link"
    """An email's unsubscribe link (RFC 8058 one-click, or its confirmation page's button)."""
    WRONG_NUMBER = BlockReason.WRONG_NUMBER.value
    """Not a request of the debtor's: whoever answers the number said it is not the debtor's."""


@dataclass(frozen=True)
class Change:
    """What an opt-out or opt-in did: whether the state changed, and the message queued to confirm it."""

    changed: bool
    confirmation: OutboundMessage | None


def opt_out_text(settings: Settings) -> str:
    """CTIA-style confirmation: who we are, that nothing more will come, how to undo it."""
    return (
        f"{settings.SMS_COMPANY_NAME}: you are unsubscribed and will get no more texts from us. "
        f"Reply START to resubscribe. Questions: {settings.SMS_SUPPORT_CONTACT}."
    )


def opt_in_text(settings: Settings) -> str:
    """Confirmation of START/UNSTOP."""
    return (
        f"{settings.SMS_COMPANY_NAME}: you are subscribed to our texts again. "
        "Reply HELP for help, STOP to opt out."
    )


def wrong_number_text(settings: Settings) -> str:
    """Answer to "wrong number": an apology and a promise, nothing about whom we were looking for."""
    return (
        f"{settings.SMS_COMPANY_NAME}: sorry for the trouble. We have noted that this is the wrong number "
        "and will not text it again."
    )


def is_wrong_number(contact: Contact) -> bool:
    """Whether the address is flagged as not the debtor's (and still stopped)."""
    return contact.opted_out and contact.opt_out_source == Source.WRONG_NUMBER


def help_text(settings: Settings) -> str:
    """HELP: company, support contact, opt-out instructions; nothing about any debt (Reg F 1006.6(d))."""
    return (
        f"{settings.SMS_COMPANY_NAME}. For help call {settings.SMS_SUPPORT_CONTACT}. "
        "Reply STOP to opt out of texts, START to opt back in."
    )


def _account_for(session: Session, contact: Contact) -> str | None:
    """The account the contact's number (or email address) belongs to, for the account's event record."""
    if contact.channel == Channel.EMAIL:
        return _latest_account_by_email(session, contact.address)
    if contact.channel != Channel.SMS:
        return None
    account = accounts.get_latest_account_by_phone(session, contact.address)
    return account.id if account is not None else None


def _latest_account_by_email(session: Session, address: str) -> str | None:
    """The most recently created account of the debtor with this (lower-cased) email address."""
    query = (
        select(Account.id)
        .join(Debtor)
        .where(func.lower(Debtor.email) == address)
        .order_by(Account.created_at.desc(), Account.id.desc())
        .limit(1)
    )
    return session.scalar(query)


@dataclass(frozen=True)
class Answer:
    """One message the API composes in answer to a contact."""

    body: str
    purpose: str
    in_reply_to: str | None
    message_id: str | None = None


def _confirm(session: Session, contact: Contact, answer: Answer, now: datetime) -> OutboundMessage | None:
    """Queue the API's own answer on SMS; on webchat the bot's reply is the confirmation."""
    if contact.channel != Channel.SMS:
        return None
    new = outbox.NewMessage(
        contact=contact,
        body=answer.body,
        kind="system",
        purpose=answer.purpose,
        account_id=_account_for(session, contact),
        in_reply_to=answer.in_reply_to,
        message_id=answer.message_id,
    )
    return outbox.enqueue(session, new, now)


def _close(
    session: Session, contact: Contact, source: str, answer: Answer, now: datetime
) -> OutboundMessage | None:
    """Opt the address out (from `source`) and queue `answer`, its one SMS confirmation, under the id
    written on the contact first (the confirmation must not be blocked by the opt-out it confirms)."""
    contact.opted_out, contact.opted_out_at, contact.opt_out_source = True, now, source
    confirmation_id = new_id() if contact.channel == Channel.SMS else None
    contact.opt_out_confirmation_id = confirmation_id
    session.flush()
    return _confirm(session, contact, replace(answer, message_id=confirmation_id), now)


@dataclass(frozen=True)
class Asked:
    """How a change of consent was asked for (`Source`), when, and in answer to which inbound SMS."""

    source: str
    now: datetime
    in_reply_to: str | None = None


def opt_out(session: Session, contact: Contact, settings: Settings, asked: Asked) -> Change:
    """Record the opt-out and queue its single confirmation; a repeated opt-out changes nothing."""
    if contact.opted_out:
        return Change(changed=False, confirmation=None)
    answer = Answer(opt_out_text(settings), Purpose.OPT_OUT_CONFIRMATION, asked.in_reply_to)
    confirmation = _close(session, contact, asked.source, answer, asked.now)
    _record(session, contact, EventType.CONTACT_OPTED_OUT, asked.source)
    return Change(changed=True, confirmation=confirmation)


def record_provider_opt_out(session: Session, contact: Contact, now: datetime) -> bool:
    """The provider's own opt-out list refused a message (the number texted STOP to Twilio directly).

    Recorded like a STOP, with its account event, but without a confirmation: the provider would refuse it.
    """
    if contact.opted_out:
        return False
    contact.opted_out, contact.opted_out_at, contact.opt_out_source = True, now, "provider"
    _record(session, contact, EventType.CONTACT_OPTED_OUT, "provider")
    return True


def wrong_number(
    session: Session, contact: Contact, settings: Settings, now: datetime, in_reply_to: str | None = None
) -> Change:
    """Flag the address as not the debtor's: an opt-out of its own kind, confirmed once, on the record."""
    if is_wrong_number(contact):
        return Change(changed=False, confirmation=None)
    account_id = _account_for(session, contact)
    answer = Answer(wrong_number_text(settings), Purpose.OPT_OUT_CONFIRMATION, in_reply_to)
    confirmation = _close(session, contact, Source.WRONG_NUMBER, answer, now)
    if account_id is not None:
        data = {"channel": contact.channel, "source": Source.WRONG_NUMBER}
        accounts.record_event(session, account_id, EventType.CONTACT_WRONG_NUMBER, data)
    logger.info("contact flagged as a wrong number", extra={"conversation_id": contact.conversation_id})
    return Change(changed=True, confirmation=confirmation)


def opt_in(session: Session, contact: Contact, settings: Settings, asked: Asked) -> Change:
    """Lift the opt-out (START/UNSTOP) and confirm it."""
    changed = contact.opted_out
    contact.opted_out, contact.opted_in_at, contact.opt_out_confirmation_id = False, asked.now, None
    session.flush()
    answer = Answer(opt_in_text(settings), Purpose.OPT_IN_CONFIRMATION, asked.in_reply_to)
    confirmation = _confirm(session, contact, answer, asked.now)
    if changed:
        _record(session, contact, EventType.CONTACT_OPTED_IN, asked.source)
    return Change(changed=changed, confirmation=confirmation)


def send_help(
    session: Session, contact: Contact, settings: Settings, now: datetime, in_reply_to: str | None = None
) -> OutboundMessage | None:
    """Queue the HELP answer (blocked like anything else if the address opted out)."""
    return _confirm(session, contact, Answer(help_text(settings), Purpose.HELP, in_reply_to), now)


def _record(session: Session, contact: Contact, event: EventType, source: str) -> None:
    """Append the change to the account's event record when the address belongs to an account."""
    account_id = _account_for(session, contact)
    if account_id is not None:
        accounts.record_event(session, account_id, event, {"channel": contact.channel, "source": source})
    logger.info("contact %s", event.value, extra={"conversation_id": contact.conversation_id})


def mark_undeliverable(session: Session, contact: Contact, status: str, now: datetime) -> bool:
    """A hard bounce: the email address does not exist; the gate sends nothing more to it (caller
    commits). Recorded once on the debtor's latest account (the status code, never the address)."""
    if contact.undeliverable_at is not None:
        return False
    contact.undeliverable_at, contact.undeliverable_status = now, status[:16]
    account_id = _account_for(session, contact)
    if account_id is not None:
        data = {"channel": contact.channel, "status": status[:16]}
        accounts.record_event(session, account_id, EventType.CONTACT_UNDELIVERABLE, data)
    return True
