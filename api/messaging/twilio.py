"""Twilio plumbing for the API: the REST client, form parsing and webhook signature checks.

twilio-python ships no type information, hence the ignores on its imports.
"""

from urllib.parse import parse_qsl

from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from api.core.config import Settings

REQUEST_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Twilio-Signature"


class TwilioNotConfiguredError(RuntimeError):
    """The Twilio settings the caller needs are missing."""


class FormParams(dict[str, list[str]]):
    """Form fields with every value of repeated keys, as RequestValidator expects (it calls getall)."""

    def getall(self, key: str) -> list[str]:
        """Every value sent under `key`."""
        return self[key]

    def first(self, key: str) -> str | None:
        """The first value sent under `key`, or None."""
        values = self.get(key)
        return values[0] if values else None


def parse_form(body: bytes) -> FormParams:
    """An application/x-www-form-urlencoded body; invalid UTF-8 becomes U+FFFD rather than an error."""
    params = FormParams()
    text = body.decode("utf-8", errors="replace")
    for key, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"):
        params.setdefault(key, []).append(value)
    return params


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
