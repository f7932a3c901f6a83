"""Database reads and writes. Functions return None for "not found"; routes decide what that means."""

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts import audit
from api.accounts.events import EventType
from api.accounts.exceptions import ConflictError, DuplicateReferenceError
from api.accounts.models import Account, AccountEvent, ContactPreference, Debtor
from api.accounts.schemas import AccountCreate, ContactPreferencesIn, DebtorCreate
from api.core import security
from api.core.security import Fact

logger = logging.getLogger(__name__)


def record_event(session: Session, account_id: str, type: str, data: dict[str, Any]) -> AccountEvent:
    """Append an event to an account's record, inside the caller's transaction (the caller commits).

    `data` must never contain personal data: no phone, DOB, ZIP, SSN, name or email. The event joins the
    account's hash chain (api.accounts.audit), so the record is tamper-evident.
    """
    return audit.append(session, account_id, str(type), data)


def list_events(session: Session, account_id: str) -> list[AccountEvent]:
    """An account's events, oldest first."""
    query = (
        select(AccountEvent)
        .where(AccountEvent.account_id == account_id)
        .order_by(AccountEvent.created_at, AccountEvent.id)
    )
    return list(session.scalars(query))


def get_account(session: Session, account_id: str) -> Account | None:
    """The account with this id."""
    return session.get(Account, account_id)


def get_account_by_reference(session: Session, reference: str) -> Account | None:
    """The account with this reference; references are stored upper-cased, so matching ignores case."""
    query = select(Account).where(Account.reference == reference.strip().upper())
    return session.scalars(query).one_or_none()


def get_debtor_by_phone(session: Session, phone: str) -> Debtor | None:
    """The debtor with this E.164 phone number."""
    return session.scalars(select(Debtor).where(Debtor.phone == phone)).one_or_none()


def get_latest_account_by_phone(session: Session, phone: str) -> Account | None:
    """The most recently created account of the debtor with this E.164 phone number."""
    query = (
        select(Account)
        .join(Debtor)
        .where(Debtor.phone == phone)
        .order_by(Account.created_at.desc(), Account.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def debtor_accounts(session: Session, account: Account) -> list[Account]:
    """Every account of this account's debtor, newest first (the one a phone number binds comes first)."""
    query = (
        select(Account)
        .where(Account.debtor_id == account.debtor_id)
        .order_by(Account.created_at.desc(), Account.id.desc())
    )
    return list(session.scalars(query))


def move_debtor(session: Session, account: Account, timezone: str) -> bool:
    """Set the debtor's time zone (and so the contact window); False when it was already that. Commits."""
    debtor = account.debtor
    if debtor.timezone == timezone:
        return False
    debtor.timezone = timezone
    record_event(session, account.id, EventType.CONTACT_TIMEZONE_CHANGED, {"source": "conversation"})
    session.commit()
    logger.info("debtor time zone changed", extra={"account_id": account.id})
    return True


def _preference_of(session: Session, debtor_id: str) -> ContactPreference:
    """The debtor's stored preference row, or a new empty one added to the session."""
    query = select(ContactPreference).where(ContactPreference.debtor_id == debtor_id)
    found = session.scalars(query).one_or_none()
    if found is None:
        found = ContactPreference(
            debtor_id=debtor_id, inconvenient_weekdays=[], inconvenient_hours=[], refused_channels=[]
        )
        session.add(found)
    return found


def merged_preferences(
    stored: tuple[list[int], list[list[int]]], body: ContactPreferencesIn
) -> tuple[list[int], list[list[int]]]:
    """The new days and hours: the statement's added to the stored ones (to none when it clears)."""
    weekdays, hours = ([], []) if body.clear else stored
    new_days = sorted(set(weekdays) | set(body.inconvenient_weekdays))
    new_hours = [list(span) for span in sorted({tuple(span) for span in [*hours, *body.inconvenient_hours]})]
    return new_days, new_hours


def merged_channels(
    stored: tuple[list[str], str | None], body: ContactPreferencesIn
) -> tuple[list[str], str | None]:
    """The new refused media and preferred one: the statement wins over what is stored (a medium asked for
    is no longer refused, one refused no longer preferred); `clear_channels` first drops what is stored,
    `clear` (days and hours) does not."""
    refused, preferred = ([], None) if body.clear_channels else stored
    new_refused = (set(refused) - {body.preferred_channel}) | set(body.refused_channels)
    kept = preferred if preferred not in new_refused else None
    return sorted(new_refused), body.preferred_channel or kept


Preferences = tuple[list[int], list[list[int]], list[str], str | None]
"""Weekdays, hours, refused media, preferred medium: a debtor's contact preferences as compared."""


def _stored(preference: ContactPreference) -> Preferences:
    """What is stored, as plain lists (a new row's columns are not filled in until it is flushed)."""
    return (
        list(preference.inconvenient_weekdays or []),
        list(preference.inconvenient_hours or []),
        list(preference.refused_channels or []),
        preference.preferred_channel,
    )


def _merged(stored: Preferences, body: ContactPreferencesIn) -> Preferences:
    """The preferences after the statement."""
    weekdays, hours = merged_preferences((stored[0], stored[1]), body)
    return (weekdays, hours, *merged_channels((stored[2], stored[3]), body))


PREFERENCE_FIELDS = ("inconvenient_weekdays", "inconvenient_hours", "refused_channels", "preferred_channel")


def preferences_event(stored: Preferences, new: Preferences) -> dict[str, Any]:
    """The event's data: what is stored now and which fields changed (no personal data)."""
    changed = [name for name, old, value in zip(PREFERENCE_FIELDS, stored, new, strict=True) if old != value]
    return {"source": "conversation", **dict(zip(PREFERENCE_FIELDS, new, strict=True)), "changed": changed}


def set_contact_preferences(
    session: Session, account: Account, body: ContactPreferencesIn
) -> tuple[ContactPreference, bool]:
    """Store the debtor's inconvenient days and hours and refused and preferred media, with an event when
    they changed. Commits."""
    preference = _preference_of(session, account.debtor_id)
    stored = _stored(preference)
    new = _merged(stored, body)
    if new == stored:
        return preference, False
    (
        preference.inconvenient_weekdays,
        preference.inconvenient_hours,
        preference.refused_channels,
        preference.preferred_channel,
    ) = new
    record_event(session, account.id, EventType.CONTACT_PREFERENCES_CHANGED, preferences_event(stored, new))
    session.commit()
    logger.info("debtor contact preferences changed", extra={"account_id": account.id})
    return preference, True


def _new_debtor(data: DebtorCreate, secret: str) -> Debtor:
    """A debtor row holding keyed hashes of the identity facts, never the facts themselves."""
    return Debtor(
        first_name=data.first_name,
        last_name=data.last_name,
        phone=data.phone,
        email=data.email,
        timezone=data.timezone,
        dob_hash=security.hash_dob(secret, data.dob),
        zip_hash=security.hash_fact(secret, Fact.ZIP, data.zip_code),
        ssn_last4_hash=security.hash_fact(secret, Fact.SSN_LAST4, data.ssn_last4),
        failed_verifications=0,
    )


def create_account(session: Session, data: AccountCreate, secret: str) -> Account:
    """Create an account, and its debtor unless one with the same phone exists; commits.

    Raises:
        DuplicateReferenceError: the reference is taken.
        ConflictError: a concurrent request created the same reference or phone first.
    """
    if get_account_by_reference(session, data.reference) is not None:
        raise DuplicateReferenceError("an account with this reference already exists")
    debtor = get_debtor_by_phone(session, data.debtor.phone) or _new_debtor(data.debtor, secret)
    account = Account(debtor=debtor, **data.model_dump(exclude={"debtor"}))
    session.add(account)
    try:
        session.flush()
        record_event(session, account.id, EventType.ACCOUNT_CREATED, {"reference": account.reference})
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ConflictError("the account or its debtor was created concurrently") from None
    logger.info("account created", extra={"account_id": account.id, "debtor_id": debtor.id})
    return account
