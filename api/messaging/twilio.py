"""Twilio plumbing for the API: the REST client and webhook signature checks (forms: shared.twilio_form).

twilio-python ships no type information, hence the ignores on its imports.
"""

from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from api.core.config import Settings
from shared.twilio_form import FormParams

REQUEST_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Twilio-Signature"


class TwilioNotConfiguredError(RuntimeError):
    """The Twilio settings the caller needs are missing."""


def signature_valid(auth_token: str, url: str, params: FormParams, signature: str | None) -> bool:
    """True when `signature` is Twilio's HMAC of `url` and `params` under the account's auth token."""
    if not signature:
        return False
    return bool(RequestValidator(auth_token).validate(url, params, signature))


def missing_sender_settings(settings: Settings) -> list[str]:
    """The settings the worker cannot send without."""
    missing = [name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not getattr(settings, name)]
    if not (settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID):
        missing.append("TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
    return missing


def make_client(settings: Settings) -> Client:
    """The official REST client; TWILIO_API_BASE_URL points it elsewhere (a local fake in tests)."""
    if not settings.TWILIO_ACCOUNT_SID or settings.TWILIO_AUTH_TOKEN is None:
        raise TwilioNotConfiguredError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required")
    client = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN.get_secret_value(),
        http_client=TwilioHttpClient(timeout=REQUEST_TIMEOUT_SECONDS),
    )
    if settings.TWILIO_API_BASE_URL:
        client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return client
