"""Messaging: inbound SMS (inbox, keywords), the single outbound path through the gate (outbox), opt-outs
(contacts), Twilio (twilio, sender, the status callback), email (emails, email_render, email_sender, the
one-click unsubscribe, bounces and their intake) and their routes.

Imports api.core, api.accounts, api.conversations, api.compliance and shared.
"""

__all__ = [
    "bounce_router",
    "bounces",
    "contacts_router",
    "email_sender",
    "emails",
    "exceptions",
    "outbox",
    "router",
    "schemas",
    "sender",
    "twilio",
    "twilio_router",
    "unsubscribe_router",
]
