"""Per-jurisdiction compliance rules: state law on top of Regulation F, always the stricter.

An account names the US state whose collection law applies (`Account.jurisdiction`); the gate
(api.compliance.gate) narrows the contact window, lowers the cadence caps and adds the time-barred disclosure
that state requires. Where a message concerns accounts in several states, every state's rules hold at
once. Configured as JSON in COMPLIANCE_JURISDICTIONS, e.g. {"MA": {"max_initiated_per_7_days": {"sms": 2}}}.
Nothing here is legal advice: the operator configures what its counsel says each state requires.
"""

from collections.abc import Iterable, Mapping
from datetime import time
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.compliance import language_lint

Hour = Annotated[int, Field(ge=0, le=23)]


class JurisdictionRules(BaseModel):
    """One state's additions; every field optional, and none can loosen the federal rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    contact_hours_start: Hour | None = None
    contact_hours_end: Hour | None = None
    max_initiated_per_7_days: dict[str, Annotated[int, Field(ge=0)]] = {}
    time_barred_disclosure: str | None = None
    """Required on bot-initiated messages about time-barred debts in this state."""

    @model_validator(mode="after")
    def _sane(self) -> Self:
        start, end = self.contact_hours_start, self.contact_hours_end
        if start is not None and end is not None and start >= end:
            raise ValueError("contact_hours_start must be before contact_hours_end")
        if self.time_barred_disclosure and language_lint.lint(self.time_barred_disclosure, time_barred=True):
            raise ValueError("time_barred_disclosure may only use the CFPB's model wording about suing")
        return self


def applicable(
    rules: Mapping[str, JurisdictionRules], codes: Iterable[str | None]
) -> list[JurisdictionRules]:
    """The configured rules of these jurisdictions (unknown or missing codes add nothing)."""
    return [rules[code] for code in sorted({code for code in codes if code}) if code in rules]


def window(earliest: time, latest: time, states: Iterable[JurisdictionRules]) -> tuple[time, time]:
    """The contact window every rule allows: the latest start and the earliest end."""
    for state in states:
        if state.contact_hours_start is not None:
            earliest = max(earliest, time(state.contact_hours_start))
        if state.contact_hours_end is not None:
            latest = min(latest, time(state.contact_hours_end))
    return earliest, latest


def cap(federal: int | None, channel: str, states: Iterable[JurisdictionRules]) -> int | None:
    """The lowest cadence cap on this channel (None: no cap anywhere)."""
    caps = [
        state.max_initiated_per_7_days[channel]
        for state in states
        if channel in state.max_initiated_per_7_days
    ]
    if federal is not None:
        caps.append(federal)
    return min(caps) if caps else None
