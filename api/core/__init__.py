"""The lowest layer: settings, databases, the declarative base, security primitives, shared dependencies.

Imports no domain package. Every other package may import any of its modules.
"""
