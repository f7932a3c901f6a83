"""Per-client compliance rules: a third-party agency or a creditor collecting its own debts.

Reg F applies to debt collectors (1006.2(i)); a creditor collecting its own debts in its own name is not
one, so the Mini-Miranda (1006.18(e)) is required of a third-party agency only. Some states (California,
New York, Texas among them) also require a disclosure on time-barred debts; the CFPB's model wording is
offered, the text is per client. Clients are keyed by the account's creditor; the rest get the default.
"""

import re
from enum import StrEnum
from typing import Final, Self

from pydantic import BaseModel, ConfigDict, model_validator

from api.compliance import language_lint


class CollectorKind(StrEnum):
    """Who is collecting: an agency for a creditor (Reg F applies), or the creditor itself."""

    THIRD_PARTY = "third_party"
    FIRST_PARTY = "first_party"


class Disclosure(StrEnum):
    """The disclosures a client's rules can require; stable strings in the gate's block reasons."""

    MINI_MIRANDA = "mini_miranda"
    TIME_BARRED = "time_barred_disclosure"


MINI_MIRANDA: Final = "This is a communication from a debt collector."
"""Reg F 1006.18(e)(2): the disclosure in every communication after the first."""
MINI_MIRANDA_PATTERN: Final = re.compile(r"\b(?:communication\s+from\s+a|is\s+a)\s+debt\s+collector\b", re.I)
CFPB_TIME_BARRED_DISCLOSURE: Final = " ".join(language_lint.TIME_BARRED_DISCLOSURES)
"""The CFPB's model time-barred disclosure; the language lint allows exactly these sentences."""


class ClientRules(BaseModel):
    """One client's rules; every field optional in COMPLIANCE_CLIENTS (JSON keyed by creditor)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: CollectorKind = CollectorKind.THIRD_PARTY
    mini_miranda: bool | None = None
    """None: required for a third-party collector, not for a first-party creditor."""
    mini_miranda_text: str = MINI_MIRANDA
    time_barred_disclosure: str | None = None
    """Added to bot-initiated messages on time-barred accounts when set (e.g. CFPB_TIME_BARRED_DISCLOSURE)."""

    @model_validator(mode="after")
    def _compliant_wording(self) -> Self:
        if not MINI_MIRANDA_PATTERN.search(self.mini_miranda_text):
            raise ValueError("mini_miranda_text must say it is a communication from a debt collector")
        if self.time_barred_disclosure and language_lint.lint(self.time_barred_disclosure, time_barred=True):
            raise ValueError("time_barred_disclosure may only use the CFPB's model wording about suing")
        return self

    @property
    def requires_mini_miranda(self) -> bool:
        """Whether bot-initiated messages must carry the Mini-Miranda."""
        return self.mini_miranda if self.mini_miranda is not None else self.kind == CollectorKind.THIRD_PARTY

    def missing(self, body: str, time_barred: bool) -> list[tuple[str, str]]:
        """(kind, text) of each disclosure the client requires that `body` lacks, in the order to add."""
        missing: list[tuple[str, str]] = []
        if self.requires_mini_miranda and not MINI_MIRANDA_PATTERN.search(body):
            missing.append((Disclosure.MINI_MIRANDA, self.mini_miranda_text))
        disclosure = self.time_barred_disclosure
        if time_barred and disclosure and " ".join(disclosure.split()) not in " ".join(body.split()):
            missing.append((Disclosure.TIME_BARRED, disclosure))
        return missing


DEFAULT_RULES: Final = ClientRules()
