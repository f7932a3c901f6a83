"""Staff sign-in for the agent console: a signed, expiring session token, also set as a cookie."""

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy import select

from api.core.dependencies import NowDep, SessionDep, SettingsDep
from api.staff import service
from api.staff.dependencies import Overseer, StaffDep
from api.staff.models import StaffUser
from api.staff.schemas import LoginIn, LoginOut, StaffOut
from api.staff.service import HANDOFF_ROLES

router = APIRouter(prefix="/staff", tags=["staff"])


def _secure(request: Request, public_base_url: str | None) -> bool:
    """Send the cookie over HTTPS only, unless the console is served over plain HTTP (local runs)."""
    return request.url.scheme == "https" or (public_base_url or "").startswith("https://")


@router.post("/login", responses={401: {"description": "Wrong email or password, or inactive user"}})
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> LoginOut:
    """Check the password; returns a session token and sets it as an HttpOnly, SameSite=Strict cookie."""
    user = service.authenticate(session, body.email, body.password)
    if user is None:
        service.audit(session, None, "staff.login_failed")
        session.commit()
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="wrong email or password")
    secret, ttl = settings.SECRET_KEY.get_secret_value(), settings.STAFF_SESSION_TTL_SECONDS
    issued = service.issue_session(secret, user, ttl, now)
    service.audit(session, user, "staff.login")
    session.commit()
    response.set_cookie(
        service.SESSION_COOKIE,
        issued.token,
        max_age=ttl,
        httponly=True,
        samesite="strict",
        secure=_secure(request, settings.API_PUBLIC_URL),
        path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    return LoginOut(token=issued.token, expires_at=issued.expires_at, role=user.role, email=user.email)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(staff: StaffDep, session: SessionDep, response: Response) -> None:
    """Forget the cookie (the token itself expires on its own)."""
    service.audit(session, staff, "staff.logout")
    session.commit()
    response.delete_cookie(service.SESSION_COOKIE, path="/")


@router.get("/me")
def me(staff: StaffDep) -> StaffOut:
    """Who is signed in, and their role."""
    return StaffOut.model_validate(staff)


@router.get("/agents")
def agents(staff: Overseer, session: SessionDep) -> list[StaffOut]:
    """Supervisors: the active staff a handoff can be reassigned to (agents, supervisors, admins)."""
    users = session.scalars(
        select(StaffUser)
        .where(StaffUser.active.is_(True), StaffUser.role.in_(sorted(HANDOFF_ROLES)))
        .order_by(StaffUser.email)
    )
    return [StaffOut.model_validate(user) for user in users]
