"""Experiments: A/B/n tests of a bot response, assigned per conversation, judged on insights' outcomes.

Imports api.core and api.responses (its review and rendering).
"""

__all__ = [
    "assignment",
    "demo",
    "exceptions",
    "models",
    "results",
    "router",
    "schemas",
    "service",
    "stats",
]
