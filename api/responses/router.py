"""Rasa's NLG server (POST /nlg, service token) and the editor's JSON routes (marketing and admins).

The NLG route answers Rasa 3.6's callback generator (rasa/core/nlg/callback.py): the live version's
variation for the slots and channel, filled as domain.yml's would be. 404 (no such response, or no
variation fits) makes the bot fall back to domain.yml (channels/nlg.py).
"""

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy.exc import IntegrityError

from api.core.dependencies import NowDep, ServiceAuth, SessionDep, SettingsDep
from api.responses import diff, live, review, service
from api.responses.exceptions import ReviewFailed
from api.responses.models import ResponseVersion
from api.responses.rendering import choose
from api.responses.schemas import (
    DiffLineOut,
    NlgRequest,
    PreviewOut,
    PreviewVariation,
    PublishIn,
    ResponseSummary,
    RollbackIn,
    SmsOut,
    VariationsIn,
    VersionOut,
)
from api.staff.dependencies import Marketer

logger = logging.getLogger(__name__)

nlg_router = APIRouter(tags=["nlg"], dependencies=[ServiceAuth])
router = APIRouter(prefix="/responses", tags=["responses"])


def _not_found(what: str = "response") -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"{what} not found")


@nlg_router.post("/nlg", responses={404: {"description": "Unknown response, or no variation fits"}})
async def generate(body: NlgRequest, settings: SettingsDep) -> dict[str, Any]:
    """The bot's next message for `response`: Rasa's variation rules, slots and arguments filled in."""
    variations = await live.variations(settings.DATABASE_URL, body.response)
    if variations is None:
        raise _not_found()
    message = choose(variations, body.channel.name or "", body.tracker.slots, body.arguments)
    if message is None:
        raise _not_found("variation")
    return message


def _summary(name: str, current: ResponseVersion) -> ResponseSummary:
    """A list row: the live version's number, author, and its first text."""
    first = next((text for v in current.variations for text in review.texts(v)), "")
    return ResponseSummary(
        name=name,
        version=current.number,
        variations=len(current.variations),
        excerpt=first[:140],
        author_email=current.author_email,
        updated_at=current.created_at,
    )


@router.get("")
def list_responses(session: SessionDep, _staff: Marketer, q: str = "") -> list[ResponseSummary]:
    """Every response (live version), filtered by a search over names and texts."""
    return [_summary(name, current) for name, current in service.search(session, q)]


@router.get("/{name}/versions")
def versions(name: str, session: SessionDep, _staff: Marketer) -> list[VersionOut]:
    """The history, newest (live) first."""
    rows = service.history(session, name)
    if not rows:
        raise _not_found()
    return [VersionOut.model_validate(row) for row in rows]


@router.get("/{name}/diff")
def compare(name: str, session: SessionDep, _staff: Marketer, old: int, new: int) -> list[DiffLineOut]:
    """Line by line, what changed from version `old` to version `new`."""
    before, after = service.version(session, name, old), service.version(session, name, new)
    if before is None or after is None:
        raise _not_found("version")
    lines = diff.compare(before.variations, after.variations)
    return [DiffLineOut(kind=line.kind, text=line.text) for line in lines]


@router.post("/{name}/preview")
def preview(name: str, body: VariationsIn, session: SessionDep, _staff: Marketer) -> PreviewOut:
    """How the draft reads (SMS and webchat) and what would block publishing it."""
    current = service.live(session, name)
    if current is None:
        raise _not_found()
    drafts = [v.as_rasa() for v in body.variations]
    previews = [service.preview(v, dict(review.SAMPLE_VALUES)) for v in drafts]
    shown = [PreviewVariation(text=p.text, buttons=p.buttons, sms=SmsOut(**vars(p.sms))) for p in previews]
    return PreviewOut(variations=shown, problems=service.problems(session, name, drafts, current.variations))


def _published(name: str, version: ResponseVersion | None, session: SessionDep) -> VersionOut:
    """Commit a new version and serve it at once; 404 when the response (or the old version) is unknown."""
    if version is None:
        raise _not_found()
    try:
        session.commit()
        live.forget(name)
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "someone published at the same time; reload") from None
    return VersionOut.model_validate(version)


def _blocked(error: ReviewFailed) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, {"problems": error.problems})


@router.post("/{name}/versions", status_code=status.HTTP_201_CREATED)
def publish(name: str, body: PublishIn, session: SessionDep, staff: Marketer, now: NowDep) -> VersionOut:
    """Publish the draft as the new live version; 422 with the review's problems when it is blocked."""
    drafts = [v.as_rasa() for v in body.variations]
    try:
        created = service.publish(session, name, drafts, staff, body.note, now)
    except ReviewFailed as error:
        raise _blocked(error) from None
    return _published(name, created, session)


@router.post("/{name}/rollback", status_code=status.HTTP_201_CREATED)
def rollback(name: str, body: RollbackIn, session: SessionDep, staff: Marketer, now: NowDep) -> VersionOut:
    """Make an old version live again, as a new version equal to it."""
    try:
        created = service.rollback(session, name, body.version, staff, now)
    except ReviewFailed as error:
        raise _blocked(error) from None
    return _published(name, created, session)
