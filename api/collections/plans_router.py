"""Payment plans: create the terms the debtor accepted (idempotently), list them."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Response, status

from api.accounts.dependencies import GRANT_RESPONSES, AccountDep, GrantAuth
from api.collections import plans
from api.collections import service as collections
from api.collections.offer_policy import OfferDecision
from api.collections.schemas import EvaluationOut, OfferIn, PlanOut
from api.core.dependencies import NowDep, ServiceAuth, SessionDep

router = APIRouter(prefix="/accounts", tags=["plans"], dependencies=[ServiceAuth])

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="The client's key for this acceptance: the same key never creates a second plan.",
    ),
]
CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **GRANT_RESPONSES,
    200: {"description": "The plan an earlier request with the same Idempotency-Key created"},
    409: {"description": "The policy does not accept these terms; the body carries the evaluation"},
}


@router.post(
    "/{account_id}/plans",
    status_code=status.HTTP_201_CREATED,
    dependencies=[GrantAuth],
    responses=CREATE_RESPONSES,
)
def create_plan(
    account: AccountDep,
    body: OfferIn,
    idempotency_key: IdempotencyKey,
    session: SessionDep,
    now: NowDep,
    response: Response,
) -> PlanOut:
    """Re-evaluate the offer and create the plan only if the policy accepts it as it stands."""
    plan = plans.find_plan(session, account.id, idempotency_key)
    created = False
    if plan is None:
        evaluated = EvaluationOut.from_evaluation(
            collections.evaluate_for(session, account, body.to_offer(), now), account.currency
        )
        if evaluated.decision != OfferDecision.ACCEPT.value or evaluated.offer is None:
            detail = evaluated.model_dump(mode="json")
            raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=detail)
        terms = evaluated.offer.model_dump(mode="json")
        plan, created = plans.create_plan(session, account, terms, idempotency_key, now)
    if not created:
        response.status_code = status.HTTP_200_OK
    return PlanOut.model_validate(plan)


@router.get("/{account_id}/plans", dependencies=[GrantAuth], responses=GRANT_RESPONSES)
def list_plans(account: AccountDep, session: SessionDep) -> list[PlanOut]:
    """The account's plans, oldest first, superseded ones included."""
    return [PlanOut.model_validate(plan) for plan in plans.list_plans(session, account.id)]
