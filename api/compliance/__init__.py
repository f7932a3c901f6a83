"""Compliance: the gate every outbound message passes (gate) and its rule modules (contact_window,
jurisdictions, client_rules, language_lint), which only the gate imports.

Imports api.core, api.accounts, api.collections and api.conversations.
"""

__all__ = ["exceptions", "gate"]
