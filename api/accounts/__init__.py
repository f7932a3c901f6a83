"""Accounts: debtors, their accounts, identity verification and grants, the tamper-evident event record.

Imports only api.core. Everything that happens to an account is appended through `service.record_event`.
"""

__all__ = [
    "audit",
    "dependencies",
    "events",
    "exceptions",
    "links",
    "models",
    "router",
    "schemas",
    "service",
    "validators",
]
