"""Webchat: the chat page (/chat), its assets and the signed session tokens the Rasa channel checks.

Imports only api.core.
"""

__all__ = ["router"]
