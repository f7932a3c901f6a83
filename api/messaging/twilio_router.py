"""Twilio's delivery status callback; authenticated by Twilio's request signature, not a bearer token."""

import logging
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy.orm import Session

from api.core.config import STATUS_CALLBACK_PATH
from api.core.dependencies import BodyDep, SessionDep, SettingsDep
from api.messaging import outbox
from api.messaging.twilio import SIGNATURE_HEADER, signature_valid
from shared.twilio_form import FormParams, parse_form

logger = logging.getLogger(__name__)

router = APIRouter(tags=["twilio"])


@router.post(
    STATUS_CALLBACK_PATH,
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"description": "Missing or invalid signature"}, 503: {"description": "Not configured"}},
)
def delivery_status(request: Request, body: BodyDep, session: SessionDep, settings: SettingsDep) -> Response:
    """Record a MessageStatus report on its outbox message; unknown MessageSids are acknowledged.

    A plain `def` (FastAPI runs it on a worker thread): every outbound message gets two or three of these,
    and their queries on the event loop had held up every other request the API was serving."""
    url, token = settings.status_callback_url, settings.TWILIO_AUTH_TOKEN
    if url is None or token is None:
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="twilio not configured")
    params = parse_form(body)
    signed_url = f"{url}?{request.url.query}" if request.url.query else url
    if not signature_valid(
        token.get_secret_value(), signed_url, params, request.headers.get(SIGNATURE_HEADER)
    ):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="invalid signature")
    record_status(session, params)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def record_status(session: Session, params: FormParams) -> None:
    """The report applied to its outbox message."""
    sid, provider_status = params.first("MessageSid"), params.first("MessageStatus")
    message = outbox.find_by_provider_sid(session, sid) if sid else None
    if message is None or not provider_status:
        logger.info("status report for no known message", extra={"has_sid": bool(sid)})
        return
    error_code = params.first("ErrorCode") or None
    outbox.apply_status_report(session, message, provider_status.lower(), error_code, datetime.now(UTC))
    session.commit()
