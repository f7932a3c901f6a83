"""Errors of insights (api.core.exceptions.ApiError is the base).

ApiError
└── NotLabellable      not a visible debtor message, or not an intent of domain.yml -> 422
"""

from api.core.exceptions import ApiError


class NotLabellable(ApiError):
    """The turn is not a visible debtor message, or the intent is not one of domain.yml's."""
