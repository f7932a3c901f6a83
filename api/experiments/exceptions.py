"""Errors of experiments (api.core.exceptions.ApiError is the base)."""

from api.core.exceptions import ApiError


class ExperimentsError(ApiError):
    """Base class of the experiments package's errors."""


class InvalidShares(ExperimentsError):
    """Variant traffic shares are not 2..n positive numbers."""


class VariantsBlocked(ExperimentsError):
    """The experiment did not start: a variant failed the responses' compliance review -> 422 naming it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AlreadyRunning(ExperimentsError):
    """Another experiment of the same response is running -> 409."""


class WrongState(ExperimentsError):
    """Start of an experiment that is not a draft, or stop of one that is not running -> 409."""
