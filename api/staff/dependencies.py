"""Who is signed in to the console: the staff user of a session (bearer or cookie), by role."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyCookie

from api.core.dependencies import BearerDep, SessionDep, SettingsDep, is_service
from api.staff.exceptions import StaffAuthError
from api.staff.models import StaffUser
from api.staff.service import (
    HANDOFF_ROLES,
    MARKETING_ROLES,
    OVERSEER_ROLES,
    SESSION_COOKIE,
    Role,
    session_user_id,
)

_staff_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The console's session (POST /staff/login)."
)
CookieDep = Annotated[str | None, Depends(_staff_cookie)]
CSRF_HEADER = "X-Console-Request"
"""Cookie-authenticated writes must carry it: a cross-site form cannot set a custom header."""


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="missing or invalid staff session",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_staff(
    request: Request, settings: SettingsDep, session: SessionDep, bearer: BearerDep, cookie: CookieDep
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


def page_staff(settings: SettingsDep, session: SessionDep, cookie: CookieDep) -> StaffUser | None:
    """The active user of the console's session cookie, or None: pages redirect rather than answer 401."""
    if cookie is None:
        return None
    try:
        user = session.get(StaffUser, session_user_id(settings.SECRET_KEY.get_secret_value(), cookie))
    except StaffAuthError:
        return None
    return user if user is not None and user.active else None


PageStaff = Annotated[StaffUser | None, Depends(page_staff)]
"""The signed-in user of a server-rendered console page, if any."""


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
Marketer = Annotated[StaffUser, Depends(staff_with(MARKETING_ROLES))]
"""Marketing and admins: those who edit the bot's responses."""


def service_or_admin(
    request: Request, settings: SettingsDep, session: SessionDep, bearer: BearerDep, cookie: CookieDep
) -> StaffUser | None:
    """The service token (None) or a signed-in admin: who may export or erase a debtor's data."""
    if is_service(settings, bearer):
        return None
    staff = current_staff(request, settings, session, bearer, cookie)
    if staff.role != Role.ADMIN:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="not allowed for this role")
    return staff


ServiceOrAdmin = Annotated[StaffUser | None, Depends(service_or_admin)]
