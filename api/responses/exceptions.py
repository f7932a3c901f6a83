"""Errors of editing responses (api.core.exceptions.ApiError is the base)."""

from api.core.exceptions import ApiError


class ResponsesError(ApiError):
    """Base class of the responses package's errors."""


class ReviewFailed(ResponsesError):
    """A version was not published: the compliance review found problems -> 422 naming them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class DomainFileError(ResponsesError):
    """domain.yml could not be read as Rasa's responses (missing file, not a mapping of lists)."""
