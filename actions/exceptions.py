"""Errors raised by the action server's clients.

Hierarchy:
    ActionsError
    ├── AccountsApiError            the accounts API answered in a way we cannot use
    │   ├── AccountsApiUnavailable  network error, timeout or 5xx: try again later
    │   ├── GrantRejected           the verification grant expired or does not match the account
    │   └── OfferRejected           the policy no longer accepts the terms (409 with the evaluation)
"""


class ActionsError(Exception):
    """Base class of every error the actions package raises on purpose."""


class AccountsApiError(ActionsError):
    """The accounts API answered with something other than what the call expects."""


class AccountsApiUnavailable(AccountsApiError):
    """The accounts API could not be reached in time or failed on its side."""


class GrantRejected(AccountsApiError):
    """The API refused to disclose: the verification grant is expired or for another account."""


class OfferRejected(AccountsApiError):
    """The API re-evaluated the terms at creation time and did not accept them."""

    def __init__(self, evaluation: dict[str, object]) -> None:
        super().__init__("the policy did not accept the terms")
        self.evaluation = evaluation
