"""Tables of experiments: the experiment, its variants (response bodies), one exposure per conversation."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.core.models import Base, UTCDateTime, new_id, utcnow


class Experiment(Base):
    """An A/B/n test of one response; draft -> running -> stopped (results kept)."""

    __tablename__ = "experiments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    response_name: Mapped[str] = mapped_column(String(120), index=True)
    primary_outcome: Mapped[str] = mapped_column(String(40))
    minimum_sample: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ExperimentVariant(Base):
    """One variant: a traffic share and Rasa variation dicts like a response version; 0 is control."""

    __tablename__ = "experiment_variants"
    __table_args__ = (UniqueConstraint("experiment_id", "position", name="uq_experiment_variants_position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    share: Mapped[int] = mapped_column(Integer)
    variations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Exposure(Base):
    """The first time a conversation was answered with an experiment's variant (once per conversation)."""

    __tablename__ = "experiment_exposures"
    __table_args__ = (
        UniqueConstraint("experiment_id", "conversation_id", name="uq_experiment_exposures_once"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id"), index=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("experiment_variants.id"))
    conversation_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
