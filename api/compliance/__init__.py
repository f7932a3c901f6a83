"""Compliance: the gate every outbound message passes (gate) and its rule modules (contact_window,
jurisdictions, client_rules, language_lint), which only the gate applies to messages; the language lint
and the disclosures' wording (client_rules) are exported for the review of edited responses.

Imports api.core, api.accounts, api.collections and api.conversations.
"""

__all__ = ["client_rules", "exceptions", "gate", "language_lint"]
