"""Handoffs: conversations handed to a person; the bot's side (service, router), what agents do (actions),
what they see (views), unclaimed ones (timeouts), and Rasa's HTTP API (rasa_client).

Imports api.core, api.accounts, api.conversations, api.compliance, api.messaging and api.staff.
"""

__all__ = [
    "actions",
    "dependencies",
    "exceptions",
    "models",
    "rasa_client",
    "router",
    "schemas",
    "service",
    "timeouts",
    "views",
]
