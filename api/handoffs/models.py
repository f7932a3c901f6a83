"""Tables of the human handoff: handoffs, and their transcript and notes (staff users: api.staff.models)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.core.models import Base, UTCDateTime, new_id, utcnow


class Handoff(Base):
    """A conversation handed to a person; while it is open (queued or claimed) the bot stays silent."""

    __tablename__ = "handoffs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    open_conversation: Mapped[str | None] = mapped_column(String(64), unique=True)
    """The conversation id while the handoff is open, else NULL: at most one open handoff per conversation."""
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer, index=True)
    """Lower is more urgent (crisis is 0)."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    claimed_by: Mapped[str | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    distress: Mapped[list[Any]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    disposition: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entries: Mapped[list["HandoffEntry"]] = relationship(
        back_populates="handoff", order_by="HandoffEntry.seq", cascade="all, delete-orphan"
    )


class HandoffEntry(Base):
    """One line of a handoff: a transcript message (debtor, bot, agent) or an agent's note.

    `seq` orders the lines and is the cursor the bot uses to fetch agents' webchat replies.
    """

    __tablename__ = "handoff_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[str | None] = mapped_column(String(36))
    distress: Mapped[str | None] = mapped_column(String(16))
    outbound_message_id: Mapped[str | None] = mapped_column(String(36))
    """A reply's outbox message (the gate's record); for SMS its status is the reply's delivery."""
    delivery: Mapped[str | None] = mapped_column(String(16))
    """`blocked` when the gate refused it; a webchat reply's delivery through Rasa: `delivered`, or
    `not_delivered` when Rasa was unreachable."""
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    handoff: Mapped[Handoff] = relationship(back_populates="entries")
