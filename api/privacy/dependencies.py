"""What the subject access export and erasure work on: the account, Rasa's tracker stores, who asks."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from api.accounts.dependencies import AccountDep
from api.accounts.models import Account
from api.core.dependencies import NowDep, SessionDep, SettingsDep
from api.privacy.tracker_stores import TrackerStore, from_settings
from api.staff.dependencies import ServiceOrAdmin
from api.staff.models import StaffUser


def tracker_stores(settings: SettingsDep) -> list[TrackerStore]:
    """Rasa's tracker stores as configured (api.privacy.tracker_stores)."""
    return from_settings(settings)


TrackerStoresDep = Annotated[list[TrackerStore], Depends(tracker_stores)]


@dataclass(frozen=True)
class SubjectRequest:
    """One GDPR request: the account whose debtor it concerns, the stores, the asker (None: the service)."""

    account: Account
    session: Session
    stores: list[TrackerStore]
    staff: StaffUser | None
    now: datetime
    secret: str


def subject_request(
    account: AccountDep,
    session: SessionDep,
    settings: SettingsDep,
    stores: TrackerStoresDep,
    staff: ServiceOrAdmin,
    now: NowDep,
) -> SubjectRequest:
    """The request both GDPR routes answer (the service token or a signed-in admin)."""
    secret = settings.SECRET_KEY.get_secret_value()
    return SubjectRequest(account, session, stores, staff, now, secret)


SubjectRequestDep = Annotated[SubjectRequest, Depends(subject_request)]
