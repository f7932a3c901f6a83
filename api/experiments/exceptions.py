"""Errors of experiments (api.core.exceptions.ApiError is the base)."""

from api.core.exceptions import ApiError


class ExperimentsError(ApiError):
    """Base class of the experiments package's errors."""


class InvalidShares(ExperimentsError):
    """Variant traffic shares are not 2..n positive numbers."""
