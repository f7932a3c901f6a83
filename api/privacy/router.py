"""GDPR for one account's debtor: the subject access export (Art. 15) and erasure (Art. 17).

Open to the service token and to signed-in admins; every use is on the account's event record, and a
staff member's also in the staff audit.
"""

from typing import Any

import redis
from fastapi import APIRouter, HTTPException, status
from sqlalchemy.exc import SQLAlchemyError

from api.accounts import service as accounts
from api.accounts.events import EventType
from api.privacy import access as subject_access
from api.privacy import erasure as privacy
from api.privacy.dependencies import SubjectRequest, SubjectRequestDep
from api.privacy.schemas import ErasureOut
from api.staff import service as staff_service

router = APIRouter(prefix="/accounts", tags=["privacy"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No service token or staff session"},
    403: {"description": "Signed in, but not an admin"},
    404: {"description": "Unknown account"},
    503: {"description": "A store is unreachable; repeat the request (erasure is idempotent)"},
}


def _requested_by(request: SubjectRequest, action: str) -> str:
    """Who asked, for the account's record; a staff member's request also goes in the staff audit."""
    if request.staff is None:
        return privacy.SERVICE
    staff_service.audit(request.session, request.staff, action, account_id=request.account.id)
    return request.staff.id


def _unavailable(error: Exception) -> HTTPException:
    detail = f"a store is unavailable ({type(error).__name__}); repeat the request, it is idempotent"
    return HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=detail)


@router.get("/{account_id}/subject-access", responses=_RESPONSES)
def export_subject_data(request: SubjectRequestDep) -> dict[str, Any]:
    """GDPR Art. 15: everything held about the account's debtor, all their accounts and conversations."""
    session, debtor = request.session, request.account.debtor
    try:
        exported = subject_access.export(session, debtor, request.stores, request.secret, request.now)
    except (redis.RedisError, SQLAlchemyError) as error:
        raise _unavailable(error) from None
    requested_by = _requested_by(request, EventType.SUBJECT_ACCESS_EXPORTED)
    for account_id in privacy.account_ids(debtor):
        accounts.record_event(
            session, account_id, EventType.SUBJECT_ACCESS_EXPORTED, {"requested_by": requested_by}
        )
    session.commit()
    return exported


@router.post("/{account_id}/erasure", responses=_RESPONSES)
def erase_subject_data(request: SubjectRequestDep) -> ErasureOut:
    """GDPR Art. 17: erase the account's debtor everywhere, keeping only what the law requires."""
    requested_by = _requested_by(request, EventType.SUBJECT_ERASED)
    try:
        erasure = privacy.erase(
            request.session, request.account.debtor, request.stores, request.secret, request.now, requested_by
        )
    except (redis.RedisError, SQLAlchemyError) as error:
        request.session.rollback()
        raise _unavailable(error) from None
    return ErasureOut(
        debtor_id=erasure.debtor_id,
        account_ids=list(erasure.account_ids),
        erased_at=erasure.erased_at,
        already_erased=erasure.already_erased,
        conversations=erasure.conversations,
        tracker_events_deleted=erasure.tracker_events_deleted,
    )
