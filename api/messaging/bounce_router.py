"""The bounce intake: POST /webhooks/email/bounce takes a raw RFC 3464 DSN (message/rfc822 or
multipart/report) or a provider's JSON bounce events, signed with EMAIL_BOUNCE_WEBHOOK_SECRET
(X-Bounce-Signature: sha256=<HMAC-SHA256 of the body>; anything else is 403). Each report counts once; a
report of an email not yet recorded as sent is a 409, which providers (and the mail sink) retry."""

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, status

from api.core.dependencies import BodyDep, NowDep, SessionDep, SettingsDep
from api.messaging import bounces
from api.messaging.exceptions import BounceReportInvalid, BounceTooEarly
from api.messaging.sender import SenderConfig

router = APIRouter(prefix="/webhooks/email", tags=["email"])

MAX_BODY_BYTES = 1_000_000
"""A DSN returns at most the bounced message's headers or a truncated copy: far below this."""


@router.post("/bounce")
def bounce_intake(
    request: Request,
    body: BodyDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    signature: Annotated[str | None, Header(alias=bounces.SIGNATURE_HEADER)] = None,
) -> dict[str, int]:
    """Apply each bounce the request reports: counts by result (hard, soft, duplicate, unknown, ignored)."""
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "report too large")
    if not bounces.signed(settings, body, signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid signature")
    try:
        reports = bounces.parse(body, request.headers.get("content-type", ""))
    except BounceReportInvalid as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    retry = SenderConfig.from_settings(settings).retry
    try:
        results = Counter(bounces.apply(session, settings, report, now, retry) for report in reports)
    except BounceTooEarly as error:  # reports applied before it stay applied; their retry is a duplicate
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return dict(results)
