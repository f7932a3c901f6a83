"""Errors of collections (api.core.exceptions.ApiError is the base).

ApiError
└── PaymentLinkError          a payment link cannot be used
    ├── PaymentLinkInvalid    forged, tampered with, or not a payment link -> 403 page
    └── PaymentLinkGone       expired, already used, or its account is gone -> 410 page
"""

from api.core.exceptions import ApiError


class PaymentLinkError(ApiError):
    """A payment link cannot be used; the portal shows a friendly page instead of the form."""


class PaymentLinkInvalid(PaymentLinkError):
    """The link's signature or purpose is wrong: it was forged or mangled."""


class PaymentLinkGone(PaymentLinkError):
    """The link was genuine but has expired or been used, or its account no longer exists."""
