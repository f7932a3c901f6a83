"""The JSON the Rasa side and the API exchange, by field name: each side's models are checked against these.

The channels build dataclasses (channels/messaging_api.py), the API pydantic models
(api/messaging/schemas.py, api/handoffs/schemas.py); tests/api/test_wire_contracts.py and
tests/channels/test_wire_contracts.py hold both to the names below. The inbound answer, which the API
writes and the channel reads field for field, is one dataclass of both (`InboundResult`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

INBOUND_PATH: Final = "/api/v1/messages/inbound"
INBOUND_BATCH_PATH: Final = "/api/v1/messages/inbound/batch"
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


@dataclass(frozen=True)
class InboundResult:
    """The answer to an inbound SMS: what the API made of it (`accepted` is False without a valid sender)."""

    id: str
    duplicate: bool
    accepted: bool
    conversation_id: str | None
    account_id: str | None
    opted_out: bool
    keyword: str | None
    button_payload: str | None

    @classmethod
    def from_body(cls, data: Mapping[str, Any]) -> InboundResult:
        """Read the JSON answer (absent optional fields are None)."""
        return cls(
            id=str(data["id"]),
            duplicate=bool(data["duplicate"]),
            accepted=bool(data["accepted"]),
            conversation_id=_optional(data.get("conversation_id")),
            account_id=_optional(data.get("account_id")),
            opted_out=bool(data.get("opted_out")),
            keyword=_optional(data.get("keyword")),
            button_payload=_optional(data.get("button_payload")),
        )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)
