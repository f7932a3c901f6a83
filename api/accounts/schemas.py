"""Request and response bodies. Identity facts come in; they never go out."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PastDate, PlainSerializer, model_validator

from api.accounts import validators

if TYPE_CHECKING:
    from api.accounts.models import Account

CENTS = Decimal("0.01")


def _to_cents(value: Decimal) -> Decimal:
    """Amounts carry exactly two decimal places, so "1200" and "1200.00" are the same amount."""
    return value.quantize(CENTS)


# JSON carries amounts as strings ("1200.00"): a float would round them.
_AS_STRING = PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json")
Money = Annotated[
    Decimal, Field(ge=0, max_digits=12, decimal_places=2), AfterValidator(_to_cents), _AS_STRING
]
"""An amount coming in: Numeric(12, 2) in the database."""
MoneyOut = Annotated[Decimal, _AS_STRING]
"""An amount going out; a total may need one digit more than its parts."""
Phone = Annotated[str, Field(max_length=32), AfterValidator(validators.normalize_phone)]
TimeZone = Annotated[str, Field(max_length=64), AfterValidator(validators.validate_timezone)]
ZipCode = Annotated[str, Field(max_length=10), AfterValidator(validators.normalize_zip)]
SsnLast4 = Annotated[str, Field(max_length=4), AfterValidator(validators.normalize_ssn_last4)]
DateOfBirth = Annotated[date, AfterValidator(validators.validate_dob)]
Reference = Annotated[str, Field(max_length=80), AfterValidator(validators.normalize_reference)]
Currency = Annotated[str, Field(max_length=3), AfterValidator(validators.normalize_currency)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class DebtorCreate(BaseModel):
    """The debtor part of an account import, identity facts included (hashed before storage)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    first_name: Name
    last_name: Name
    phone: Phone
    email: Email | None = None
    timezone: TimeZone
    dob: DateOfBirth
    zip_code: ZipCode
    ssn_last4: SsnLast4


class AccountCreate(BaseModel):
    """One account and its debtor, as a creditor import sends them."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    reference: Reference
    creditor: Annotated[str, Field(min_length=1, max_length=200)]
    original_creditor: Annotated[str, Field(min_length=1, max_length=200)]
    principal: Money
    interest: Money = Decimal("0.00")
    fees: Money = Decimal("0.00")
    currency: Currency = "USD"
    due_date: date
    itemization_date: PastDate | None = None
    """The validation notice's reference date (Reg F 1006.34(b)(3)); the placement date when not sent."""
    days_past_due: Annotated[int, Field(ge=0)] = 0
    time_barred: bool = False
    jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    """US state whose collection law applies (USPS code); the gate adds its rules (api.compliance)."""
    debtor: DebtorCreate


class AccountFigures(BaseModel):
    """What every view of an account shows of the debt: who it is owed to, how much, how old."""

    model_config = ConfigDict(from_attributes=True)

    reference: str
    creditor: str
    original_creditor: str
    principal: MoneyOut
    interest: MoneyOut
    fees: MoneyOut
    total: MoneyOut
    currency: str
    due_date: date
    days_past_due: int
    time_barred: bool


class AccountOut(AccountFigures):
    """An account as other services see it before verification: no identity facts, no hashes."""

    id: str
    debtor_id: str


class BalanceOut(AccountFigures):
    """The itemised balance, disclosed only with a verification grant."""

    account_id: str

    @classmethod
    def from_account(cls, account: "Account") -> "BalanceOut":
        """The balance view of an account row."""
        figures = AccountFigures.model_validate(account).model_dump()
        return cls(account_id=account.id, **figures)


class LookupRequest(BaseModel):
    """Find an account by the caller's phone number or by its reference: exactly one of the two."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    phone: Phone | None = None
    reference: Annotated[str, Field(min_length=1, max_length=80)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.phone is None) == (self.reference is None):
            raise ValueError("give exactly one of phone or reference")
        return self


class LookupOut(BaseModel):
    """Only the id: nothing about the debt is disclosed before identity is verified."""

    account_id: str


class DebtorAccountOut(BaseModel):
    """One of the verified debtor's accounts, named by creditor and reference: no amounts."""

    model_config = ConfigDict(from_attributes=True)

    account_id: str = Field(validation_alias="id")
    reference: str
    creditor: str


class GrantExchangeIn(BaseModel):
    """POST /accounts/{id}/grants: which other account of the same debtor the conversation turns to."""

    model_config = ConfigDict(extra="forbid")

    account_id: Annotated[str, Field(max_length=36)]


class GrantOut(BaseModel):
    """A verification grant for the account chosen, and when it expires."""

    account_id: str
    grant: str
    grant_expires_at: datetime


class TimeZoneIn(BaseModel):
    """PUT /accounts/{id}/timezone: the zone the verified debtor says they live in now."""

    model_config = ConfigDict(extra="forbid")

    timezone: TimeZone


class TimeZoneOut(BaseModel):
    """Whether the zone changed (the zone itself is not echoed)."""

    changed: bool


Weekday = Annotated[int, Field(ge=0, le=6)]
"""0 (Monday) to 6 (Sunday)."""
HourSpan = Annotated[list[Annotated[int, Field(ge=0, le=24)]], Field(min_length=2, max_length=2)]
"""[start, end) whole local hours; start > end wraps past midnight ([22, 7] is 22:00 to 07:00)."""
Medium = Literal["sms", "email"]
"""A medium the debtor can refuse or prefer (Reg F 1006.14(h)); there is no voice channel."""


class ContactPreferencesIn(BaseModel):
    """PUT /accounts/{id}/contact-preferences: days and hours the verified debtor says are inconvenient.

    A statement adds to what is stored ("not on Sundays", later "and not before 10"); `clear` first
    drops what is stored ("you can text me anytime" clears; with days or hours it replaces).

    The media work the same way, apart from the days and hours (`clear` leaves them alone):
    `refused_channels` adds to the refused ones ("don't email me"), `preferred_channel` sets the one asked
    for ("text only") and takes it off the refused ones, `clear_channels` first drops both.
    """

    model_config = ConfigDict(extra="forbid")

    inconvenient_weekdays: Annotated[list[Weekday], Field(max_length=7)] = []
    inconvenient_hours: Annotated[list[HourSpan], Field(max_length=24)] = []
    clear: bool = False
    refused_channels: Annotated[list[Medium], Field(max_length=2)] = []
    preferred_channel: Medium | None = None
    clear_channels: bool = False

    @model_validator(mode="after")
    def _spans_are_not_empty(self) -> Self:
        if any(start == end for start, end in self.inconvenient_hours):
            raise ValueError("an hour span needs start != end")
        return self

    @model_validator(mode="after")
    def _preferred_is_not_refused(self) -> Self:
        if self.preferred_channel is not None and self.preferred_channel in self.refused_channels:
            raise ValueError("a medium cannot be both refused and preferred")
        return self


class ContactPreferencesOut(BaseModel):
    """What is stored after the statement, and whether it changed."""

    inconvenient_weekdays: list[int]
    inconvenient_hours: list[list[int]]
    refused_channels: list[str] = []
    preferred_channel: str | None = None
    changed: bool


class ChatLinkIn(BaseModel):
    """Optional body of POST /accounts/{id}/chat-link: a shorter life than the configured one."""

    model_config = ConfigDict(extra="forbid")

    ttl_seconds: Annotated[int, Field(ge=60, le=90 * 86400)] | None = None


class ChatLinkOut(BaseModel):
    """A personal chat link: opens the webchat bound to the account (not verified) until it expires."""

    url: str
    expires_at: datetime


class VerifyRequest(BaseModel):
    """Date of birth plus at least one of ZIP code and last 4 of SSN."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    dob: DateOfBirth
    zip_code: ZipCode | None = None
    ssn_last4: SsnLast4 | None = None
    conversation_id: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    """The conversation asking (Rasa's sender id): failures are also counted per conversation."""

    @model_validator(mode="after")
    def _second_fact(self) -> Self:
        if self.zip_code is None and self.ssn_last4 is None:
            raise ValueError("give zip_code or ssn_last4 with the date of birth")
        return self


class VerifyOut(BaseModel):
    """The outcome of one verification attempt; `grant` unlocks the balance for a short while."""

    verified: bool
    attempts_remaining: int
    locked: bool
    locked_until: datetime | None = None
    grant: str | None = None
    grant_expires_at: datetime | None = None


class EventOut(BaseModel):
    """One entry of an account's event record."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    account_id: str
    type: str
    data: dict[str, Any]
    created_at: datetime


class AuditEventOut(EventOut):
    """One link of an account's hash chain (api.accounts.audit)."""

    seq: int
    prev_hash: str
    hash: str


class AuditFindingOut(BaseModel):
    """Where the chain does not verify, and why (api.audit.Problem)."""

    seq: int
    problem: str


class AuditOut(BaseModel):
    """An account's audit trail: the whole chain, its head, and whether it verifies."""

    account_id: str
    verified: bool
    length: int
    head: str
    findings: list[AuditFindingOut]
    events: list[AuditEventOut]
