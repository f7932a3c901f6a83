"""Errors of messaging (api.core.exceptions.ApiError is the base).

ApiError
├── InvalidEmailAddress           the address on file cannot be written in a To header -> failed
├── BounceReportInvalid           a bounce report the intake cannot read (not a DSN, bad JSON) -> 400
├── BounceTooEarly                a bounce of an email not yet recorded as sent -> 409, the sender retries
└── UnsubscribeLinkError          an email's unsubscribe link cannot be used
    ├── UnsubscribeLinkInvalid    forged, tampered with, or not an unsubscribe link -> 400 page
    └── UnsubscribeLinkExpired    genuine but past its EMAIL_UNSUBSCRIBE_TTL_DAYS -> 410 page
"""

from api.core.exceptions import ApiError


class InvalidEmailAddress(ApiError):
    """The debtor's address is not one SMTP can carry (two addresses, stray brackets, ...)."""


class BounceReportInvalid(ApiError):
    """A request to the bounce intake is neither an RFC 3464 delivery status notification nor the JSON
    of a provider's bounce event."""


class BounceTooEarly(ApiError):
    """A bounce arrived while its email is still recorded as queued (the relay took it, our sender has
    not committed `sent` yet): the reporter is asked to deliver the report again shortly."""


class UnsubscribeLinkError(ApiError):
    """An unsubscribe link cannot be used; the page says so and how else to opt out."""


class UnsubscribeLinkInvalid(UnsubscribeLinkError):
    """The link's signature or purpose is wrong, or it names no email contact: forged or mangled."""


class UnsubscribeLinkExpired(UnsubscribeLinkError):
    """The link was genuine but is older than the unsubscribe links live."""
