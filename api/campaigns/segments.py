"""A segment's rules as SQL over the accounts and collections tables: one query finds every account.

Each rule is one WHERE condition (EXISTS subqueries for plans, promises, payments and opt-outs), so the
database evaluates a whole portfolio in one pass and the planner reads only the accounts that match.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute

from api.accounts.models import Account, Debtor
from api.campaigns.schemas import PastDue, Segment
from api.collections.models import PaymentLink, PaymentPlan, Promise
from api.collections.service import RecordStatus
from api.conversations.models import Contact
from shared.vocabulary import Channel

PAST_DUE_BANDS = {PastDue.DAYS_1_30: (1, 30), PastDue.DAYS_31_90: (31, 90)}

Condition = ColumnElement[bool]


def _due_in(days: int, today: date) -> Condition:
    return Account.due_date.between(today, today + timedelta(days=days))


def _past_due(band: PastDue) -> Condition:
    low, high = PAST_DUE_BANDS[band]
    return Account.days_past_due.between(low, high)


def _paid_since(account_id: InstrumentedAttribute[str], since: InstrumentedAttribute[datetime]) -> Condition:
    """A payment through a link on the account at or after `since`."""
    used = PaymentLink.used_at.is_not(None) & (PaymentLink.used_at >= since)
    return exists().where(PaymentLink.account_id == account_id, used)


def _instalment_missed(today: date) -> Condition:
    started = PaymentPlan.terms["start_date"].as_string() < today.isoformat()
    active = PaymentPlan.status == RecordStatus.ACTIVE
    plan = and_(
        PaymentPlan.account_id == Account.id,
        active,
        started,
        ~_paid_since(PaymentPlan.account_id, PaymentPlan.created_at),
    )
    return exists().where(plan)


def _promise_broken(today: date) -> Condition:
    promise = and_(
        Promise.account_id == Account.id,
        Promise.promised_on < today,
        Promise.superseded_at.is_(None),
        ~_paid_since(Promise.account_id, Promise.created_at),
    )
    return exists().where(promise)


def _consents(channel: str) -> Condition:
    """Reachable on the channel and not opted out there: an SMS contact is the debtor's number, an email
    contact their address on file (lower-cased, as contacts keep it), which must exist and not bounce."""
    if channel != Channel.EMAIL:
        opted_out = and_(
            Contact.channel == channel, Contact.address == Debtor.phone, Contact.opted_out.is_(True)
        )
        return ~exists().where(opted_out)
    refused = Contact.opted_out.is_(True) | Contact.undeliverable_at.is_not(None)
    mine = and_(Contact.channel == channel, Contact.address == func.lower(func.trim(Debtor.email)), refused)
    return Debtor.email.is_not(None) & ~exists().where(mine)


def _balance(segment: Segment) -> list[Condition]:
    total = Account.principal + Account.interest + Account.fees
    conditions = []
    if segment.balance_min is not None:
        conditions.append(total >= segment.balance_min)
    if segment.balance_max is not None:
        conditions.append(total <= segment.balance_max)
    return conditions


def _optional(segment: Segment, today: date) -> list[Condition]:
    """The conditions of the rules the segment sets."""
    found = []
    if segment.due_in_days is not None:
        found.append(_due_in(segment.due_in_days, today))
    if segment.past_due is not None:
        found.append(_past_due(segment.past_due))
    if segment.instalment_missed:
        found.append(_instalment_missed(today))
    if segment.promise_broken:
        found.append(_promise_broken(today))
    if segment.creditors:
        found.append(Account.creditor.in_(segment.creditors))
    if segment.consent_channel is not None:
        found.append(_consents(segment.consent_channel))
    return found


def conditions(segment: Segment, today: date) -> list[Condition]:
    """Every WHERE condition of the segment, erased debtors always left out."""
    return [Debtor.erased_at.is_(None), *_optional(segment, today), *_balance(segment)]


SegmentQuery = Select[str, str, str, str | None, str | None]
"""(account id, debtor phone, debtor time zone, jurisdiction, debtor email)."""


def query(segment: Segment, today: date) -> SegmentQuery:
    """(account id, debtor phone, debtor time zone, jurisdiction, debtor email) of every account in the
    segment."""
    columns = (Account.id, Debtor.phone, Debtor.timezone, Account.jurisdiction, Debtor.email)
    return select(*columns).join(Debtor, Debtor.id == Account.debtor_id).where(*conditions(segment, today))
