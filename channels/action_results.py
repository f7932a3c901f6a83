"""Rasa's check of every action server response, against a JSON schema validator compiled once.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate`, which with jsonschema 4.17
checks the schema itself against its meta-schema and builds a new validator on every call: about a
quarter of the Rasa process's busy time under load (issue 15). `validate_action_result` checks the same
response against the same schema with a validator built once per action class, and raises the same
`ValidationError` (jsonschema's best match, with Rasa's hint appended), so nothing else changes.
`install()` runs in the Rasa server's launcher (channels/serve.py) before Rasa starts, so before it
serves anything; importing `channels` alone does not install it (nor load Rasa).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators  # type: ignore[import-untyped]
from rasa.core.actions.action import RemoteAction  # type: ignore[import-untyped]
from rasa.shared.constants import DOCS_BASE_URL  # type: ignore[import-untyped]

STOCK_VALIDATE = RemoteAction._validate_action_result
"""Rasa's own method, kept for comparison (tests, benchmark)."""

HINT = (
    ". Failed to validate Action server response from API, "
    "make sure your response from the Action endpoint is valid. "
    "For more information about the format visit "
    f"{DOCS_BASE_URL}/custom-actions"
)
"""What Rasa appends to the validation error's message, word for word."""


@cache
def compiled_validator(action_class: Any) -> Any:
    """The validator of the class's response schema, its schema checked once, as jsonschema.validate does."""
    schema = action_class.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """True for a valid action server response; raise jsonschema's best-match error, as Rasa does."""
    error = exceptions.best_match(compiled_validator(self.__class__).iter_errors(result))
    if error is None:
        return True
    error.message += HINT
    raise error


def install() -> None:
    """Make every RemoteAction of this process validate with the compiled validator."""
    RemoteAction._validate_action_result = validate_action_result


def installed() -> bool:
    """Whether this process's RemoteAction uses the compiled validator."""
    return RemoteAction._validate_action_result is validate_action_result
