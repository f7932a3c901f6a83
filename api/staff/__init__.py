"""Staff: console users, roles, sign-in sessions, the staff audit; `python -m api.staff create`.

Imports only api.core.
"""

__all__ = ["dependencies", "exceptions", "models", "pages", "router", "schemas", "seed", "service"]
