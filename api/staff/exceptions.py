"""Errors of staff sign-in (api.core.exceptions.ApiError is the base)."""

from api.core.exceptions import ApiError


class StaffAuthError(ApiError):
    """A staff session token does not prove who is signed in (forged, expired, or not a session) -> 401."""
