"""Request and response bodies of the messaging routes: inbound SMS, the outbox, contacts.

Responses never echo a phone number back: callers know the number they sent, nobody else needs it.
"""

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.accounts.schemas import Phone
from shared import wire
from shared.vocabulary import Channel, ClientPurpose, Kind

INBOUND_MAX_CHARS = 65_536
"""Longest body stored (Twilio's own limit is 1,600; anything longer is cut, never refused)."""
SMS_MAX_CHARS = 1_600
"""Longest body Twilio accepts in one Messages API call."""

ConversationId = Annotated[str, Field(min_length=1, max_length=64)]
Sid = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class MediaIn(BaseModel):
    """One MMS attachment: Twilio's URL for it and its MIME type."""

    url: Annotated[str, Field(max_length=2048)]
    content_type: Annotated[str, Field(max_length=128)] = ""


class InboundIn(BaseModel):
    """A message Twilio delivered to our webhook, as the channel passes it on.

    `from` is kept loose here: a message whose sender is missing or unreadable is still stored.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    message_sid: Sid
    from_: Annotated[str | None, Field(alias="from", max_length=64)] = None
    to: Annotated[str | None, Field(max_length=64)] = None
    body: Annotated[str, Field(max_length=INBOUND_MAX_CHARS)] = ""
    num_media: Annotated[int, Field(ge=0, le=100)] = 0
    media: Annotated[list[MediaIn], Field(max_length=100)] = []


InboundOut = wire.InboundResult
"""What the channel needs to decide what to do next: the dataclass the channel reads (shared.wire)."""


INBOUND_BATCH_MAX = 100
"""Most messages in one POST /inbound/batch: a channel sends what arrived while its last batch was stored."""


class InboundBatchIn(BaseModel):
    """Messages that reached one channel process together, stored in one transaction."""

    model_config = ConfigDict(extra="forbid")

    messages: Annotated[list[InboundIn], Field(min_length=1, max_length=INBOUND_BATCH_MAX)]


class InboundBatchOut(BaseModel):
    """One answer per message, in the order sent."""

    results: list[InboundOut]


class ButtonIn(BaseModel):
    """A button the bot offered; SMS shows it as a numbered option."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    payload: Annotated[str, Field(min_length=1, max_length=500)]


class OutboundIn(BaseModel):
    """A message to send; the recipient is `conversation_id`, `to`, or both when they agree.

    A webchat message names its conversation only (it has no number); the caller delivers it itself
    when the answer's status is `sent` (api.messaging.outbox).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    to: Phone | None = None
    body: Annotated[str, Field(min_length=1, max_length=SMS_MAX_CHARS)]
    kind: Kind
    conversation_id: ConversationId | None = None
    account_id: Annotated[str | None, Field(max_length=36)] = None
    in_reply_to: Annotated[str | None, Field(max_length=64)] = None
    idempotency_key: Annotated[str | None, Field(min_length=1, max_length=128)] = None
    buttons: Annotated[list[ButtonIn] | None, Field(max_length=10)] = None
    purpose: ClientPurpose | None = None
    """Declared only for the messages an account whose collection stopped may still get (api.compliance)."""

    @model_validator(mode="after")
    def _recipient(self) -> Self:
        if self.to is None and self.conversation_id is None:
            raise ValueError("give conversation_id, to, or both")
        if self.channel == Channel.WEBCHAT and self.to is not None:
            raise ValueError("a webchat message names its conversation_id, never a phone number")
        if self.channel == Channel.EMAIL:
            raise ValueError("an email is queued through POST /api/v1/messages/email")
        return self


EMAIL_BODY_MAX_CHARS = 10_000
"""Longest email text a caller may send (the outbox adds the disclosures within EMAIL_MAX_CHARS)."""


class EmailIn(BaseModel):
    """An email about an account, to the address its debtor has on file (never one the caller names).

    The body is plain text, paragraphs separated by a blank line; the template adds the greeting, the
    disclosures, who we are and the unsubscribe link. The gate checks it as it checks an SMS.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    account_id: Annotated[str, Field(min_length=1, max_length=36)]
    subject: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\r\n]+$")]
    body: Annotated[str, Field(min_length=1, max_length=EMAIL_BODY_MAX_CHARS)]
    kind: Kind = Kind.REMINDER
    idempotency_key: Annotated[str | None, Field(min_length=1, max_length=128)] = None
    purpose: ClientPurpose | None = None


class OutboundOut(BaseModel):
    """The outcome: queued (SMS), sent (webchat: deliver it now), or blocked with the gate's reasons."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    reasons: list[str] = Field(validation_alias="block_reasons")
    duplicate: bool = False


class AttemptOut(BaseModel):
    """One send attempt or delivery report."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    outcome: str
    http_status: int | None
    error_code: str | None
    created_at: datetime


class OutboundDetail(BaseModel):
    """An outbox row with its attempts (the number it went to stays in the database)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    channel: str
    status: str
    kind: str
    purpose: str | None
    initiated: bool
    subject: str | None
    body: str
    conversation_id: str
    account_id: str | None
    in_reply_to: str | None
    reasons: list[str] = Field(validation_alias="block_reasons")
    attempts: int
    next_attempt_at: datetime | None
    provider_sid: str | None
    error_code: str | None
    created_at: datetime
    sent_at: datetime | None
    status_updated_at: datetime | None
    attempt_log: list[AttemptOut]


class ContactChangeIn(BaseModel):
    """Opt a conversation's address (or a phone number) out of, or back into, a channel."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    conversation_id: ConversationId | None = None
    phone: Phone | None = None
    channel: Channel
    source: Literal["conversation", "api", "agent"] = "conversation"
    # The inbound message this change answers (its confirmation is threaded to it, like a STOP's).
    in_reply_to: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.conversation_id is None) == (self.phone is None):
            raise ValueError("give exactly one of conversation_id or phone")
        if self.phone is not None and self.channel != Channel.SMS:
            raise ValueError("a phone number identifies an SMS contact only")
        return self


class ContactChangeOut(BaseModel):
    """The contact's state after the change, and the confirmation queued for it (SMS only)."""

    conversation_id: str
    channel: str
    opted_out: bool
    changed: bool
    confirmation: OutboundOut | None
