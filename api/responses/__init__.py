"""Responses: what the bot says, editable by marketing, versioned, and served to Rasa as its NLG server.

Seeded from domain.yml (which stays the bot's fallback); every publish is a new version, the newest is live.
Imports api.core, api.compliance and api.staff.
"""

__all__ = [
    "diff",
    "exceptions",
    "live",
    "models",
    "rendering",
    "review",
    "router",
    "schemas",
    "service",
    "sms",
]
