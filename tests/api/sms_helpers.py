"""Helpers for the messaging tests: Twilio-like ids, inbound posts, signed Twilio requests."""

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from api.conversations.models import OutboundMessage

INBOUND = "/api/v1/messages/inbound"
OUTBOUND = "/api/v1/messages/outbound"
OPT_OUT = "/api/v1/contacts/opt-out"
OPT_IN = "/api/v1/contacts/opt-in"
STATUS = "/api/v1/twilio/status"
OUR_NUMBER = "+15005550006"


def message_sid() -> str:
    """A fresh Twilio-style MessageSid."""
    return "SM" + uuid.uuid4().hex


def inbound(client: TestClient, sender: str | None, body: str = "hi", **fields: Any) -> dict[str, Any]:
    """POST an inbound SMS and return the response body (asserting 200)."""
    payload: dict[str, Any] = {"message_sid": fields.pop("sid", None) or message_sid(), "to": OUR_NUMBER}
    payload.update({"from": sender, "body": body, **fields})
    response = client.post(INBOUND, json=payload)
    assert response.status_code == 200, response.text
    return dict(response.json())


def outbound(client: TestClient, expect: int = 202, **fields: Any) -> dict[str, Any]:
    """POST an outbound message (kind "reply", body "Hello" unless given) and return the body."""
    payload: dict[str, Any] = {"channel": "sms", "body": "Hello", "kind": "reply", **fields}
    response = client.post(OUTBOUND, json=payload)
    assert response.status_code == expect, response.text
    return dict(response.json())


def outbox(session: Session, conversation_id: str) -> list[OutboundMessage]:
    """The conversation's outbound messages, oldest first."""
    query = select(OutboundMessage).where(OutboundMessage.conversation_id == conversation_id)
    return list(session.scalars(query.order_by(OutboundMessage.created_at)))


def the_opt_out_confirmation(session: Session, answer: dict[str, Any], sid: str) -> OutboundMessage:
    """The one message queued after an inbound opt-out (`answer`): its confirmation, a reply to `sid`."""
    [confirmation] = outbox(session, answer["conversation_id"])
    assert (confirmation.purpose, confirmation.status, confirmation.in_reply_to) == (
        "opt_out_confirmation",
        "queued",
        sid,
    )
    return confirmation


def signed_form(url: str, params: dict[str, str], auth_token: str) -> tuple[str, dict[str, str]]:
    """A form body and the headers Twilio would send with it (X-Twilio-Signature over url + params)."""
    signature = RequestValidator(auth_token).compute_signature(url, params)
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return urlencode(params), headers
