"""The JSON the Rasa side and the API exchange, by field name: each side's models are checked against these.

The channels build dataclasses (channels/messaging_api.py), the API pydantic models
(api/messaging/schemas.py, api/handoffs/schemas.py); tests/api/test_wire_contracts.py and
tests/channels/test_wire_contracts.py hold both to the names below.
"""

from __future__ import annotations

from typing import Final

INBOUND_PATH: Final = "/api/v1/messages/inbound"
OUTBOUND_PATH: Final = "/api/v1/messages/outbound"
HANDOFFS_PATH: Final = "/api/v1/handoffs"

INBOUND_FIELDS: Final = frozenset({"message_sid", "from", "to", "body", "num_media", "media"})
"""POST /api/v1/messages/inbound: an SMS as Twilio delivered it (`from` is the sender)."""
MEDIA_FIELDS: Final = frozenset({"url", "content_type"})
INBOUND_RESULT_FIELDS: Final = frozenset(
    {"id", "duplicate", "accepted", "conversation_id", "account_id", "opted_out", "keyword", "button_payload"}
)
"""Its answer."""
OUTBOUND_FIELDS: Final = frozenset(
    {
        "channel",
        "conversation_id",
        "body",
        "kind",
        "idempotency_key",
        "account_id",
        "in_reply_to",
        "buttons",
        "purpose",
    }
)
"""POST /api/v1/messages/outbound, as the channels send it (the API also takes `to`, which they never do)."""
OUTBOUND_RESULT_FIELDS: Final = frozenset({"id", "status", "reasons"})
"""What the channels read of its answer (the API adds `duplicate`)."""
BUTTON_FIELDS: Final = frozenset({"title", "payload"})
HANDOFF_FIELDS: Final = frozenset(
    {"conversation_id", "channel", "reason", "account_id", "transcript", "distress", "summary"}
)
"""POST /api/v1/handoffs: what the bot sends when it hands a conversation over."""
