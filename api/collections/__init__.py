"""Collections: the creditor's offer policy, standing (disputes, flags), plans, promises, payment claims,
validation notices and payment links.

Imports api.core, api.accounts and api.conversations.
"""

__all__ = [
    "exceptions",
    "models",
    "offer_policy",
    "payment_links",
    "plans_router",
    "router",
    "schemas",
    "service",
]
