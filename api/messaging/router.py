"""Messages: the SMS inbox Twilio's webhook feeds (through the Rasa channel) and the single outbound path
(SMS and email queued for the worker; webchat checked, recorded and handed back to Rasa to emit)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.accounts.models import Account
from api.compliance.gate import GateConfig
from api.conversations import service as conversations
from api.conversations.models import Contact, OutboundMessage
from api.core.dependencies import NowDep, ServiceAuth, SessionDep, SettingsDep
from api.messaging import emails, inbox, outbox
from api.messaging.schemas import (
    EmailIn,
    InboundBatchIn,
    InboundBatchOut,
    InboundIn,
    InboundOut,
    OutboundDetail,
    OutboundIn,
    OutboundOut,
)
from shared.vocabulary import Channel, OutboundStatus

router = APIRouter(prefix="/messages", tags=["messages"], dependencies=[ServiceAuth])

MessageId = Annotated[str, Path(max_length=36, description="The outbound message's id (a UUID).")]


@router.post("/inbound")
def receive_inbound(body: InboundIn, session: SessionDep, settings: SettingsDep, now: NowDep) -> InboundOut:
    """Store an inbound SMS once per MessageSid, act on STOP/START/HELP, map "1"/"2" to buttons."""
    return inbox.store(session, body, settings, now)


@router.post("/inbound/batch")
def receive_inbound_batch(
    body: InboundBatchIn, session: SessionDep, settings: SettingsDep, now: NowDep
) -> InboundBatchOut:
    """Store several inbound SMS in one transaction, each as POST /inbound would; answers in order.

    The Twilio channel sends what arrived while its previous request was being stored, so 50 senders
    at once cost a few commits instead of 50, and no message is acknowledged before it is stored.
    """
    return InboundBatchOut(results=inbox.store_many(session, body.messages, settings, now))


@router.post(
    "/outbound",
    status_code=status.HTTP_202_ACCEPTED,
    responses={404: {"description": "Unknown conversation"}, 422: {"description": "Recipient mismatch"}},
)
def send_outbound(body: OutboundIn, session: SessionDep, settings: SettingsDep, now: NowDep) -> OutboundOut:
    """Queue a message (or record it as blocked by the compliance gate); the worker sends SMS.

    A bot-initiated SMS (not a reply to the debtor's recent message) gets the opt-out notice added.
    A webchat message the gate allows is recorded as `sent`: the caller (Rasa's webchat channel) emits
    it on the socket when it gets this answer, and only then.
    A repeated `idempotency_key` returns the first message, with `duplicate: true`, and queues nothing.
    """
    existing = _earlier(session, body.idempotency_key)
    if existing is not None:
        return existing
    contact = _recipient(session, body, settings.SECRET_KEY.get_secret_value())
    new = outbox.NewMessage(
        contact=contact,
        body=body.body,
        kind=body.kind,
        account_id=body.account_id,
        in_reply_to=body.in_reply_to,
        idempotency_key=body.idempotency_key,
        purpose=body.purpose,
    )
    message = outbox.enqueue(session, new, now, GateConfig.from_settings(settings))
    if message.status == OutboundStatus.QUEUED and message.channel not in outbox.WORKER_CHANNELS:
        outbox.hand_over(session, message, now)
    if body.buttons and message.status == OutboundStatus.QUEUED:
        contact.last_buttons = [button.model_dump() for button in body.buttons]
    try:
        session.commit()
    except IntegrityError:
        # The same idempotency key, queued concurrently: theirs stands.
        session.rollback()
        earlier = _earlier(session, body.idempotency_key)
        if earlier is None:
            raise
        return earlier
    return OutboundOut.model_validate(message)


@router.post(
    "/email",
    status_code=status.HTTP_202_ACCEPTED,
    responses={404: {"description": "Unknown account"}, 422: {"description": "No email address on file"}},
)
def send_email(body: EmailIn, session: SessionDep, settings: SettingsDep, now: NowDep) -> OutboundOut:
    """Queue an email to the account's debtor (or record it as blocked by the gate); the worker sends it.

    A repeated `idempotency_key` returns the first message, with `duplicate: true`, and queues nothing.
    """
    existing = _earlier(session, body.idempotency_key)
    if existing is not None:
        return existing
    if session.get(Account, body.account_id) is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    request = emails.EmailRequest(**body.model_dump())
    message = emails.queue(session, request, settings, now)
    if message is None:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="the debtor has no email address on file",
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same idempotency key, queued concurrently: theirs stands
        earlier = _earlier(session, body.idempotency_key)
        if earlier is None:
            raise
        return earlier
    return OutboundOut.model_validate(message)


def _earlier(session: SessionDep, idempotency_key: str | None) -> OutboundOut | None:
    """The message already queued under this key, marked as a duplicate."""
    message = outbox.find_by_key(session, idempotency_key) if idempotency_key else None
    if message is None:
        return None
    return OutboundOut.model_validate(message).model_copy(update={"duplicate": True})


def _recipient(session: SessionDep, body: OutboundIn, secret: str) -> Contact:
    """The contact named by conversation_id and/or `to`; both given must be the same contact."""
    if body.conversation_id is None:
        return conversations.get_or_create(session, secret, body.channel, str(body.to))
    if body.channel == Channel.WEBCHAT:
        contact = conversations.webchat_contact(session, body.conversation_id)
    else:
        contact = conversations.find_by_conversation(session, body.conversation_id)
    if contact is None or contact.channel != body.channel:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="conversation not found")
    if body.to is not None and body.to != contact.address:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="to and conversation_id name different recipients",
        )
    return contact


@router.get("/outbound")
def list_outbound(
    conversation_id: Annotated[str, Query(min_length=1, max_length=64)], session: SessionDep
) -> list[OutboundDetail]:
    """A conversation's outbound messages, oldest first (what the debtor was, or was not, sent)."""
    query = (
        select(OutboundMessage)
        .where(OutboundMessage.conversation_id == conversation_id)
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
    )
    return [OutboundDetail.model_validate(message) for message in session.scalars(query)]


@router.get("/outbound/{message_id}", responses={404: {"description": "Unknown message"}})
def read_outbound(message_id: MessageId, session: SessionDep) -> OutboundDetail:
    """An outbox message with its attempts and delivery reports."""
    message = session.get(OutboundMessage, message_id)
    if message is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="message not found")
    return OutboundDetail.model_validate(message)
