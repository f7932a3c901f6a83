"""Errors of the SMS sink.

Hierarchy:
    SinkError                 base of everything below
    ├── SinkConfigError       settings missing or malformed: raised at startup, never at a request
    └── DeliveryError         an HTTP post the sink makes (webhook, status callback) got no answer
"""


class SinkError(Exception):
    """Base class for every error the sink raises on purpose."""


class SinkConfigError(SinkError, ValueError):
    """The sink cannot start with the settings it was given."""


class DeliveryError(SinkError):
    """A request to Rasa's webhook or a status callback URL failed before any HTTP answer."""
