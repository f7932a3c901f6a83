"""Health: liveness with a database round trip.

Imports only api.core.
"""

__all__ = ["router"]
