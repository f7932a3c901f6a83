"""Errors of messaging (api.core.exceptions.ApiError is the base).

ApiError
├── InvalidEmailAddress           the address on file cannot be written in a To header -> failed
├── BounceReportInvalid           a bounce report the intake cannot read (not a DSN, bad JSON) -> 400
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


class UnsubscribeLinkError(ApiError):
    """An unsubscribe link cannot be used; the page says so and how else to opt out."""


class UnsubscribeLinkInvalid(UnsubscribeLinkError):
    """The link's signature or purpose is wrong, or it names no email contact: forged or mangled."""


class UnsubscribeLinkExpired(UnsubscribeLinkError):
    """The link was genuine but is older than the unsubscribe links live."""
