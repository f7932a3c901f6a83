"""Identity verification: constant-time checks of keyed hashes, attempts counted, lockout, grants."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.core import security
from api.core.config import Settings
from api.core.security import Fact
from api.crud import record_event
from api.events import EventType
from api.models import Account, Debtor, utcnow
from api.schemas import VerifyOut, VerifyRequest

logger = logging.getLogger(__name__)


def _lock_debtor_row(session: Session, debtor_id: str) -> Debtor:
    """Load the debtor FOR UPDATE so concurrent attempts cannot both pass the attempt limit."""
    query = (
        select(Debtor)
        .where(Debtor.id == debtor_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one()


def facts_match(debtor: Debtor, claim: VerifyRequest, secret: str) -> bool:
    """True when every given fact matches; every comparison runs, so timing does not tell which failed."""
    checks = [security.matches(debtor.dob_hash, security.hash_dob(secret, claim.dob))]
    if claim.zip_code is not None:
        checks.append(security.matches(debtor.zip_hash, security.hash_fact(secret, Fact.ZIP, claim.zip_code)))
    if claim.ssn_last4 is not None:
        candidate = security.hash_fact(secret, Fact.SSN_LAST4, claim.ssn_last4)
        checks.append(security.matches(debtor.ssn_last4_hash, candidate))
    return all(checks)


def _outcome(debtor: Debtor, settings: Settings, now: datetime) -> VerifyOut:
    """The attempt counters and lock state as the caller sees them."""
    locked = debtor.locked_until is not None and debtor.locked_until > now
    return VerifyOut(
        verified=False,
        attempts_remaining=max(0, settings.VERIFY_MAX_ATTEMPTS - debtor.failed_verifications),
        locked=locked,
        locked_until=debtor.locked_until if locked else None,
    )


def _expire_lockout(debtor: Debtor, now: datetime) -> None:
    """A lockout that has run out gives the debtor a fresh set of attempts."""
    if debtor.locked_until is not None and debtor.locked_until <= now:
        debtor.failed_verifications, debtor.locked_until = 0, None


def _record_failure(session: Session, account: Account, debtor: Debtor, settings: Settings) -> None:
    """Count a failed attempt and lock the debtor out when it reaches the limit."""
    debtor.failed_verifications += 1
    attempts = {"attempts": debtor.failed_verifications}
    record_event(session, account.id, EventType.VERIFICATION_FAILED, attempts)
    if debtor.failed_verifications >= settings.VERIFY_MAX_ATTEMPTS:
        debtor.locked_until = utcnow() + timedelta(minutes=settings.VERIFY_LOCKOUT_MINUTES)
        record_event(session, account.id, EventType.VERIFICATION_LOCKED, attempts)
        logger.warning("debtor locked out", extra={"account_id": account.id, "debtor_id": debtor.id})
    else:
        logger.info("identity verification failed", extra={"account_id": account.id})


def _record_success(session: Session, account: Account, debtor: Debtor) -> None:
    """Reset the failure counter; the event counts this attempt together with the failures before it."""
    attempts = {"attempts": debtor.failed_verifications + 1}
    debtor.failed_verifications = 0
    record_event(session, account.id, EventType.VERIFICATION_SUCCEEDED, attempts)
    logger.info("identity verified", extra={"account_id": account.id})


def _with_grant(outcome: VerifyOut, account: Account, settings: Settings, now: datetime) -> VerifyOut:
    """The successful outcome, carrying a disclosure grant for this account only."""
    secret = settings.SECRET_KEY.get_secret_value()
    grant, expires_at = security.create_grant(secret, account.id, settings.GRANT_TTL_SECONDS, now)
    return outcome.model_copy(update={"verified": True, "grant": grant, "grant_expires_at": expires_at})


def attempt_verification(
    session: Session, account: Account, claim: VerifyRequest, settings: Settings
) -> VerifyOut:
    """Check the claimed facts against the account's debtor, update the counters and commit.

    While the debtor is locked out the facts are not even checked, and the attempt is not counted.
    """
    now = utcnow()
    debtor = _lock_debtor_row(session, account.debtor_id)
    _expire_lockout(debtor, now)
    verified = False
    if debtor.locked_until is not None:
        blocked = {"attempts": debtor.failed_verifications}
        record_event(session, account.id, EventType.VERIFICATION_BLOCKED, blocked)
    elif facts_match(debtor, claim, settings.SECRET_KEY.get_secret_value()):
        _record_success(session, account, debtor)
        verified = True
    else:
        _record_failure(session, account, debtor, settings)
    session.commit()
    outcome = _outcome(debtor, settings, now)
    return _with_grant(outcome, account, settings, now) if verified else outcome
