"""Prometheus metrics of the API process (prometheus-client's default registry), defined once.

Every label value comes from a closed vocabulary (channel, outbound status, handoff reason, HTTP method,
a route's template, a status code): never an id, a phone number or anything a person typed. A value
outside its vocabulary is counted as "other", so a bad caller cannot create label values.
"""

from enum import Enum

from prometheus_client import Counter, Histogram

from shared.vocabulary import Channel, HandoffReason, OutboundStatus

OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def values(vocabulary: type[Enum]) -> frozenset[str]:
    """The string values of a vocabulary enum."""
    return frozenset(str(member.value) for member in vocabulary)


CHANNELS, STATUSES, REASONS = values(Channel), values(OutboundStatus), values(HandoffReason)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

MESSAGES = Counter("debtbot_messages", "Messages through the API by direction", ["direction", "channel"])
OUTBOUND_STATUS = Counter(
    "debtbot_outbound_status_changes", "Outbox messages entering a status", ["channel", "status"]
)
HANDOFFS_OPENED = Counter("debtbot_handoffs_opened", "Handoffs queued for a person", ["reason", "channel"])
REQUEST_SECONDS = Histogram(
    "debtbot_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
SERVER_ERRORS = Counter("debtbot_http_server_errors", "HTTP 5xx answers by route", ["method", "route"])


def bounded(value: object, vocabulary: frozenset[str]) -> str:
    """The value as a label when it belongs to the vocabulary, else "other"."""
    text = str(value.value) if isinstance(value, Enum) else str(value)
    return text if text in vocabulary else OTHER


def message_in(channel: object) -> None:
    """A debtor's message reached the API."""
    MESSAGES.labels("in", bounded(channel, CHANNELS)).inc()


def message_out(channel: object) -> None:
    """A message to a debtor entered the outbox (the single outbound path)."""
    MESSAGES.labels("out", bounded(channel, CHANNELS)).inc()


def outbound_status(channel: object, status: object) -> None:
    """An outbox message entered a status (queued, blocked, sent, delivered, ...)."""
    OUTBOUND_STATUS.labels(bounded(channel, CHANNELS), bounded(status, STATUSES)).inc()


def handoff_opened(reason: object, channel: object) -> None:
    """A new handoff was queued for an agent."""
    HANDOFFS_OPENED.labels(bounded(reason, REASONS), bounded(channel, CHANNELS)).inc()


def request_answered(method: str, route: str, status_code: int, seconds: float) -> None:
    """An HTTP request was answered; `route` is its template (no ids), or "other" when none matched."""
    method = bounded(method, METHODS)
    REQUEST_SECONDS.labels(method, route).observe(seconds)
    if status_code >= 500:
        SERVER_ERRORS.labels(method, route).inc()
