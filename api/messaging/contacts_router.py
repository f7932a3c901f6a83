"""Contacts: opt-out and opt-in per channel and address, for actions (opt-outs in words) and agents."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy.orm import Session

from api.conversations import service as conversations
from api.conversations.models import Contact
from api.core.config import Settings
from api.core.dependencies import ServiceAuth, SessionDep, SettingsDep
from api.messaging import contacts
from api.messaging.schemas import ContactChangeIn, ContactChangeOut, OutboundOut
from shared.vocabulary import Channel

router = APIRouter(prefix="/contacts", tags=["contacts"], dependencies=[ServiceAuth])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown SMS conversation"}}


def _contact(session: SessionDep, body: ContactChangeIn, secret: str) -> Contact:
    """The SMS contact by number or conversation id; a webchat conversation is its own address."""
    if body.phone is not None:
        return conversations.get_or_create(session, secret, body.channel, body.phone)
    conversation = str(body.conversation_id)
    if body.channel == Channel.WEBCHAT:
        contact = conversations.webchat_contact(session, conversation)
    else:
        contact = conversations.find_by_conversation(session, conversation)
    if contact is not None and contact.channel == body.channel:
        return contact
    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="conversation not found")


def _out(contact: Contact, change: contacts.Change) -> ContactChangeOut:
    confirmation = change.confirmation
    return ContactChangeOut(
        conversation_id=contact.conversation_id,
        channel=contact.channel,
        opted_out=contact.opted_out,
        changed=change.changed,
        confirmation=OutboundOut.model_validate(confirmation) if confirmation is not None else None,
    )


def _apply(
    session: Session, settings: Settings, body: ContactChangeIn, change: Callable[[Contact], contacts.Change]
) -> ContactChangeOut:
    """Find the contact, change it, commit: its state now and the confirmation queued, if any."""
    contact = _contact(session, body, settings.SECRET_KEY.get_secret_value())
    result = change(contact)
    session.commit()
    return _out(contact, result)


@router.post("/opt-out", responses=_NOT_FOUND)
def opt_out(body: ContactChangeIn, session: SessionDep, settings: SettingsDep) -> ContactChangeOut:
    """Stop all contact on this channel and address; on SMS, the first opt-out queues one confirmation."""
    asked = contacts.Asked(body.source, datetime.now(UTC), body.in_reply_to)
    return _apply(session, settings, body, lambda c: contacts.opt_out(session, c, settings, asked))


@router.post("/wrong-number", responses=_NOT_FOUND)
def wrong_number(body: ContactChangeIn, session: SessionDep, settings: SettingsDep) -> ContactChangeOut:
    """Flag the address as not the debtor's: nothing more is sent there; on SMS one apology is queued."""
    now, answering = datetime.now(UTC), body.in_reply_to
    return _apply(
        session, settings, body, lambda c: contacts.wrong_number(session, c, settings, now, answering)
    )


@router.post("/opt-in", responses=_NOT_FOUND)
def opt_in(body: ContactChangeIn, session: SessionDep, settings: SettingsDep) -> ContactChangeOut:
    """Lift an opt-out (the debtor asked for it, e.g. by START); on SMS a confirmation is queued."""
    asked = contacts.Asked(body.source, datetime.now(UTC))
    return _apply(session, settings, body, lambda c: contacts.opt_in(session, c, settings, asked))
