"""Responses and their versions: the seed from domain.yml, the live version, publish and rollback.

Callers commit. A version is never changed once written; rollback publishes an old version's variations
again, so the history always says who made what live, and when.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.responses import review, sms
from api.responses.exceptions import DomainFileError, ReviewFailed
from api.responses.models import BotResponse, ResponseVersion
from api.responses.rendering import Variation, fill
from api.staff import service as staff
from api.staff.models import StaffUser

logger = logging.getLogger(__name__)

SEED_NOTE = "seeded from domain.yml"
SEED_UPDATE_NOTE = "updated from domain.yml (not edited here)"


@dataclass(frozen=True)
class Preview:
    """A variation as a debtor would read it, and what it costs as SMS."""

    text: str
    buttons: list[str]
    sms: sms.SmsEstimate


def read_domain_responses(path: Path) -> dict[str, list[Variation]]:
    """The `responses` of a Rasa domain file; raises DomainFileError when it has none."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DomainFileError(f"cannot read {path}: {error}") from error
    responses = data.get("responses") if isinstance(data, dict) else None
    if not isinstance(responses, dict):
        raise DomainFileError(f"{path} has no responses")
    return responses


def seed_from_domain(session: Session, responses: dict[str, list[Variation]], now: datetime) -> int:
    """Add each response not yet in the database as version 1, and bring a response nobody has edited
    here up to domain.yml's wording when a release changed it (an edit by staff is never overwritten);
    returns how many were added."""
    known = {row.name: row for row in session.scalars(select(BotResponse))}
    added = [name for name in responses if name not in known]
    for name in added:
        row = BotResponse(name=name, created_at=now)
        session.add(row)
        session.flush()
        session.add(_version(row, 1, responses[name], None, SEED_NOTE, now))
    for name in responses.keys() & known.keys():
        _follow_the_domain(session, known[name], responses[name], now)
    return len(added)


def _follow_the_domain(
    session: Session, row: BotResponse, variations: list[Variation], now: datetime
) -> None:
    """A new version with domain.yml's variations, when the live one is still a seed and differs."""
    current = live(session, row.name)
    if current is None or current.author_email is not None or current.variations == variations:
        return
    if current.note not in (SEED_NOTE, SEED_UPDATE_NOTE):
        return
    logger.info("response updated from domain.yml", extra={"response": row.name})
    session.add(_version(row, current.number + 1, variations, None, SEED_UPDATE_NOTE, now))


def _version(
    row: BotResponse,
    number: int,
    variations: list[Variation],
    author: StaffUser | None,
    note: str,
    now: datetime,
) -> ResponseVersion:
    """A new version row of `row`."""
    return ResponseVersion(
        response_id=row.id,
        number=number,
        variations=variations,
        author_id=author.id if author else None,
        author_email=author.email if author else None,
        note=note,
        created_at=now,
    )


def find(session: Session, name: str) -> BotResponse | None:
    """The response of this name."""
    return session.scalars(select(BotResponse).where(BotResponse.name == name)).one_or_none()


def history(session: Session, name: str) -> list[ResponseVersion]:
    """Every version of a response, newest (the live one) first; empty for an unknown name."""
    query = (
        select(ResponseVersion)
        .join(BotResponse, BotResponse.id == ResponseVersion.response_id)
        .where(BotResponse.name == name)
        .order_by(ResponseVersion.number.desc())
    )
    return list(session.scalars(query))


def live(session: Session, name: str) -> ResponseVersion | None:
    """The live (newest) version of a response."""
    versions = history(session, name)
    return versions[0] if versions else None


def live_variations(session: Session, name: str) -> list[Variation] | None:
    """The variations the bot says for `name` now: one indexed query, no cache (edits show at once)."""
    query = (
        select(ResponseVersion.variations)
        .join(BotResponse, BotResponse.id == ResponseVersion.response_id)
        .where(BotResponse.name == name)
        .order_by(ResponseVersion.number.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def version(session: Session, name: str, number: int) -> ResponseVersion | None:
    """One version of a response."""
    return next((v for v in history(session, name) if v.number == number), None)


def all_live(session: Session) -> list[tuple[str, ResponseVersion]]:
    """Every response with its live version, by name."""
    newest = (
        select(ResponseVersion.response_id, func.max(ResponseVersion.number).label("number"))
        .group_by(ResponseVersion.response_id)
        .subquery()
    )
    query = (
        select(BotResponse.name, ResponseVersion)
        .join(ResponseVersion, ResponseVersion.response_id == BotResponse.id)
        .join(newest, (newest.c.response_id == BotResponse.id) & (newest.c.number == ResponseVersion.number))
        .order_by(BotResponse.name)
    )
    return [(name, row) for name, row in session.execute(query).tuples()]


def _searchable(name: str, variations: list[Variation]) -> str:
    """A response's name and every text, case-folded, for the search box."""
    return "\n".join([name, *(text for v in variations for text in review.texts(v))]).casefold()


def search(session: Session, query: str = "") -> list[tuple[str, ResponseVersion]]:
    """The live responses whose name or any text contains `query` (case-insensitive)."""
    needle = query.strip().casefold()
    return [(n, v) for n, v in all_live(session) if needle in _searchable(n, v.variations)]


def problems(
    session: Session, name: str, variations: list[Variation], live: list[Variation] | None
) -> list[str]:
    """What blocks publishing `variations` of response `name` over its `live` ones (review.review), with
    the disclosures its companion's live version carries counted as carried."""
    companion = review.COMPANIONS.get(name)
    carried = review.disclosures(live_variations(session, companion) or []) if companion else set()
    return review.review(variations, live, name, frozenset(carried))


def publish(
    session: Session, name: str, variations: list[Variation], author: StaffUser, note: str, now: datetime
) -> ResponseVersion | None:
    """Make `variations` live as a new version; None for an unknown name, ReviewFailed when blocked."""
    row, current = find(session, name), live(session, name)
    if row is None or current is None:
        return None
    found = problems(session, name, variations, current.variations)
    if found:
        raise ReviewFailed(found)
    created = _version(row, current.number + 1, variations, author, note, now)
    session.add(created)
    staff.audit(session, author, "response.publish", data={"response": name, "version": created.number})
    logger.info("response published", extra={"response": name, "version": created.number})
    return created


def rollback(
    session: Session, name: str, number: int, author: StaffUser, now: datetime
) -> ResponseVersion | None:
    """Publish version `number`'s variations again (a new version); None when either is unknown."""
    old = version(session, name, number)
    if old is None:
        return None
    return publish(session, name, list(old.variations), author, f"rollback to version {number}", now)


def preview(variation: Variation, values: dict[str, Any]) -> Preview:
    """The variation filled with made-up values, as SMS and as webchat would show it."""
    filled = fill(variation, {}, values)
    text = filled.get("text") if isinstance(filled.get("text"), str) else ""
    buttons = [str(b.get("title", "")) for b in filled.get("buttons") or [] if isinstance(b, dict)]
    return Preview(text or "", buttons, sms.estimate(text or ""))
