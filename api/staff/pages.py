"""What the console's server-rendered sections (console, insights, campaigns) share about their users.

The gate of a page (sign in first; a role without the section gets its 403 page, through `PageRefused`
and its handler, which api.main registers) and the plain POST
forms: their urlencoded fields, and the per-user token they carry in place of the CSRF header a plain
form cannot send (an HMAC of the section and the user id, unguessable without the secret key).
"""

import hashlib
import hmac
from collections.abc import Callable, Collection
from urllib.parse import parse_qs

from fastapi import HTTPException, Request, status
from fastapi.responses import RedirectResponse, Response

from api.core.config import Settings
from api.staff.models import StaffUser

LOGIN_PATH = "/console/login"


class PageRefused(Exception):
    """A page the user may not see; `response` is the answer instead (sign-in redirect or 403 page)."""

    def __init__(self, response: Response) -> None:
        super().__init__("page refused")
        self.response = response


async def refused(request: Request, error: Exception) -> Response:
    """The handler api.main registers for `PageRefused`: answer with the refusal's response."""
    assert isinstance(error, PageRefused)
    return error.response


def gate(
    staff: StaffUser | None, roles: Collection[str], forbidden: Callable[[StaffUser], Response]
) -> StaffUser:
    """The user; else `PageRefused` with a redirect to sign-in, or the section's 403 page (`forbidden`)."""
    if staff is None:
        raise PageRefused(RedirectResponse(LOGIN_PATH, status_code=status.HTTP_303_SEE_OTHER))
    if staff.role not in roles:
        page = forbidden(staff)
        page.status_code = status.HTTP_403_FORBIDDEN
        raise PageRefused(page)
    return staff


def form_fields(body: bytes, max_fields: int) -> dict[str, str]:
    """An urlencoded form's fields (the first value of each; no multipart parser needed); 400 when the
    form has more than `max_fields`. The body comes from `api.core.dependencies.BodyDep`, so that the
    form's route is a plain `def` and its queries run off the event loop."""
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=max_fields)
    except ValueError:  # more fields than the form has
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "too many form fields") from None
    return {name: values[0] for name, values in fields.items()}


def form_token(settings: Settings, section: str, staff: StaffUser) -> str:
    """The token the section's forms carry for this user."""
    key = settings.SECRET_KEY.get_secret_value().encode()
    return hmac.new(key, f"{section}:{staff.id}".encode(), hashlib.sha256).hexdigest()


def check_form_token(settings: Settings, section: str, staff: StaffUser, form: dict[str, str]) -> None:
    """403 unless the form carries this user's token."""
    if not hmac.compare_digest(form.get("token", ""), form_token(settings, section, staff)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid form token")
