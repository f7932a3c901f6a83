"""The account in the path, and the verification grant that unlocks what it owes."""

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, status
from fastapi.security import APIKeyHeader

from api.accounts import grants
from api.accounts import service as accounts
from api.accounts.exceptions import GrantError
from api.accounts.models import Account
from api.core.dependencies import SessionDep, SettingsDep

_grant_header = APIKeyHeader(
    name="X-Verification-Grant",
    auto_error=False,
    description="The grant returned by a successful POST /accounts/{id}/verify for the same account.",
)
GRANT_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Missing, invalid or expired grant, or a grant for another account"},
    404: {"description": "Unknown account"},
}
"""The OpenAPI responses of a route with GrantAuth on an account in its path."""


def require_grant(
    account_id: str, settings: SettingsDep, grant: Annotated[str | None, Depends(_grant_header)]
) -> None:
    """403 unless `X-Verification-Grant` proves that this account's debtor was verified."""
    try:
        if grant is None:
            raise GrantError("verification grant missing")
        grants.check_grant(settings.SECRET_KEY.get_secret_value(), grant, account_id)
    except GrantError as error:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(error)) from None


GrantAuth = Depends(require_grant)


def account_or_404(
    account_id: Annotated[str, Path(max_length=36, description="The account's id (a UUID).")],
    session: SessionDep,
) -> Account:
    """The account in the path, or a 404 that says nothing more."""
    account = accounts.get_account(session, account_id)
    if account is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    return account


AccountDep = Annotated[Account, Depends(account_or_404)]
