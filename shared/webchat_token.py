"""The webchat session token: issued by the API (api/webchat), checked by channels/webchat.py.

An HMAC-signed JWT whose `sub` is the one conversation (Rasa sender id) its holder's socket may join.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import jwt

SIGNING_ALGORITHM: Final = "HS256"
"""What the API signs with."""
ALGORITHMS: Final = ("HS256", "HS384", "HS512")
"""The HMAC algorithms a channel may be configured to accept."""
REQUIRED_CLAIMS: Final = ("exp", "sub")


def encode(secret: str, session_id: str, issued_at: datetime, expires_at: datetime) -> str:
    """A token for `session_id`, valid until `expires_at`."""
    claims = {"sub": session_id, "iat": issued_at, "exp": expires_at}
    return jwt.encode(claims, secret, algorithm=SIGNING_ALGORITHM)


def decode(token: str, secret: str, algorithm: str = SIGNING_ALGORITHM) -> str | None:
    """The session id of a valid, unexpired token; None for an empty `sub`.

    Raises:
        jwt.InvalidTokenError: the token is forged, expired, malformed or lacks a required claim.
    """
    claims = jwt.decode(token, secret, algorithms=[algorithm], options={"require": list(REQUIRED_CLAIMS)})
    subject = claims.get("sub")
    return subject if isinstance(subject, str) and subject else None


InvalidTokenError = jwt.InvalidTokenError
