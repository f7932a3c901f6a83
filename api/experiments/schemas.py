"""Request bodies of the experiments' JSON routes."""

from typing import Any

from pydantic import BaseModel, Field


class VariantIn(BaseModel):
    """One variant: its traffic share and a full response body (Rasa variation dicts)."""

    share: int = Field(gt=0, le=100)
    variations: list[dict[str, Any]] = Field(min_length=1, max_length=20)


class ExperimentIn(BaseModel):
    """A new experiment of one response; the first variant is control."""

    response_name: str = Field(min_length=1, max_length=120)
    primary_outcome: str = Field(
        pattern=(
            "^(verified|balance_seen|payment_link_sent|payment_link_opened|payment_made|plan_created"
            "|promise_made|opt_out|handoff|satisfaction_answered)$"
        )
    )
    minimum_sample: int = Field(gt=0, le=1_000_000)
    variants: list[VariantIn] = Field(min_length=2, max_length=10)
