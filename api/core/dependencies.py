"""Dependencies every domain's routes share, as `Annotated` aliases: settings, session, token, clock."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.core import security
from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.core.models import utcnow

SettingsDep = Annotated[Settings, Depends(get_settings)]

bearer = HTTPBearer(auto_error=False, description="The service-to-service token (API_TOKEN).")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_db(settings: SettingsDep) -> Iterator[Session]:
    """One session per request; nothing connects until the first query."""
    with get_session_factory(settings.DATABASE_URL)() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def is_service(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """Whether the request carries `Authorization: Bearer <API_TOKEN>`."""
    expected = settings.API_TOKEN.get_secret_value()
    return credentials is not None and security.token_matches(expected, credentials.credentials)


def require_service_token(settings: SettingsDep, credentials: BearerDep) -> None:
    """401 unless the request carries `Authorization: Bearer <API_TOKEN>`."""
    if not is_service(settings, credentials):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


ServiceAuth = Depends(require_service_token)


def current_time() -> datetime:
    """Now, timezone-aware; a dependency so tests can fix the clock of the routes."""
    return utcnow()


NowDep = Annotated[datetime, Depends(current_time)]


async def request_body(request: Request) -> bytes:
    """The raw body, read on the event loop, so that a route taking it can be a plain `def`: FastAPI runs
    such a route on a worker thread, and its queries never hold up the loop (every other request)."""
    return await request.body()


BodyDep = Annotated[bytes, Depends(request_body)]
