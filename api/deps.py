"""Dependencies shared by the routes, as `Annotated` aliases."""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api import crud
from api.core import security
from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.exceptions import GrantError, StaffAuthError
from api.handoff_models import StaffUser
from api.models import Account, utcnow
from api.rasa_client import RasaClient
from api.staff_auth import HANDOFF_ROLES, OVERSEER_ROLES, SESSION_COOKIE, Role, session_user_id
from api.tracker_stores import TrackerStore, from_settings

SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="The service-to-service token (API_TOKEN).")
_staff_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The console's session (POST /staff/login)."
)
CSRF_HEADER = "X-Console-Request"
"""Cookie-authenticated writes must carry it: a cross-site form cannot set a custom header."""
_grant_header = APIKeyHeader(
    name="X-Verification-Grant",
    auto_error=False,
    description="The grant returned by a successful POST /accounts/{id}/verify for the same account.",
)


def get_rasa(settings: SettingsDep) -> RasaClient:
    """Rasa's HTTP API (RASA_URL, RASA_TOKEN); nothing connects until a call."""
    return RasaClient.from_settings(settings)


RasaDep = Annotated[RasaClient, Depends(get_rasa)]


def get_db(settings: SettingsDep) -> Iterator[Session]:
    """One session per request; nothing connects until the first query."""
    with get_session_factory(settings.DATABASE_URL)() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def require_service_token(
    settings: SettingsDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """401 unless the request carries `Authorization: Bearer <API_TOKEN>`."""
    expected = settings.API_TOKEN.get_secret_value()
    if credentials is None or not security.token_matches(expected, credentials.credentials):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_grant(
    account_id: str, settings: SettingsDep, grant: Annotated[str | None, Depends(_grant_header)]
) -> None:
    """403 unless `X-Verification-Grant` proves that this account's debtor was verified."""
    try:
        if grant is None:
            raise GrantError("verification grant missing")
        security.check_grant(settings.SECRET_KEY.get_secret_value(), grant, account_id)
    except GrantError as error:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(error)) from None


ServiceAuth = Depends(require_service_token)
GrantAuth = Depends(require_grant)


def current_time() -> datetime:
    """Now, timezone-aware; a dependency so tests can fix the clock of the collections routes."""
    return utcnow()


NowDep = Annotated[datetime, Depends(current_time)]


def account_or_404(
    account_id: Annotated[str, Path(max_length=36, description="The account's id (a UUID).")],
    session: SessionDep,
) -> Account:
    """The account in the path, or a 404 that says nothing more."""
    account = crud.get_account(session, account_id)
    if account is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    return account


AccountDep = Annotated[Account, Depends(account_or_404)]


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="missing or invalid staff session",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_staff(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_staff_cookie)],
) -> StaffUser:
    """The active staff user of the bearer token or the session cookie; 401 otherwise."""
    token = bearer.credentials if bearer is not None else cookie
    if token is None:
        raise _unauthorized()
    try:
        user_id = session_user_id(settings.SECRET_KEY.get_secret_value(), token)
    except StaffAuthError:
        raise _unauthorized() from None
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise _unauthorized()
    if bearer is None and request.method not in ("GET", "HEAD") and CSRF_HEADER not in request.headers:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=f"{CSRF_HEADER} header missing")
    return user


StaffDep = Annotated[StaffUser, Depends(current_staff)]


def staff_with(roles: frozenset[Role]) -> Callable[[StaffUser], StaffUser]:
    """A dependency: the signed-in staff user, 403 unless their role is one of `roles`."""

    def check(staff: StaffDep) -> StaffUser:
        if staff.role not in roles:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="not allowed for this role")
        return staff

    return check


HandoffStaff = Annotated[StaffUser, Depends(staff_with(HANDOFF_ROLES))]
"""Agents, supervisors, admins: those who work the queue and read transcripts."""
Overseer = Annotated[StaffUser, Depends(staff_with(OVERSEER_ROLES))]
"""Supervisors and admins."""


def service_or_admin(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_staff_cookie)],
) -> StaffUser | None:
    """The service token (None) or a signed-in admin: who may export or erase a debtor's data."""
    expected = settings.API_TOKEN.get_secret_value()
    if bearer is not None and security.token_matches(expected, bearer.credentials):
        return None
    staff = current_staff(request, settings, session, bearer, cookie)
    if staff.role != Role.ADMIN:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="not allowed for this role")
    return staff


ServiceOrAdmin = Annotated[StaffUser | None, Depends(service_or_admin)]


def tracker_stores(settings: SettingsDep) -> list[TrackerStore]:
    """Rasa's tracker stores as configured (api.tracker_stores)."""
    return from_settings(settings)


TrackerStoresDep = Annotated[list[TrackerStore], Depends(tracker_stores)]
