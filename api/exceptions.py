"""Errors raised by the accounts API's domain code; routes turn them into HTTP responses.

Hierarchy:
    AccountsError                 base of everything below
    ├── InvalidValueError         an input cannot be normalised (phone, time zone, ZIP, ...) -> 422
    ├── ConflictError             a unique fact already exists -> 409
    │   └── DuplicateReferenceError
    ├── GrantError                a grant is missing, forged, expired or for another account -> 403
    ├── StaffAuthError            a staff session token is missing, forged or expired -> 401
    ├── HandoffStateError         a handoff action does not fit its state or owner -> 409
    ├── ComplianceBlockedError    the compliance gate refused an agent's message; nothing was sent -> 422
    ├── RasaUnavailableError      Rasa is unreachable, unconfigured or refused a change -> 503
    └── PaymentLinkError          a payment link cannot be used
        ├── PaymentLinkInvalid    forged, tampered with, or not a payment link -> 403 page
        └── PaymentLinkGone       expired, already used, or its account is gone -> 410 page

"Not found" is not an exception: crud functions return None and routes answer 404.
"""


class AccountsError(Exception):
    """Base class for every error the accounts API raises on purpose."""


class InvalidValueError(AccountsError, ValueError):
    """An input value cannot be normalised; a ValueError so pydantic validators report it as a 422."""


class ConflictError(AccountsError):
    """Creating something would violate a uniqueness rule."""


class DuplicateReferenceError(ConflictError):
    """An account with this reference already exists."""


class GrantError(AccountsError):
    """A verification grant does not prove that this account's debtor was verified."""


class StaffAuthError(AccountsError):
    """A staff session token does not prove who is signed in (forged, expired, or not a session)."""


class HandoffStateError(AccountsError):
    """The handoff is not in a state (or not held by the agent) that allows this action."""


class ComplianceBlockedError(AccountsError):
    """The compliance gate (api.compliance) refused a message an agent wrote; it was recorded, not sent."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons


class RasaUnavailableError(AccountsError):
    """Rasa could not be reached, is not configured, or refused the change; nothing changed on its side."""


class PaymentLinkError(AccountsError):
    """A payment link cannot be used; the portal shows a friendly page instead of the form."""


class PaymentLinkInvalid(PaymentLinkError):
    """The link's signature or purpose is wrong: it was forged or mangled."""


class PaymentLinkGone(PaymentLinkError):
    """The link was genuine but has expired or been used, or its account no longer exists."""
