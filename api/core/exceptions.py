"""The base of every error the API raises on purpose; each domain's `exceptions` module derives from it.

Routes turn domain errors into HTTP responses. "Not found" is not an exception: services return None
and routes answer 404.
"""


class ApiError(Exception):
    """Base class for every error the API raises on purpose."""
