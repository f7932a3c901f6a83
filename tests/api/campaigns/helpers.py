"""Campaign test helpers: accounts written straight to the database, campaigns, a clock, clean tables."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from api.accounts.models import Account, Debtor
from api.campaigns import service
from api.campaigns.models import Campaign, CampaignDeadLetter, CampaignSend, CampaignStep
from api.campaigns.schemas import CampaignIn
from api.core.models import new_id
from tests.api.table_helpers import empty_tables
from tests.factories import phone_number

NOON_NEW_YORK = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
"""A Monday, 12:00 in New York, 09:00 in Los Angeles."""
TODAY = NOON_NEW_YORK.date()
REMINDER = "utter_reminder_due_soon"
BOTH_CHANNELS = [{"day_offset": 0, "messages": {"sms": REMINDER, "email": REMINDER}}]
"""One step that sends an SMS and an email."""
EMAIL_ONLY = [{"day_offset": 0, "messages": {"email": REMINDER}}]


def empty_campaign_tables(url: str) -> None:
    """Campaign tests share one database per backend; each starts without campaigns."""
    empty_tables(url, CampaignDeadLetter, CampaignSend, CampaignStep, Campaign)


def add_account(
    session: Session,
    phone: str | None = None,
    time_zone: str = "America/New_York",
    email: str | None = None,
    **fields: Any,
) -> Account:
    """A debtor (with an email address when given) and one account, written directly; committed."""
    debtor = Debtor(
        id=new_id(),
        first_name="Jordan",
        last_name="Rivera",
        email=email,
        phone=phone or phone_number(),
        timezone=time_zone,
        dob_hash="d" * 64,
        zip_hash="z" * 64,
        ssn_last4_hash="s" * 64,
        failed_verifications=0,
    )
    values: dict[str, Any] = {
        "reference": f"CMP-{new_id()[:12]}",
        "creditor": "Northwind Bank",
        "original_creditor": "Northwind Bank Visa",
        "principal": Decimal("500.00"),
        "interest": Decimal("0.00"),
        "fees": Decimal("0.00"),
        "due_date": TODAY + timedelta(days=3),
        "days_past_due": 0,
        "time_barred": False,
        **fields,
    }
    account = Account(id=new_id(), debtor=debtor, **values)
    session.add_all([debtor, account])
    session.commit()
    return account


def campaign_in(segment: dict[str, Any] | None = None, **fields: Any) -> CampaignIn:
    """A campaign body: a due-soon reminder to everyone in the segment, all day long, started today."""
    body: dict[str, Any] = {
        "name": "Due soon",
        "segment": segment or {},
        "steps": [{"day_offset": 0, "messages": {"sms": REMINDER}}],
        "window_start_hour": 0,
        "window_end_hour": 24,
        "starts_at": NOON_NEW_YORK - timedelta(hours=1),
        "ends_at": NOON_NEW_YORK + timedelta(days=30),
        **fields,
    }
    return CampaignIn.model_validate(body)


def add_campaign(session: Session, segment: dict[str, Any] | None = None, **fields: Any) -> Campaign:
    """A stored, active campaign; committed."""
    campaign = service.create(session, campaign_in(segment, **fields), None)
    session.commit()
    return campaign


def zone_in_hours(now: datetime, candidates: tuple[str, ...]) -> str:
    """A zone where `now` is comfortably inside 10:00-19:00, so sends are due at once."""
    for zone in candidates:
        if 10 <= now.astimezone(ZoneInfo(zone)).hour < 19:
            return zone
    raise AssertionError("no zone in business hours")


ROUND_THE_WORLD = (
    "Pacific/Honolulu",
    "America/Los_Angeles",
    "America/New_York",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Athens",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
NON_US_NUMBER = "+447700900{:03d}"
"""Numbers whose prefix names only their country, so the recorded zone alone decides (contact_window)."""


def days(n: int) -> date:
    """TODAY plus n days."""
    return TODAY + timedelta(days=n)
