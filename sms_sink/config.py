"""The sink's settings, read from the environment variables the rest of the stack uses (.env)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sms_sink.exceptions import SinkConfigError

DEFAULT_PORT = 8025
DEFAULT_PUBLIC_BASE_URL = "http://localhost:5006"
DEFAULT_OUR_NUMBER = "+15005550006"
WEBHOOK_PATH = "/webhooks/twilio/webhook"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# The seeded demo debtors (api/seed.py): texting from one of these lands in a known account.
DEMO_PHONES: tuple[tuple[str, str], ...] = (
    ("+12025550143", "Jordan Rivera, ACME-1001"),
    ("+13125550188", "Sam Chen, ACME-1002"),
    ("+14155550199", "Alex Morgan, ACME-1003"),
)


@dataclass(frozen=True)
class SinkConfig:
    """Who the sink pretends to be and where it posts what a phone texts."""

    account_sid: str
    auth_token: str
    public_base_url: str
    webhook_base_url: str = DEFAULT_PUBLIC_BASE_URL
    """Where the sink posts: PUBLIC_BASE_URL, as Twilio does (a test may post elsewhere than it signs for)."""
    our_number: str = DEFAULT_OUR_NUMBER
    messaging_service_sid: str | None = None
    status_callbacks: bool = True
    callback_delay_seconds: float = 1.0
    history_limit: int = 5000

    @property
    def webhook_url(self) -> str:
        """Where the sink posts inbound texts: the Twilio channel's webhook, at its public URL."""
        return self.webhook_base_url.rstrip("/") + WEBHOOK_PATH

    @property
    def signed_webhook_url(self) -> str:
        """The URL the webhook signature covers, as the channel checks it (PUBLIC_BASE_URL + path)."""
        return self.public_base_url.rstrip("/") + WEBHOOK_PATH

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SinkConfig:
        """Settings from TWILIO_* and PUBLIC_BASE_URL; fails naming what is missing."""
        missing = [name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not env.get(name)]
        if missing:
            raise SinkConfigError(f"sms sink: missing {', '.join(missing)}")
        # Posted where Twilio posts (the ack port, or nginx in front of it) and signed for that URL.
        public = http_url("PUBLIC_BASE_URL", env.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL)
        return cls(
            account_sid=env["TWILIO_ACCOUNT_SID"],
            auth_token=env["TWILIO_AUTH_TOKEN"],
            public_base_url=public,
            webhook_base_url=public,
            our_number=env.get("TWILIO_FROM_NUMBER") or DEFAULT_OUR_NUMBER,
            messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID") or None,
        )


def http_url(name: str, value: str) -> str:
    """`value` if it is an http(s) URL with a host, else a SinkConfigError naming the setting."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SinkConfigError(f"sms sink: {name} must be an http(s) URL")
    return value


def port_from_env(env: Mapping[str, str]) -> int:
    """SMS_SINK_PORT, default 8025."""
    raw = env.get("SMS_SINK_PORT") or str(DEFAULT_PORT)
    try:
        return int(raw)
    except ValueError:
        raise SinkConfigError("sms sink: SMS_SINK_PORT must be a port number") from None


def points_at_sink(api_base_url: str | None, port: int) -> bool:
    """True when TWILIO_API_BASE_URL sends the worker's REST calls to this sink on a loopback `port`.

    The switch between the sink and a real account: with TWILIO_API_BASE_URL empty the worker talks to
    api.twilio.com, and the sink must stay out of the way.
    """
    if not api_base_url:
        return False
    parts = urlsplit(api_base_url)
    try:
        url_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS and url_port == port
