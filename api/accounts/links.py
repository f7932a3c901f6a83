"""Personal chat links: a signed, expiring URL that opens the webchat bound to one account, not verified.

Campaigns, letters and staff call `issue`; the /chat page and Rasa's webchat channel read the token back
(shared.personal_link). The link only names the account, as a typed reference would: whoever opens it is
still asked to verify before anything about the debt is said.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from api.core.config import Settings
from shared import personal_link

CHAT_PATH = "/chat"


@dataclass(frozen=True)
class ChatLink:
    """The URL to send the debtor, and when it stops binding the chat."""

    url: str
    expires_at: datetime


def link_ttl(settings: Settings, requested_seconds: int | None) -> timedelta:
    """The link's life: the requested one, never longer than PERSONAL_LINK_TTL_SECONDS."""
    configured = settings.PERSONAL_LINK_TTL_SECONDS
    return timedelta(seconds=min(requested_seconds or configured, configured))


def chat_url(settings: Settings, token: str) -> str:
    """The /chat page's public URL carrying `token`."""
    query = urlencode({personal_link.QUERY_PARAMETER: token})
    return f"{settings.portal_base_url}{CHAT_PATH}?{query}"


def issue(
    settings: Settings, account_id: str, ttl_seconds: int | None = None, now: datetime | None = None
) -> ChatLink:
    """A personal chat link for `account_id` (the caller checked the account exists)."""
    issued_at = now or datetime.now(UTC)
    expires_at = issued_at + link_ttl(settings, ttl_seconds)
    secret = settings.SECRET_KEY.get_secret_value()
    token = personal_link.encode(secret, account_id, issued_at, expires_at)
    return ChatLink(url=chat_url(settings, token), expires_at=expires_at)
