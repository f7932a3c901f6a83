"""Collections on one account: its policy, whether collection may go on, what the debtor told us.

Every write appends to the account's event record (`accounts.service.record_event`) and commits; event
data holds ids, amounts and dates, never the debtor's own words.
"""

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from api.accounts.events import EventType
from api.accounts.models import Account, AccountEvent
from api.accounts.service import record_event
from api.collections.models import AccountFlag, CreditorPolicy, Dispute, PaymentClaim, PaymentPlan, Promise
from api.collections.offer_policy import DEFAULT_CREDITOR, Evaluation, Frequency, Offer, Policy, evaluate
from api.conversations.models import Contact
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

ACCOUNT_DISPUTED = "account_disputed"
OPTED_OUT = "opted_out"
BLOCKING_FLAGS = ("attorney", "bankruptcy", "deceased", "cease_communication")
"""Flags that stop collection; `opted_out` (a channel opt-out) does not, it only stops that channel."""
VALIDATION_PERIOD_DAYS = 35
"""Reg F: 30 days to dispute after receipt, which is assumed 5 days after sending (1006.34(b)(5))."""


class RecordStatus(StrEnum):
    """States of plans, claims and disputes."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    UNDER_REVIEW = "under_review"
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Standing:
    """Whether collection may go on, and why not."""

    disputed: bool
    validation_sent: bool
    """Since the latest open dispute, when there is one."""
    flags: tuple[str, ...]
    active_plan: bool

    @property
    def blockers(self) -> tuple[str, ...]:
        """The reasons collection is paused, the dispute first; empty when it may go on."""
        disputed = (ACCOUNT_DISPUTED,) if self.disputed else ()
        return disputed + tuple(flag for flag in self.flags if flag in BLOCKING_FLAGS)

    @property
    def collection_allowed(self) -> bool:
        """True when nothing pauses collection."""
        return not self.blockers


def local_today(account: Account, now: datetime) -> date:
    """Today in the debtor's time zone: a promise "for today" means the debtor's today."""
    return now.astimezone(ZoneInfo(account.debtor.timezone)).date()


def to_policy(row: CreditorPolicy) -> Policy:
    """The policy a database row holds."""
    fields = {field.name: getattr(row, field.name) for field in dataclasses.fields(Policy)}
    fields["allowed_frequencies"] = tuple(Frequency(value) for value in row.allowed_frequencies)
    return Policy(**fields)


def to_row(policy: Policy) -> CreditorPolicy:
    """A database row holding the policy."""
    fields = dataclasses.asdict(policy)
    fields["allowed_frequencies"] = [str(value) for value in policy.allowed_frequencies]
    return CreditorPolicy(**fields)


def policy_for(session: Session, creditor: str) -> Policy:
    """The creditor's policy, else the "default" row, else the built-in defaults."""
    row = session.get(CreditorPolicy, creditor) or session.get(CreditorPolicy, DEFAULT_CREDITOR)
    return to_policy(row) if row is not None else Policy()


def _has(session: Session, query: Select[Any]) -> bool:
    """Whether the query finds any row."""
    return bool(session.scalar(select(query.exists())))


def standing(session: Session, account: Account) -> Standing:
    """The account's disputes, flags, validation and plans, as the status endpoint reports them."""
    flags = set(session.scalars(select(AccountFlag.flag).where(AccountFlag.account_id == account.id)))
    opted_out = select(Contact.id).where(
        Contact.channel == Channel.SMS, Contact.address == account.debtor.phone, Contact.opted_out.is_(True)
    )
    if _has(session, opted_out):
        flags.add(OPTED_OUT)
    latest_dispute = _latest_open_dispute(session, account)
    active = select(PaymentPlan.id).where(
        PaymentPlan.account_id == account.id, PaymentPlan.status == RecordStatus.ACTIVE
    )
    return Standing(
        disputed=latest_dispute is not None,
        validation_sent=_has(session, _validation_since(account, latest_dispute)),
        flags=tuple(sorted(flags)),
        active_plan=_has(session, active),
    )


def _latest_open_dispute(session: Session, account: Account) -> datetime | None:
    """When the account's latest open dispute was made; None without one."""
    query = select(func.max(Dispute.created_at)).where(
        Dispute.account_id == account.id, Dispute.status == RecordStatus.OPEN
    )
    return session.scalar(query)


def _validation_since(account: Account, since: datetime | None) -> Select[Any]:
    """The validation information sent to the account (since `since`, when given): after a dispute only
    what was sent since counts, as the gate counts it (Reg F 1006.38(d)(2))."""
    query = select(AccountEvent.id).where(
        AccountEvent.account_id == account.id, AccountEvent.type == EventType.VALIDATION_SENT
    )
    return query if since is None else query.where(AccountEvent.created_at >= since)


def evaluate_for(session: Session, account: Account, offer: Offer, now: datetime) -> Evaluation:
    """The creditor's policy applied to an offer on this account; a paused account is always referred."""
    policy = policy_for(session, account.creditor)
    blockers = standing(session, account).blockers
    return evaluate(offer, account.total, policy, local_today(account, now), blockers)


def find_promise(
    session: Session, account: Account, promised_on: date, amount: Decimal | None
) -> Promise | None:
    """The account's promise of this date and amount, if one is recorded: the same promise made again
    (a retry after a timeout, the debtor repeating it after an outage) is that promise, not a second one."""
    query = select(Promise).where(
        Promise.account_id == account.id,
        Promise.promised_on == promised_on,
        _same_amount(Promise.amount, amount),
        Promise.superseded_at.is_(None),
    )
    return session.scalars(query.limit(1)).first()


def find_open_claim(
    session: Session, account: Account, paid_on: date | None, amount: Decimal | None, method: str | None
) -> PaymentClaim | None:
    """The account's claim under review with these facts, if any: a repeated claim is that claim."""
    query = select(PaymentClaim).where(
        PaymentClaim.account_id == account.id,
        PaymentClaim.status == RecordStatus.UNDER_REVIEW,
        _same_date(PaymentClaim.paid_on, paid_on),
        _same_amount(PaymentClaim.amount, amount),
        PaymentClaim.method.is_(None) if method is None else PaymentClaim.method == method,
    )
    return session.scalars(query.limit(1)).first()


def _same_amount(column: Any, amount: Decimal | None) -> Any:
    return column.is_(None) if amount is None else column == amount


def _same_date(column: Any, day: date | None) -> Any:
    return column.is_(None) if day is None else column == day


def latest_promise(session: Session, account: Account) -> Promise | None:
    """The account's most recent promise that still stands."""
    query = select(Promise).where(Promise.account_id == account.id, Promise.superseded_at.is_(None))
    return session.scalars(query.order_by(Promise.created_at.desc()).limit(1)).first()


def supersede_latest_promise(session: Session, account: Account, now: datetime) -> str | None:
    """Mark the account's standing promise as superseded (the debtor corrected it); its id, if any."""
    latest = latest_promise(session, account)
    if latest is None:
        return None
    latest.superseded_at = now
    return latest.id


def record_promise(
    session: Session,
    account: Account,
    promised_on: date,
    amount: Decimal | None,
    corrected_at: datetime | None = None,
) -> Promise:
    """Record a promise to pay (the caller has checked the date against the policy); with `corrected_at`
    it replaces the account's latest standing promise ("scratch that, make it Friday"), superseded then."""
    replaced = supersede_latest_promise(session, account, corrected_at) if corrected_at else None
    promise = Promise(account_id=account.id, promised_on=promised_on, amount=amount)
    session.add(promise)
    session.flush()
    data = {"promise_id": promise.id, "date": promised_on.isoformat(), "amount": _money(amount)}
    data |= {"replaces": replaced} if replaced else {}
    record_event(session, account.id, EventType.PROMISE_RECORDED, data)
    session.commit()
    return promise


def record_claim(
    session: Session, account: Account, paid_on: date | None, amount: Decimal | None, method: str | None
) -> PaymentClaim:
    """Record an "I already paid" claim for review."""
    claim = PaymentClaim(
        account_id=account.id, paid_on=paid_on, amount=amount, method=method, status=RecordStatus.UNDER_REVIEW
    )
    session.add(claim)
    session.flush()
    paid = paid_on.isoformat() if paid_on else None
    data = {"claim_id": claim.id, "paid_on": paid, "amount": _money(amount), "has_method": bool(method)}
    record_event(session, account.id, EventType.PAYMENT_CLAIM_RECORDED, data)
    session.commit()
    return claim


CLAIM_DETAILS_KEPT: Final = 2000
"""A claim keeps at most this many characters of what was added to it (each addition is capped by the API)."""


def latest_open_claim(session: Session, account: Account) -> PaymentClaim | None:
    """The account's most recent claim still under review, if any."""
    query = select(PaymentClaim).where(
        PaymentClaim.account_id == account.id, PaymentClaim.status == RecordStatus.UNDER_REVIEW
    )
    return session.scalars(query.order_by(PaymentClaim.created_at.desc()).limit(1)).first()


def add_claim_details(session: Session, account: Account, claim: PaymentClaim, text: str) -> PaymentClaim:
    """Keep what the debtor added about the payment with the claim (the event says only that it was added);
    an addition already held (the same message delivered or sent again) is kept once."""
    if claim.details and f"\n{text}\n" in f"\n{claim.details}\n":
        return claim
    joined = "\n".join(part for part in (claim.details, text) if part)
    claim.details = joined[:CLAIM_DETAILS_KEPT]
    record_event(session, account.id, EventType.PAYMENT_CLAIM_DETAILS_ADDED, {"claim_id": claim.id})
    session.commit()
    return claim


def open_dispute(session: Session, account: Account, reason: str, text: str | None) -> Dispute:
    """Record a dispute; collection stays paused until it is resolved."""
    dispute = Dispute(account_id=account.id, reason=reason, text=text, status=RecordStatus.OPEN)
    session.add(dispute)
    session.flush()
    data = {"dispute_id": dispute.id, "reason": reason}
    record_event(session, account.id, EventType.DISPUTE_OPENED, data)
    session.commit()
    logger.info("dispute opened; collection paused", extra={"account_id": account.id})
    return dispute


def get_dispute(session: Session, account: Account, dispute_id: str) -> Dispute | None:
    """The account's dispute with this id."""
    dispute = session.get(Dispute, dispute_id)
    return dispute if dispute is not None and dispute.account_id == account.id else None


def resolve_dispute(session: Session, dispute: Dispute, now: datetime) -> Dispute:
    """Close a dispute (the caller has checked that the validation information was sent)."""
    if dispute.status != RecordStatus.RESOLVED:
        dispute.status, dispute.resolved_at = RecordStatus.RESOLVED, now
        record_event(session, dispute.account_id, EventType.DISPUTE_RESOLVED, {"dispute_id": dispute.id})
        session.commit()
    return dispute


@dataclass(frozen=True)
class FlagContact:
    """Who represents the debtor (an attorney): kept with the flag, never logged nor put in an event."""

    name: str | None = None
    phone: str | None = None


def set_flag(
    session: Session, account: Account, flag: str, note: str | None, contact: FlagContact | None = None
) -> tuple[AccountFlag, bool]:
    """Set a flag once; returns it and whether it is new. A repeated flag changes nothing but the contact."""
    query = select(AccountFlag).where(AccountFlag.account_id == account.id, AccountFlag.flag == flag)
    row = session.scalars(query).one_or_none()
    created = row is None
    if row is None:
        row = AccountFlag(account_id=account.id, flag=flag, note=note)
        session.add(row)
        session.flush()
        record_event(session, account.id, EventType.FLAG_SET, {"flag": flag})
        logger.info("account flagged", extra={"account_id": account.id, "flag": flag})
    if contact is not None and (contact.name or contact.phone):
        _keep_contact(session, row, contact)
    session.commit()
    return row, created


def _keep_contact(session: Session, row: AccountFlag, contact: FlagContact) -> None:
    """Store what was given of the contact (a later statement fills in or corrects it) and note which."""
    row.contact_name = contact.name or row.contact_name
    row.contact_phone = contact.phone or row.contact_phone
    given = {"flag": row.flag, "name": bool(contact.name), "phone": bool(contact.phone)}
    record_event(session, row.account_id, EventType.ATTORNEY_CONTACT_RECORDED, given)


def itemization_date(account: Account) -> date:
    """The validation notice's reference date: the creditor's (a statement, charge-off, last payment,
    transaction or judgment date) when it sent one, else the day the account was placed with us."""
    return account.itemization_date or account.created_at.date()


def dispute_by_date(today: date) -> date:
    """The last day to dispute, as printed on a validation notice sent today."""
    return today + timedelta(days=VALIDATION_PERIOD_DAYS)


def record_validation_sent(session: Session, account: Account, deadline: date) -> None:
    """Record that the validation information was given to the debtor."""
    data = {"dispute_by_date": deadline.isoformat(), "total": _money(account.total)}
    record_event(session, account.id, EventType.VALIDATION_SENT, data)
    session.commit()


def _money(amount: Decimal | None) -> str | None:
    """An amount for event data: a decimal string, like the API's JSON."""
    return f"{amount:.2f}" if amount is not None else None
