"""Identity verification: constant-time checks of keyed hashes, attempts counted, lockout, grants.

Failures count twice: per debtor (their own lockout) and per conversation across all accounts, so one
SMS number or chat cannot go on guessing by moving to another account's reference.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.accounts import grants
from api.accounts.events import EventType
from api.accounts.models import Account, Debtor, VerificationAttempt
from api.accounts.schemas import VerifyOut, VerifyRequest
from api.accounts.service import record_event
from api.core import security
from api.core.config import Settings
from api.core.models import utcnow
from api.core.security import Fact

logger = logging.getLogger(__name__)


def _lock_debtor_row(session: Session, debtor_id: str) -> Debtor:
    """Load the debtor locked, so concurrent attempts cannot both pass the attempt limit.

    A no-op UPDATE takes the lock before the read: SQLite ignores FOR UPDATE and its driver begins a
    transaction only at the first write; on PostgreSQL it is the same row lock FOR UPDATE takes.
    """
    unchanged = {"failed_verifications": Debtor.failed_verifications}
    session.execute(
        update(Debtor)
        .where(Debtor.id == debtor_id)
        .values(unchanged)
        .execution_options(synchronize_session=False)
    )
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


def _record_attempt(
    session: Session, account: Account, conversation: str | None, verified: bool, now: datetime
) -> None:
    """Remember the attempt by its conversation (also what ties a webchat conversation to the account)."""
    if conversation:
        session.add(
            VerificationAttempt(
                conversation_id=conversation, account_id=account.id, succeeded=verified, at=now
            )
        )


def _with_grant(outcome: VerifyOut, account: Account, settings: Settings, now: datetime) -> VerifyOut:
    """The successful outcome, carrying a disclosure grant for this account only."""
    secret = settings.SECRET_KEY.get_secret_value()
    grant, expires_at = grants.create_grant(secret, account.id, settings.GRANT_TTL_SECONDS, now)
    return outcome.model_copy(update={"verified": True, "grant": grant, "grant_expires_at": expires_at})


def _conversation_failures(
    session: Session, conversation_id: str, since: datetime
) -> tuple[int, datetime | None]:
    """How often the conversation failed since `since`, and when the earliest of those failures was."""
    query = select(func.count(VerificationAttempt.id), func.min(VerificationAttempt.at)).where(
        VerificationAttempt.conversation_id == conversation_id,
        VerificationAttempt.succeeded.is_(False),
        VerificationAttempt.at > since,
    )
    count, earliest = session.execute(query).one()
    return int(count or 0), earliest


def _rate_limited(
    session: Session, account: Account, conversation_id: str, settings: Settings, now: datetime
) -> VerifyOut | None:
    """The refusal when the conversation has used up its failures for the lockout period, else None."""
    window = timedelta(minutes=settings.VERIFY_LOCKOUT_MINUTES)
    failures, earliest = _conversation_failures(session, conversation_id, now - window)
    if failures < settings.VERIFY_MAX_FAILURES_PER_CONVERSATION:
        return None
    record_event(
        session, account.id, EventType.VERIFICATION_RATE_LIMITED, {"conversation_failures": failures}
    )
    session.commit()
    logger.warning("verification rate limited", extra={"account_id": account.id})
    until = (earliest or now) + window
    return VerifyOut(verified=False, attempts_remaining=0, locked=True, locked_until=until)


def attempt_verification(
    session: Session, account: Account, claim: VerifyRequest, settings: Settings
) -> VerifyOut:
    """Check the claimed facts against the account's debtor, update the counters and commit.

    While the debtor is locked out, or the conversation rate limited, the facts are not even checked,
    and the attempt is not counted.
    """
    now = utcnow()
    conversation = claim.conversation_id
    refused = _rate_limited(session, account, conversation, settings, now) if conversation else None
    if refused is not None:
        return refused
    debtor = _lock_debtor_row(session, account.debtor_id)
    _expire_lockout(debtor, now)
    verified, checked = False, debtor.locked_until is None
    if not checked:
        blocked = {"attempts": debtor.failed_verifications}
        record_event(session, account.id, EventType.VERIFICATION_BLOCKED, blocked)
    elif facts_match(debtor, claim, settings.SECRET_KEY.get_secret_value()):
        _record_success(session, account, debtor)
        verified = True
    else:
        _record_failure(session, account, debtor, settings)
    if checked:
        _record_attempt(session, account, conversation, verified, now)
    session.commit()
    outcome = _outcome(debtor, settings, now)
    return _with_grant(outcome, account, settings, now) if verified else outcome
