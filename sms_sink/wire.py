"""Twilio's wire format: request signatures, the Message resource, webhook and status callback forms."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime
from typing import Any

API_VERSION = "2010-04-01"
SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio's error codes for a refused create (https://www.twilio.com/docs/api/errors).
AUTHENTICATE = 20003
TO_REQUIRED = 21604
FROM_REQUIRED = 21603
BODY_REQUIRED = 21602


def message_sid() -> str:
    """A fresh Twilio-style MessageSid: SM and 32 hex digits."""
    return "SM" + uuid.uuid4().hex


def signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL then each sorted key and its value."""
    data = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """An error as the REST API answers it."""
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more_info, "status": status}


def create_error(params: Mapping[str, str]) -> dict[str, Any] | None:
    """The 400 Twilio answers a create that lacks a required field, or None when it is complete."""
    if not params.get("To"):
        return error_body(400, TO_REQUIRED, "A 'To' phone number is required.")
    if not (params.get("From") or params.get("MessagingServiceSid")):
        return error_body(400, FROM_REQUIRED, "A 'From' phone number is required.")
    if not (params.get("Body") or params.get("MediaUrl")):
        return error_body(400, BODY_REQUIRED, "Message body is required.")
    return None


def message_resource(sid: str, account_sid: str, params: Mapping[str, str], now: datetime) -> dict[str, Any]:
    """The Message resource Twilio returns with 201 on create."""
    body = params.get("Body", "")
    service = params.get("MessagingServiceSid")
    date = format_datetime(now)
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}"
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": body,
        "date_created": date,
        "date_sent": None,
        "date_updated": date,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": params.get("From"),
        "messaging_service_sid": service,
        "num_media": "0",
        "num_segments": str(segments(body)),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "accepted" if service else "queued",
        "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
        "to": params.get("To"),
        "uri": f"{uri}.json",
    }


def segments(body: str) -> int:
    """How many SMS segments a body takes: 160/153 GSM characters, 70/67 when it needs UCS-2."""
    single, multi = (160, 153) if body.isascii() else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // multi)


def inbound_params(
    sid: str, account_sid: str, sender: str, to: str, body: str, service: str | None = None
) -> dict[str, str]:
    """The form Twilio posts to an incoming-message webhook for a text without media."""
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": account_sid,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": str(segments(body)),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
    }
    if service:
        params["MessagingServiceSid"] = service
    return params


def status_params(sid: str, account_sid: str, created: Mapping[str, str], status: str) -> dict[str, str]:
    """The form Twilio posts to a message's StatusCallback when its status changes."""
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": account_sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "To": created.get("To", ""),
        "ApiVersion": API_VERSION,
    }
    for field in ("From", "MessagingServiceSid"):
        if created.get(field):
            params[field] = created[field]
    return params
