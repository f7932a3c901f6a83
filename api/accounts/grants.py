"""Verification grants: signed, short-lived proof that an account's debtor was verified."""

from datetime import UTC, datetime, timedelta

import jwt

from api.accounts.exceptions import GrantError

GRANT_PURPOSE = "debtor-disclosure"
GRANT_ALGORITHM = "HS256"


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
