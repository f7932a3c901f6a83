"""Tables of editable responses: one row per response name, one per published version (never updated)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core.models import Base, UTCDateTime, new_id, utcnow


class BotResponse(Base):
    """A response the bot can utter (`utter_...`), as named in domain.yml."""

    __tablename__ = "bot_responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ResponseVersion(Base):
    """One published version of a response's variations; the highest number is live."""

    __tablename__ = "bot_response_versions"
    __table_args__ = (UniqueConstraint("response_id", "number", name="uq_bot_response_versions_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    response_id: Mapped[str] = mapped_column(ForeignKey("bot_responses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    variations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """Rasa's variation dicts as domain.yml holds them: text, condition, channel, buttons, custom, id, ..."""
    author_id: Mapped[str | None] = mapped_column(String(36))
    """The staff user who published it; None for the seed from domain.yml."""
    author_email: Mapped[str | None] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
