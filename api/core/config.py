"""Settings from the environment (and `.env`): one object, secrets without defaults."""

from functools import lru_cache
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/accounts.db"
STATUS_CALLBACK_PATH = "/api/v1/twilio/status"
DEFAULT_API_PUBLIC_URL = "http://localhost:8000"


class DatabaseSettings(BaseSettings):
    """The part of the settings Alembic needs: migrations must not require the service secrets."""

    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", hide_input_in_errors=True
    )

    DATABASE_URL: str = DEFAULT_DATABASE_URL
    # The connection pool of a server database (PostgreSQL); SQLite files ignore it. Per process: the API,
    # the worker and each Celery worker hold up to POOL_SIZE + MAX_OVERFLOW connections each.
    DATABASE_POOL_SIZE: int = Field(default=5, ge=1)
    DATABASE_MAX_OVERFLOW: int = Field(default=10, ge=0)
    DATABASE_POOL_TIMEOUT_SECONDS: float = Field(default=30.0, gt=0)
    """How long a request waits for a pooled connection before it fails."""
    DATABASE_POOL_RECYCLE_SECONDS: int = Field(default=1800, ge=-1)
    """Connections older than this are replaced (a proxy or the server may close idle ones); -1: never."""


class Settings(DatabaseSettings):
    """Everything the API reads from its environment."""

    API_TOKEN: SecretStr = Field(min_length=16)
    SECRET_KEY: SecretStr = Field(min_length=32)
    VERIFY_MAX_ATTEMPTS: int = Field(default=3, ge=1)
    VERIFY_LOCKOUT_MINUTES: int = Field(default=1440, ge=1)
    VERIFY_MAX_FAILURES_PER_CONVERSATION: int = Field(default=5, ge=1)
    """Failed attempts a conversation (an SMS number) may make across all accounts per lockout period."""
    GRANT_TTL_SECONDS: int = Field(default=1800, ge=1)

    # Every HTTP request (api.core.body_limits): its whole body within the deadline (408 after it, counted
    # from the body's first read, not restarted by each byte) and no larger than the cap (413).
    HTTP_BODY_TIMEOUT_SECONDS: float = Field(default=10.0, gt=0)
    HTTP_MAX_BODY_BYTES: int = Field(default=1024 * 1024, ge=1)

    # SMS through Twilio. Optional here so the API runs without Twilio; the worker refuses to start
    # without credentials, and the status callback answers 503 until TWILIO_AUTH_TOKEN is set.
    API_PUBLIC_URL: str = DEFAULT_API_PUBLIC_URL
    """This API's public origin: payment links, every page a debtor or agent opens, status callbacks."""
    TWILIO_ACCOUNT_SID: str | None = None
    TWILIO_AUTH_TOKEN: SecretStr | None = None
    TWILIO_FROM_NUMBER: str | None = None
    TWILIO_MESSAGING_SERVICE_SID: str | None = None
    TWILIO_STATUS_CALLBACK_URL: str | None = None
    TWILIO_API_BASE_URL: str | None = None
    SMS_COMPANY_NAME: str = "Acme Recovery Services"
    SMS_SUPPORT_CONTACT: str = "1-800-555-0100, Mon-Fri 8am-8pm ET"
    OUTBOX_POLL_SECONDS: float = Field(default=1.0, gt=0)
    OUTBOX_MAX_ATTEMPTS: int = Field(default=8, ge=1)
    OUTBOX_BACKOFF_BASE_SECONDS: float = Field(default=2.0, gt=0)
    OUTBOX_BACKOFF_MAX_SECONDS: float = Field(default=900.0, gt=0)

    # The compliance gate (api.compliance.gate). Contact hours may only be narrowed from Reg F's 8:00-21:00.
    COMPLIANCE_CONTACT_HOURS_START: int = Field(default=8, ge=8, le=21)
    COMPLIANCE_CONTACT_HOURS_END: int = Field(default=21, ge=8, le=21)
    COMPLIANCE_REPLY_WINDOW_MINUTES: int = Field(default=60, ge=1, le=1440)
    """A message answering a debtor's message received this recently is a reply, not bot-initiated."""
    SMS_MAX_BOT_INITIATED_PER_7_DAYS: int = Field(default=7, ge=0)
    # The rules below are JSON here; api.compliance.gate validates them (client_rules, jurisdictions) when the
    # gate is configured, which the API's startup and the worker's do first.
    COMPLIANCE_DEFAULT_CLIENT: dict[str, Any] = {}
    """Rules for creditors not in COMPLIANCE_CLIENTS: a third-party agency (api.compliance.client_rules)."""
    COMPLIANCE_CLIENTS: dict[str, dict[str, Any]] = {}
    """Per creditor (the account's `creditor`), as JSON: {"Northwind Bank": {"kind": "first_party"}}."""
    COMPLIANCE_JURISDICTIONS: dict[str, dict[str, Any]] = {}
    """Per US state (the account's `jurisdiction`), JSON: {"MA": {"max_initiated_per_7_days": {"sms": 2}}}."""
    EMAIL_MAX_BOT_INITIATED_PER_7_DAYS: int = Field(default=7, ge=0)
    SMS_OPT_OUT_NOTICE: str = Field(
        default="Reply STOP to opt out.", pattern=r"(?i)\b(reply|text|send) stop\b"
    )

    # Email through SMTP (api.messaging.email_sender). Optional: without SMTP_HOST the worker sends no email.
    # `make run` points it at the local mail sink (python -m mail_sink), which shows every mail it got.
    SMTP_HOST: str | None = None
    SMTP_PORT: int = Field(default=25, ge=1, le=65535)
    SMTP_FROM: str = "Acme Recovery Services <notices@acme-recovery.example>"
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: SecretStr | None = None
    SMTP_STARTTLS: bool = False
    SMTP_TIMEOUT_SECONDS: float = Field(default=10.0, gt=0)
    EMAIL_UNSUBSCRIBE_TTL_DAYS: int = Field(default=90, ge=30)
    """How long an email's unsubscribe link works (CAN-SPAM: at least 30 days after sending)."""
    EMAIL_BOUNCE_DOMAIN: str | None = None
    """The domain of each email's VERP Return-Path (bounces+<signed token>@domain); None: SMTP_FROM's."""
    EMAIL_BOUNCE_WEBHOOK_SECRET: SecretStr | None = Field(default=None, min_length=16)
    """Signs the bounce intake's requests (X-Bounce-Signature: sha256=<HMAC of the body>); None: every
    request to POST /webhooks/email/bounce is refused."""

    # Webchat (/chat). Optional here so the API runs without it; POST /webchat/session answers 503 until
    # WEBCHAT_JWT_SECRET is set, to the same value Rasa's webchat channel (channels/webchat.py) verifies with.
    WEBCHAT_JWT_SECRET: SecretStr | None = Field(default=None, min_length=32)
    WEBCHAT_SOCKET_URL: str = "http://localhost:5005"
    WEBCHAT_TOKEN_TTL_SECONDS: int = Field(default=900, ge=60, le=3600)
    WEBCHAT_SESSIONS_PER_MINUTE: int = Field(default=20, ge=1)
    WEBCHAT_FRAME_ANCESTORS: str = "'self'"
    WEBCHAT_TITLE: str = "Acme Recovery Services — secure chat"
    PERSONAL_LINK_TTL_SECONDS: int = Field(default=30 * 86400, ge=3600, le=90 * 86400)
    """How long a debtor's personal chat link (api.accounts.links) opens the chat bound to the account."""

    # Collections: the validation notice's collector block (Reg F Model Form B-1) and payment links.
    COLLECTOR_NAME: str = "Acme Recovery Services"
    COLLECTOR_ADDRESS: str = "PO Box 1000, Springfield, IL 62701"
    COLLECTOR_PHONE: str = "1-800-555-0100"
    PAYMENT_LINK_TTL_SECONDS: int = Field(default=86400, ge=60)

    # Human handoff and the agent console (/console).
    HANDOFF_CLAIM_TIMEOUT_MINUTES: int = Field(default=15, ge=1)
    HANDOFF_BUSINESS_HOURS_START: int = Field(default=9, ge=0, le=23)
    HANDOFF_BUSINESS_HOURS_END: int = Field(default=17, ge=1, le=24)
    """Agents' hours (Mon-Fri, in the debtor's time zone) promised to a debtor whose handoff waits."""
    HANDOFF_DEFAULT_TIMEZONE: str = "America/New_York"
    """For a debtor whose time zone is unknown (not verified, number not on file)."""
    HANDOFF_STREAM_POLL_SECONDS: float = Field(default=1.0, gt=0)
    HANDOFF_STREAM_MAX_SECONDS: float = Field(default=300.0, gt=0)
    """The live queue closes after this long; the browser's EventSource reconnects by itself."""
    STAFF_SESSION_TTL_SECONDS: int = Field(default=28800, ge=60)
    HANDOFF_TIMEOUT_POLL_SECONDS: float = Field(default=60.0, gt=0)
    """How often the worker looks for handoffs nobody claimed in time."""
    WORKER_METRICS_PORT: int | None = Field(default=None, ge=1, le=65535)
    """Where the worker serves its Prometheus metrics (sends, retries, failures); unset: not served."""
    WORKER_METRICS_HOST: str = "127.0.0.1"
    """The address the worker's metrics listen on (the API serves its own at GET /metrics)."""

    # Rasa's HTTP API, which the console uses to release conversations and to deliver webchat replies.
    # Optional here so the API runs without Rasa; releasing and webchat replies answer 503 until it is set.
    RASA_URL: str = "http://localhost:5005"
    RASA_TOKEN: SecretStr | None = None

    # The bot's editable responses (api.responses): seeded from this Rasa domain file by `python -m api.seed`.
    RESPONSES_DOMAIN_FILE: str = "domain.yml"

    # Data protection (api.privacy: erasure, retention): where Rasa keeps conversations, and for how long.
    # Redis as endpoints.yml with TRACKER_STORE_TYPE=redis: redis://REDIS_HOST:REDIS_PORT/REDIS_TRACKER_DB.
    TRACKER_STORE_REDIS_URL: str | None = None
    TRACKER_STORE_KEY_PREFIX: str = "debtbot"
    TRACKER_STORE_SQL_URL: str | None = None
    """A Rasa SQLTrackerStore's database (its `events` table), as a SQLAlchemy URL."""
    RETENTION_CONVERSATION_DAYS: int | None = Field(default=None, ge=1)
    """Conversations (tracker sessions, message bodies, closed handoffs' transcripts) older are deleted."""
    RETENTION_INTERVAL_SECONDS: float = Field(default=3600.0, gt=0)

    # Heartbeats of the processes with no port (shared.heartbeat): the worker beats every pass and at least
    # every HEARTBEAT_SECONDS; Celery beat schedules the campaigns' heartbeat task at that period.
    HEARTBEAT_DIR: str = "var/heartbeats"
    HEARTBEAT_SECONDS: float = Field(default=15.0, gt=0)

    # Campaigns (api.campaigns): Celery's broker, the planner's period and the send task's retries.
    CELERY_BROKER_URL: str = "filesystem://"
    """Production: redis://host:6379/N. The default needs no server: kombu's filesystem transport, a
    folder of message files shared by every process on this machine (CELERY_FILESYSTEM_FOLDER)."""
    CELERY_FILESYSTEM_FOLDER: str = "var/celery"
    CAMPAIGN_PLAN_INTERVAL_SECONDS: float = Field(default=300.0, gt=0)
    """How often Celery beat runs the campaign planner."""
    CAMPAIGN_SEND_MAX_RETRIES: int = Field(default=5, ge=0)
    CAMPAIGN_RETRY_BACKOFF_SECONDS: float = Field(default=30.0, gt=0)
    """First retry delay of a send that failed on a transient error; doubled each retry."""
    CAMPAIGN_MAX_SPREAD_SECONDS: float | None = Field(default=None, ge=0)
    """Sends are spread over the debtor's allowed window, at most this far into it (None: all of it)."""
    CAMPAIGN_RESCHEDULE_AFTER_SECONDS: float = Field(default=900.0, ge=0)
    """A planned send still not done this long after its time is scheduled again (a lost task)."""
    CAMPAIGN_DRY_RUN_INLINE_MAX: int = Field(default=500, ge=0)
    """A dry run of at most this many accounts answers in the request; a larger one runs on the worker."""

    # Conversation insights (api.insights): Rasa's SQL event broker (endpoints.yml), which the worker ingests.
    EVENT_BROKER_URL: str | None = None
    """The broker's database as Rasa is given it (sqlite:///var/rasa_events.db, postgresql://...); None: no
    ingest."""
    INSIGHTS_INGEST_SECONDS: float = Field(default=30.0, gt=0)
    INSIGHTS_ABANDON_MINUTES: int = Field(default=30, ge=1)
    """A conversation silent this long without an agreement (nor a handoff or opt-out) counts as abandoned."""
    INSIGHTS_LOW_CONFIDENCE: float = Field(default=0.6, gt=0, le=1)
    """A debtor message whose intent confidence is below this is a gap, like a fallback (Rasa's threshold)."""

    @property
    def status_callback_url(self) -> str:
        """Where Twilio reports delivery status (this API's route): explicit, else under API_PUBLIC_URL."""
        return self.TWILIO_STATUS_CALLBACK_URL or self.portal_base_url + STATUS_CALLBACK_PATH

    @property
    def portal_base_url(self) -> str:
        """Where debtors and agents open this API's pages (payment links, chat, console)."""
        return self.API_PUBLIC_URL.rstrip("/")


@lru_cache
def get_settings() -> Settings:
    """Load the settings once; raises a validation error naming any missing secret."""
    return Settings()
