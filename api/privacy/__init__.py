"""Privacy: the subject access export (access), erasure, retention, and Rasa's tracker stores.

Imports api.core, api.accounts, api.collections, api.conversations, api.handoffs, api.insights, api.messaging,
api.staff.
"""

__all__ = ["retention", "router"]
