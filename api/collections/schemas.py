"""Request and response bodies of the collections routes (docs/contract-collections-api.md).

Amounts travel as decimal strings ("62.50"), dates as ISO strings. Free text the debtor wrote (a
dispute, a note) comes in but is never echoed back.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from api.accounts.schemas import Money, MoneyOut, Phone
from api.collections.offer_policy import Evaluation, Frequency, Kind, Offer, Terms
from shared.vocabulary import CLAIM_DETAILS_MAX

PositiveMoney = Annotated[Money, Field(gt=0)]
Months = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.1f}", return_type=str, when_used="json")]
FlagName = Literal["attorney", "bankruptcy", "deceased", "cease_communication"]
DisputeReason = Literal["not_mine", "wrong_amount", "identity_theft", "other"]
FreeText = Annotated[str, Field(max_length=1000)]


class StatusOut(BaseModel):
    """What may be said to the account now; no amounts, so the service token is enough.

    `timezone` (the debtor's IANA zone, for resolving "friday") is an addition to the contract.
    """

    disputed: bool
    validation_sent: bool
    flags: list[str]
    collection_allowed: bool
    active_plan: bool
    timezone: str


class OfferIn(BaseModel):
    """A plan or settlement the debtor proposes; `amount` null asks for the policy's lowest terms."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    amount: Money | None = None
    frequency: Frequency | None = None
    start_date: dt.date | None = None
    hardship: bool = False

    def to_offer(self) -> Offer:
        """The offer as the policy maths takes it."""
        return Offer(self.kind, self.amount, self.frequency, self.start_date, self.hardship)


class InstalmentOut(BaseModel):
    """One payment of a schedule."""

    model_config = ConfigDict(from_attributes=True)

    due_date: dt.date
    amount: MoneyOut


class TermsOut(BaseModel):
    """Concrete terms. `hardship` and `currency` are additions to the contract's Terms."""

    model_config = ConfigDict(from_attributes=True)

    kind: Kind
    amount: MoneyOut
    frequency: Frequency | None
    instalments: int
    term_months: Months
    start_date: dt.date
    total: MoneyOut
    schedule: list[InstalmentOut]
    deadline: dt.date | None
    hardship: bool = False
    currency: str = "USD"

    @classmethod
    def from_terms(cls, terms: Terms, currency: str) -> "TermsOut":
        """The JSON view of the policy's terms."""
        return cls.model_validate(terms).model_copy(update={"currency": currency})


class EvaluationOut(BaseModel):
    """accept (with `offer`), counter (with `counter_offers`) or refer, and the reasons."""

    decision: Literal["accept", "counter", "refer"]
    reasons: list[str]
    offer: TermsOut | None
    counter_offers: list[TermsOut]

    @classmethod
    def from_evaluation(cls, evaluation: Evaluation, currency: str) -> "EvaluationOut":
        """The JSON view of the policy's evaluation."""
        offer = evaluation.offer
        return cls(
            decision=evaluation.decision.value,
            reasons=[str(reason) for reason in evaluation.reasons],
            offer=TermsOut.from_terms(offer, currency) if offer is not None else None,
            counter_offers=[TermsOut.from_terms(terms, currency) for terms in evaluation.counter_offers],
        )


class PlanOut(BaseModel):
    """A plan (or settlement) the debtor accepted."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    terms: TermsOut
    created_at: dt.datetime


class PromiseIn(BaseModel):
    """A promise to pay on a date, of an amount or not."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    amount: PositiveMoney | None = None
    corrects_latest: bool = False
    """The debtor corrected the promise just made ("scratch that, make it Friday"): that one no longer
    stands."""


class PromiseOut(BaseModel):
    """A recorded promise."""

    id: str
    date: dt.date
    amount: MoneyOut | None


class PaymentClaimIn(BaseModel):
    """ "I already paid": whatever the debtor could tell about the payment."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    paid_on: dt.date | None = None
    amount: PositiveMoney | None = None
    method: Annotated[str, Field(max_length=80)] | None = None


class ClaimDetailsIn(BaseModel):
    """More about the payment of the claim under review, in the debtor's words."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[str, Field(min_length=1, max_length=CLAIM_DETAILS_MAX)]


class PaymentClaimOut(BaseModel):
    """A claim waiting for a person to match it against the payments received."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    paid_on: dt.date | None
    amount: MoneyOut | None
    method: str | None
    details: str | None = None
    created_at: dt.datetime


class DisputeIn(BaseModel):
    """A dispute: a coarse reason and the debtor's own words."""

    model_config = ConfigDict(extra="forbid")

    reason: DisputeReason
    text: FreeText | None = None


class DisputeOut(BaseModel):
    """A recorded dispute; the debtor's text is not echoed."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    reason: str
    status: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None = None


DistressLevel = Literal["none", "elevated", "high", "crisis_check", "crisis"]


class DistressDecisionIn(BaseModel):
    """What the bot did about distress, and on which evidence (for agents and analytics); no message text."""

    model_config = ConfigDict(extra="forbid")

    score: Annotated[float, Field(ge=0, le=1)] | None = None
    level: DistressLevel | None = None
    conversation_level: DistressLevel
    action: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")]
    verified: bool | None = None
    """Whether the debtor was verified when the bot decided (decisions are recorded before it too)."""


class DistressDecisionOut(BaseModel):
    """The recorded event."""

    id: str
    type: str


class FlagIn(BaseModel):
    """A fact that stops collection on the account."""

    model_config = ConfigDict(extra="forbid")

    flag: FlagName
    note: FreeText | None = None
    attorney_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    attorney_phone: Phone | None = None

    @model_validator(mode="after")
    def _attorney_contact_only_with_the_attorney_flag(self) -> "FlagIn":
        if self.flag != "attorney" and (self.attorney_name or self.attorney_phone):
            raise ValueError("an attorney's name or phone goes with the attorney flag only")
        return self


class FlagOut(BaseModel):
    """A recorded flag; the note is not echoed."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    flag: str
    created_at: dt.datetime


class ValidationNoticeOut(BaseModel):
    """The fields of Reg F Model Form B-1 (12 CFR 1006.34) for this account."""

    collector_name: str
    collector_address: str
    collector_phone: str
    consumer_name: str
    creditor: str
    original_creditor: str
    account_reference: str
    itemization_date: dt.date
    amount_on_itemization_date: MoneyOut
    interest_since: MoneyOut
    fees_since: MoneyOut
    payments_since: MoneyOut
    current_amount: MoneyOut
    dispute_by_date: dt.date
    cfpb_url: str


class PaymentLinkIn(BaseModel):
    """The amount to suggest on the payment page; null suggests the whole balance."""

    model_config = ConfigDict(extra="forbid")

    amount: PositiveMoney | None = None


class PaymentLinkOut(BaseModel):
    """The signed link and when it stops working."""

    url: str
    expires_at: dt.datetime
