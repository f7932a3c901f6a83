"""Rows written straight to the database, for tests that need history the API would take days to make."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from api.collections.models import PaymentPlan
from api.conversations.models import OutboundMessage


def active_plan(
    account_id: str, created_at: datetime, total: Decimal = Decimal(500), **fields: Any
) -> PaymentPlan:
    """An active plan of 50 a month on the account (idempotency key "k", no terms unless given)."""
    defaults: dict[str, Any] = {"idempotency_key": "k", "status": "active", "kind": "plan", "terms": {}}
    return PaymentPlan(
        account_id=account_id,
        amount=Decimal(50),
        total=total,
        created_at=created_at,
        **{**defaults, **fields},
    )


def sms_row(**fields: Any) -> OutboundMessage:
    """An outbound SMS reply to the demo number, queued and never tried, unless `fields` say otherwise."""
    defaults: dict[str, Any] = {
        "channel": "sms",
        "to_address": "+12025550143",
        "conversation_id": "c-r",
        "kind": "reply",
        "body": "Your plan",
        "status": "queued",
        "attempts": 0,
    }
    return OutboundMessage(**{**defaults, **fields})
