"""The segments a conversation is counted in on the dashboard: creditor, channel, days-past-due band and
balance band of the verified account (bands only: marketing never sees an account or a debtor)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.insights.models import ReviewConversation

NOT_VERIFIED: Final = "not verified"
"""The segment of a conversation whose account is not known (the debtor never verified)."""
PAST_DUE_BANDS: Final = ((181, "181+ days"), (91, "91-180 days"), (31, "31-90 days"), (1, "1-30 days"))
CURRENT: Final = "current"
BALANCE_BANDS: Final = (
    (Decimal(5000), "$5,000+"),
    (Decimal(1000), "$1,000-4,999"),
    (Decimal(250), "$250-999"),
)
SMALL_BALANCE: Final = "under $250"
DIMENSIONS: Final = ("creditor", "channel", "days_past_due", "balance")


@dataclass(frozen=True)
class Segment:
    """A conversation's value on each dimension."""

    creditor: str
    channel: str
    days_past_due: str
    balance: str

    def value(self, dimension: str) -> str:
        """The value on one of DIMENSIONS."""
        return str(getattr(self, dimension))


def past_due_band(days: int) -> str:
    """The days-past-due band: current, 1-30, 31-90, 91-180, 181+."""
    return next((label for floor, label in PAST_DUE_BANDS if days >= floor), CURRENT)


def balance_band(total: Decimal) -> str:
    """The balance band: under $250, $250-999, $1,000-4,999, $5,000+."""
    return next((label for floor, label in BALANCE_BANDS if total >= floor), SMALL_BALANCE)


def segment_of(conversation: ReviewConversation, account: Account | None) -> Segment:
    """The conversation's segment (its account's bands, or "not verified" without one)."""
    if account is None:
        return Segment(NOT_VERIFIED, conversation.channel, NOT_VERIFIED, NOT_VERIFIED)
    bands = past_due_band(account.days_past_due), balance_band(account.total)
    return Segment(account.creditor, conversation.channel, *bands)


def segments(session: Session, conversations: Iterable[ReviewConversation]) -> dict[str, Segment]:
    """Each conversation's segment by conversation id (one query for the accounts)."""
    rows = list(conversations)
    ids = {c.account_id for c in rows if c.account_id}
    accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(ids)))} if ids else {}
    return {c.id: segment_of(c, accounts.get(c.account_id or "")) for c in rows}
