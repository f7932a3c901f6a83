"""Request and response bodies of the handoff routes (bot side and agent console)."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.messaging.schemas import SMS_MAX_CHARS, ConversationId
from shared.vocabulary import Channel, HandoffReason

Text = Annotated[str, Field(min_length=1, max_length=4000)]
DistressLevel = Literal["none", "elevated", "high", "crisis_check", "crisis"]
Sender = Literal["debtor", "bot", "agent"]


class Disposition(StrEnum):
    """How the agent left the conversation."""

    RESOLVED = "resolved"
    PAYMENT_ARRANGED = "payment_arranged"
    CALLBACK_SCHEDULED = "callback_scheduled"
    DISPUTE_RECORDED = "dispute_recorded"
    REFERRED = "referred"
    CEASE_REQUESTED = "cease_requested"
    NO_RESPONSE = "no_response"
    OTHER = "other"


class DistressPoint(BaseModel):
    """One turn's distress as the bot's distress component scored it."""

    model_config = ConfigDict(extra="forbid")

    level: DistressLevel
    score: Annotated[float | None, Field(ge=0, le=1)] = None


class LineIn(BaseModel):
    """A message of the conversation so far."""

    model_config = ConfigDict(extra="forbid")

    sender: Literal["debtor", "bot"]
    text: Text
    at: datetime | None = None
    distress: DistressLevel | None = None


class HandoffIn(BaseModel):
    """What the bot sends when it hands a conversation over."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    conversation_id: ConversationId
    channel: Channel
    reason: HandoffReason
    account_id: Annotated[str | None, Field(max_length=36)] = None
    """Only when the debtor is verified: the console then shows the account summary."""
    transcript: Annotated[list[LineIn], Field(max_length=200)] = []
    distress: Annotated[list[DistressPoint], Field(max_length=200)] = []
    summary: Annotated[str, Field(max_length=2000)] = ""


class DebtorMessageIn(BaseModel):
    """A message the debtor sent while the conversation was paused."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    distress: DistressPoint | None = None


class EntryOut(BaseModel):
    """A line of the transcript or a note; `seq` orders them."""

    seq: int
    sender: str
    text: str
    at: datetime
    distress: str | None = None
    staff_email: str | None = None
    delivery: str | None = None
    """`blocked` when the compliance gate refused the reply (nothing was sent); otherwise SMS replies:
    the outbox status (queued, sent, delivered, blocked, ...); webchat replies: `delivered`, or
    `not_delivered` when Rasa could not be reached."""


class HandoffOut(BaseModel):
    """A handoff as the bot sees it (creating it, appending to it)."""

    id: str
    conversation_id: str
    channel: str
    reason: str
    priority: int
    status: str
    created: bool = False


class HandoffStateOut(BaseModel):
    """Whether a person owns the conversation now: the bot must stay silent while `active`."""

    active: bool
    handoff_id: str | None
    status: str | None
    reason: str | None = None


class AgentMessageOut(BaseModel):
    """An agent's reply for the bot to deliver on the webchat socket."""

    seq: int
    text: str
    at: datetime


class QueueItemOut(BaseModel):
    """A handoff in the queue: no transcript."""

    id: str
    channel: str
    reason: str
    priority: int
    status: str
    claimed_by: str | None
    verified: bool
    escalated: bool
    created_at: datetime
    updated_at: datetime


class AccountSummaryOut(BaseModel):
    """What an agent sees of a verified debtor's account."""

    reference: str
    creditor: str
    total: str
    currency: str
    days_past_due: int
    debtor_name: str
    timezone: str


class HandoffDetailOut(QueueItemOut):
    """A handoff with its transcript, distress trend, notes and the account summary."""

    conversation_id: str
    summary: str
    disposition: str | None
    distress: list[DistressPoint]
    transcript: list[EntryOut]
    notes: list[EntryOut]
    account: AccountSummaryOut | None
    escalated_at: datetime | None
    claimed_by_email: str | None = None


class ReplyIn(BaseModel):
    """An agent's reply to the debtor."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[str, Field(min_length=1, max_length=SMS_MAX_CHARS)]


class NoteIn(BaseModel):
    """An agent's private note."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Text


class DispositionIn(BaseModel):
    """How the conversation ended."""

    model_config = ConfigDict(extra="forbid")

    disposition: Disposition


class ReassignIn(BaseModel):
    """Give the handoff to another agent (supervisors)."""

    model_config = ConfigDict(extra="forbid")

    staff_id: Annotated[str, Field(max_length=36)]
