"""Tables of the conversation review and analytics, built by the ingest from Rasa's event broker.

Nothing here names a debtor: a debtor's text is stored redacted (cards, SSNs) with identity facts withheld
(shared.identity.REVIEW); conversations are keyed by Rasa's opaque sender id. Bot turns keep the response
name (and the variation id when Rasa sends one), so an experiment can later join its variants to outcomes.
"""

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core.models import Base, UTCDateTime, new_id, utcnow


class ReviewConversation(Base):
    """One Rasa conversation (sender id) and its outcomes, kept current by the ingest."""

    __tablename__ = "insights_conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sender_id: Mapped[str] = mapped_column(String(255), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="unknown", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_slot: Mapped[str | None] = mapped_column(String(64))
    """The form question open at the last event: the identity rule needs it across ingest passes."""
    account_id: Mapped[str | None] = mapped_column(String(36), index=True)
    """The verified account (slot), to join the API's plans and promises; never shown."""
    debtor_turns: Mapped[int] = mapped_column(Integer, default=0)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    handoff: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    balance_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    offered: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_made: Mapped[bool] = mapped_column(Boolean, default=False)
    promise_made: Mapped[bool] = mapped_column(Boolean, default=False)
    link_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    link_opened: Mapped[bool] = mapped_column(Boolean, default=False)
    """A payment link the bot sent in this conversation was opened on the portal."""
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    """A payment was made on the portal with a link the bot sent in this conversation."""
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    """The end-of-conversation survey's answer, 1..5 (the `satisfaction` slot); None when not answered."""
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False)
    distress_max: Mapped[int] = mapped_column(Integer, default=0)
    """0 none, 1 elevated, 2 high, 3 crisis (api.insights.outcomes.DISTRESS_LEVELS)."""

    turns: Mapped[list["ReviewTurn"]] = relationship(
        back_populates="conversation", order_by="ReviewTurn.event_id", cascade="all, delete-orphan"
    )


class ReviewTurn(Base):
    """A debtor's message (redacted, identity withheld) or a bot utterance, once per broker event id."""

    __tablename__ = "insights_turns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("insights_conversations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    sender: Mapped[str] = mapped_column(String(8))
    """`debtor` or `bot`."""
    text: Mapped[str] = mapped_column(Text, default="")
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    intent: Mapped[str | None] = mapped_column(String(64), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    best_guess: Mapped[str | None] = mapped_column(String(64))
    """The best intent other than nlu_fallback (fallback rate by intent)."""
    gap: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    """The bot did not understand: nlu_fallback or a confidence below INSIGHTS_LOW_CONFIDENCE."""
    distress_level: Mapped[str | None] = mapped_column(String(16))
    response: Mapped[str | None] = mapped_column(String(128))
    response_variation: Mapped[str | None] = mapped_column(String(128))

    conversation: Mapped[ReviewConversation] = relationship(back_populates="turns")


class ConversationLink(Base):
    """A payment link the bot sent in a conversation (read from the bot's message at ingest)."""

    __tablename__ = "insights_links"

    link_id: Mapped[str] = mapped_column(ForeignKey("payment_links.id", ondelete="CASCADE"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("insights_conversations.id", ondelete="CASCADE"), index=True
    )


class IngestCursor(Base):
    """The high-water mark of the ingest: the last broker event id turned into rows."""

    __tablename__ = "insights_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IntentLabel(Base):
    """A reviewer's verdict on a debtor message: the intent it should have had (exported as NLU data)."""

    __tablename__ = "insights_labels"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    turn_id: Mapped[str] = mapped_column(ForeignKey("insights_turns.id", ondelete="CASCADE"), unique=True)
    intent: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
