"""Errors of accounts: inputs that cannot be normalised, uniqueness conflicts, grants that prove nothing.

Hierarchy (api.core.exceptions.ApiError is the base of every domain's errors):
    ApiError
    ├── InvalidValueError         an input cannot be normalised (phone, time zone, ZIP, ...) -> 422
    ├── ConflictError             a unique fact already exists -> 409
    │   └── DuplicateReferenceError
    └── GrantError                a grant is missing, forged, expired or for another account -> 403
"""

from api.core.exceptions import ApiError


class InvalidValueError(ApiError, ValueError):
    """An input value cannot be normalised; a ValueError so pydantic validators report it as a 422."""


class ConflictError(ApiError):
    """Creating something would violate a uniqueness rule."""


class DuplicateReferenceError(ConflictError):
    """An account with this reference already exists."""


class GrantError(ApiError):
    """A verification grant does not prove that this account's debtor was verified."""
