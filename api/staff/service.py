"""Staff users: roles, password hashes (argon2id), sign-in, the signed session token, the staff audit."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.staff.exceptions import StaffAuthError
from api.staff.models import StaffAudit, StaffUser

logger = logging.getLogger(__name__)

SESSION_PURPOSE = "staff-session"
SESSION_ALGORITHM = "HS256"
SESSION_COOKIE = "staff_session"
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Checked against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0000")


class Role(StrEnum):
    """What a staff user may do; marketing never reads a conversation."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MARKETING = "marketing"
    ADMIN = "admin"


HANDOFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
"""Roles that work the handoff queue and read transcripts."""
OVERSEER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
"""Roles that see every agent's handoffs and reassign them."""
MARKETING_ROLES = frozenset({Role.MARKETING, Role.ADMIN})
"""Roles that edit what the bot says (never a conversation, never a debtor)."""


@dataclass(frozen=True)
class SessionToken:
    """A signed session and when it expires."""

    token: str
    expires_at: datetime


def hash_password(password: str) -> str:
    """An argon2id hash (salted, parameters inside) of a password."""
    return _hasher.hash(password)


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> StaffUser | None:
    """The staff user with this email."""
    query = select(StaffUser).where(func.lower(StaffUser.email) == normalize_email(email))
    return session.scalars(query).one_or_none()


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    """The active user with these credentials, else None (never says which part was wrong)."""
    user = find_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def create_user(session: Session, email: str, password: str, role: Role) -> StaffUser:
    """Add a staff user (caller commits); raises ValueError for a short password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = StaffUser(
        email=normalize_email(email), password_hash=hash_password(password), role=role.value, active=True
    )
    session.add(user)
    session.flush()
    return user


def issue_session(secret: str, user: StaffUser, ttl_seconds: int, now: datetime) -> SessionToken:
    """A signed token naming the user; the role is re-read from the database on every request."""
    expires_at = now + timedelta(seconds=ttl_seconds)
    claims = {"sub": user.id, "purpose": SESSION_PURPOSE, "iat": now, "exp": expires_at}
    return SessionToken(jwt.encode(claims, secret, algorithm=SESSION_ALGORITHM), expires_at)


def session_user_id(secret: str, token: str) -> str:
    """The user id a valid, unexpired session token names; raises StaffAuthError otherwise."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[SESSION_ALGORITHM], options={"require": ["exp", "sub", "purpose"]}
        )
    except jwt.InvalidTokenError:
        raise StaffAuthError("staff session invalid or expired") from None
    if claims["purpose"] != SESSION_PURPOSE:
        raise StaffAuthError("not a staff session")
    return str(claims["sub"])


def audit(
    session: Session,
    staff: StaffUser | None,
    action: str,
    handoff_id: str | None = None,
    account_id: str | None = None,
    data: dict[str, object] | None = None,
) -> None:
    """One line of the staff audit (caller commits); never the debtor's or the agent's words."""
    staff_id = staff.id if staff else None
    row = StaffAudit(
        staff_id=staff_id, action=action, handoff_id=handoff_id, account_id=account_id, data=data or {}
    )
    session.add(row)
