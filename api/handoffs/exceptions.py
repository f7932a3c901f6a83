"""Errors of handoffs (api.core.exceptions.ApiError is the base).

ApiError
├── HandoffStateError         a handoff action does not fit its state or owner -> 409
└── RasaUnavailableError      Rasa is unreachable, unconfigured or refused a change -> 503
"""

from api.core.exceptions import ApiError


class HandoffStateError(ApiError):
    """The handoff is not in a state (or not held by the agent) that allows this action."""


class RasaUnavailableError(ApiError):
    """Rasa could not be reached, is not configured, or refused the change; nothing changed on its side."""
