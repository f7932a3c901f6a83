"""The personal link's token: issued by the API (api.accounts.links), checked by the /chat page and by
channels/webchat.py.

A debtor's personal link (sent by SMS, email or letter) opens the webchat bound to one account, NOT
verified: the token only names the account, as a typed reference would. It is an HS256 JWT whose `sub`
is the account id and `purpose` is PURPOSE, signed with a key derived from SECRET_KEY for this one use,
so it can never pass for a verification grant or a webchat session token (other keys, other purposes).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Final

import jwt

PURPOSE: Final = "personal-link"
ALGORITHM: Final = "HS256"
REQUIRED_CLAIMS: Final = ("exp", "sub", "purpose")
MAX_TOKEN_CHARS: Final = 1024
"""Longer than any token we issue: anything longer is refused unread."""
QUERY_PARAMETER: Final = "link"
"""The /chat page's query parameter that carries the token."""
METADATA_FIELD: Final = "link"
"""The field of the widget's `customData` (socket.io message metadata) that carries the token."""
_KEY_CONTEXT: Final = b"debtbot personal link v1"


def link_key(secret_key: str) -> bytes:
    """The signing key for personal links, derived from SECRET_KEY and used for nothing else."""
    return hmac.new(secret_key.encode("utf-8"), _KEY_CONTEXT, hashlib.sha256).digest()


def encode(secret_key: str, account_id: str, issued_at: datetime, expires_at: datetime) -> str:
    """A token binding a chat to `account_id` until `expires_at`."""
    claims = {"sub": account_id, "purpose": PURPOSE, "iat": issued_at, "exp": expires_at}
    return jwt.encode(claims, link_key(secret_key), algorithm=ALGORITHM)


def decode(token: str, secret_key: str) -> str:
    """The account id a valid, unexpired personal-link token names.

    Raises:
        jwt.InvalidTokenError: forged, expired, malformed, too long, another purpose, or no account.
    """
    if len(token) > MAX_TOKEN_CHARS:
        raise jwt.InvalidTokenError("token too long")
    claims = jwt.decode(
        token, link_key(secret_key), algorithms=[ALGORITHM], options={"require": list(REQUIRED_CLAIMS)}
    )
    subject = claims.get("sub")
    if claims.get("purpose") != PURPOSE or not isinstance(subject, str) or not subject:
        raise jwt.InvalidTokenError("not a personal link")
    return subject


def account_of(token: object, secret_key: str) -> str | None:
    """The account a personal-link token names; None for a missing, expired, forged or foreign one."""
    if not isinstance(token, str) or not token or not secret_key:
        return None
    try:
        return decode(token, secret_key)
    except jwt.InvalidTokenError:
        return None


InvalidTokenError = jwt.InvalidTokenError
