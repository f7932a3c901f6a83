"""Insights: the conversation review (personal data withheld, the gaps first, intent labels exported as NLU
data) and the analytics dashboard, from Rasa's SQL event broker through the worker's ingest.

Imports api.core, api.accounts, api.conversations, api.collections, api.handoffs and api.staff, and shared.
"""

__all__ = ["demo", "ingest", "models", "retention", "router"]
