"""Conversations: a debtor's address on a channel (contact), its opaque conversation id, and the message
rows both ways (inbound, outbound and their attempts), which messaging writes and the gate, handoffs and
privacy read.

Imports only api.core.
"""

__all__ = ["models", "service"]
