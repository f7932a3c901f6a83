"""Campaigns: proactive reminders by rule-based segment and day-offset steps, planned and sent on Celery
(celery_app, tasks) through the outbox and the compliance gate; dry runs, reports, and the reminder put
on the debtor's Rasa tracker so an answer is read in context; the console's campaign pages (pages_router).

Imports api.core, api.accounts, api.collections, api.conversations, api.compliance, api.messaging,
api.handoffs (Rasa's HTTP API), api.responses (the editable texts) and api.staff.
"""

__all__ = [
    "celery_app",
    "dry_run",
    "dry_runs",
    "exceptions",
    "forms",
    "models",
    "pages",
    "pages_router",
    "planner",
    "report",
    "router",
    "schemas",
    "segments",
    "sending",
    "service",
    "tasks",
    "templates",
]
