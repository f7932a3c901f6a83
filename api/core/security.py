"""Keyed hashes of identity facts, constant-time comparisons and verification grants."""

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import jwt

from api.exceptions import GrantError

GRANT_PURPOSE = "debtor-disclosure"
GRANT_ALGORITHM = "HS256"


class Fact(StrEnum):
    """Identity facts; the name is mixed into the hash so equal values of different facts never collide."""

    DOB = "dob"
    ZIP = "zip"
    SSN_LAST4 = "ssn_last4"


def hash_fact(secret: str, fact: Fact, normalized_value: str) -> str:
    """HMAC-SHA256 (hex) of a normalised fact; without the key a leaked row cannot be brute-forced."""
    message = f"{fact.value}:{normalized_value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def hash_dob(secret: str, dob: date) -> str:
    """Hash of a date of birth in ISO form (YYYY-MM-DD)."""
    return hash_fact(secret, Fact.DOB, dob.isoformat())


def matches(expected_hash: str, candidate_hash: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(expected_hash.encode(), candidate_hash.encode())


def token_matches(expected: str, presented: str) -> bool:
    """Constant-time comparison of a presented bearer token with the configured one."""
    return hmac.compare_digest(expected.encode(), presented.encode())


def create_grant(
    secret: str, account_id: str, ttl_seconds: int, now: datetime | None = None
) -> tuple[str, datetime]:
    """A signed token proving this account's debtor was verified; returns it with its expiry."""
    issued_at = now or datetime.now(UTC)
    expires_at = issued_at + timedelta(seconds=ttl_seconds)
    claims = {"sub": account_id, "purpose": GRANT_PURPOSE, "iat": issued_at, "exp": expires_at}
    return jwt.encode(claims, secret, algorithm=GRANT_ALGORITHM), expires_at


def check_grant(secret: str, grant: str, account_id: str) -> None:
    """Raise GrantError unless `grant` is a valid, unexpired disclosure grant for `account_id`."""
    try:
        claims = jwt.decode(
            grant, secret, algorithms=[GRANT_ALGORITHM], options={"require": ["exp", "sub", "purpose"]}
        )
    except jwt.ExpiredSignatureError:
        raise GrantError("verification grant expired") from None
    except jwt.InvalidTokenError:
        raise GrantError("verification grant invalid") from None
    if claims["purpose"] != GRANT_PURPOSE or str(claims["sub"]) != account_id:
        raise GrantError("verification grant is not for this account")
