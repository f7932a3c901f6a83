"""Collections on an account: status, offers, promises, payment claims, disputes, validation, flags.

Routes marked with GrantAuth disclose or act on the debt, so they also need the debtor's verification
grant for this very account; the others only record what the debtor said (service token only).
"""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Response, status

from api.accounts.dependencies import GRANT_RESPONSES, AccountDep, GrantAuth
from api.accounts.events import EventType
from api.accounts.service import record_event
from api.collections import service as collections
from api.collections.offer_policy import latest_promise_date, promise_problem
from api.collections.schemas import (
    ClaimDetailsIn,
    DisputeIn,
    DisputeOut,
    DistressDecisionIn,
    DistressDecisionOut,
    EvaluationOut,
    FlagIn,
    FlagOut,
    OfferIn,
    PaymentClaimIn,
    PaymentClaimOut,
    PromiseIn,
    PromiseOut,
    StatusOut,
    ValidationNoticeOut,
)
from api.core.dependencies import NowDep, ServiceAuth, SessionDep, SettingsDep

router = APIRouter(prefix="/accounts", tags=["collections"], dependencies=[ServiceAuth])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown account"}}
CFPB_URL = "www.cfpb.gov/debt-collection"
NO_PAYMENTS = Decimal("0.00")
"""Payments since the itemization date: none are recorded until a payment processor reports them."""


def paused(standing: collections.Standing) -> HTTPException:
    """409 for a write that collection on a paused account would need (a promise to pay)."""
    detail = {"reason": "collection_paused", "reasons": list(standing.blockers)}
    return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=detail)


@router.get("/{account_id}/status", responses=NOT_FOUND)
def read_status(account: AccountDep, session: SessionDep) -> StatusOut:
    """Whether collection talk is allowed, and why not; reveals no amounts."""
    standing = collections.standing(session, account)
    return StatusOut(
        disputed=standing.disputed,
        validation_sent=standing.validation_sent,
        flags=list(standing.flags),
        collection_allowed=standing.collection_allowed,
        active_plan=standing.active_plan,
        timezone=account.debtor.timezone,
    )


@router.post("/{account_id}/offers/evaluate", dependencies=[GrantAuth], responses=GRANT_RESPONSES)
def evaluate_route(account: AccountDep, body: OfferIn, session: SessionDep, now: NowDep) -> EvaluationOut:
    """Accept, counter or refer a plan or settlement offer; the bot never invents terms."""
    evaluation = collections.evaluate_for(session, account, body.to_offer(), now)
    data = {
        "kind": body.kind.value,
        "amount": f"{body.amount:.2f}" if body.amount is not None else None,
        "decision": evaluation.decision.value,
        "reasons": [str(reason) for reason in evaluation.reasons],
    }
    record_event(session, account.id, EventType.OFFER_EVALUATED, data)
    session.commit()
    return EvaluationOut.from_evaluation(evaluation, account.currency)


@router.post(
    "/{account_id}/promises",
    status_code=status.HTTP_201_CREATED,
    dependencies=[GrantAuth],
    responses={
        **GRANT_RESPONSES,
        409: {"description": "Collection is paused on this account"},
        422: {"description": "The date is in the past or past the policy's limit"},
    },
)
def create_promise(
    account: AccountDep, body: PromiseIn, session: SessionDep, now: NowDep, response: Response
) -> PromiseOut:
    """Record a promise to pay between today and the policy's promise_max_days; 200 with the recorded
    one when the same promise (date and amount) was already made: a retry never records it twice. With
    `corrects_latest` the new promise replaces the account's latest standing one (it is superseded)."""
    standing = collections.standing(session, account)
    if not standing.collection_allowed:
        raise paused(standing)
    policy, today = collections.policy_for(session, account.creditor), collections.local_today(account, now)
    problem = promise_problem(body.date, policy, today)
    if problem is not None:
        detail = {"reason": problem.value, "latest_date": latest_promise_date(policy, today).isoformat()}
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)
    promise = collections.find_promise(session, account, body.date, body.amount)
    if promise is not None:
        response.status_code = status.HTTP_200_OK
    else:
        corrected_at = now if body.corrects_latest else None
        promise = collections.record_promise(session, account, body.date, body.amount, corrected_at)
    return PromiseOut(id=promise.id, date=promise.promised_on, amount=promise.amount)


@router.post("/{account_id}/payment-claims", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def create_payment_claim(
    account: AccountDep, body: PaymentClaimIn, session: SessionDep, response: Response
) -> PaymentClaimOut:
    """Record an "I already paid" claim for review (the debtor may not be verified); 200 with the claim
    under review when the same one (date, amount, method) was already made."""
    facts = (body.paid_on, body.amount, body.method)
    claim = collections.find_open_claim(session, account, *facts)
    if claim is not None:
        response.status_code = status.HTTP_200_OK
        return PaymentClaimOut.model_validate(claim)
    claim = collections.record_claim(session, account, *facts)
    return PaymentClaimOut.model_validate(claim)


@router.post(
    "/{account_id}/payment-claims/latest/details",
    responses={404: {"description": "Unknown account, or no claim under review"}},
)
def add_payment_claim_details(
    account: AccountDep, body: ClaimDetailsIn, session: SessionDep
) -> PaymentClaimOut:
    """Add what the debtor says about the payment after the claim was made ("personal check, number 1047, it
    cleared my bank") to the account's latest claim under review, for the person who checks it."""
    claim = collections.latest_open_claim(session, account)
    if claim is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="no claim under review")
    return PaymentClaimOut.model_validate(collections.add_claim_details(session, account, claim, body.text))


@router.post("/{account_id}/disputes", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def create_dispute(account: AccountDep, body: DisputeIn, session: SessionDep) -> DisputeOut:
    """Record a dispute; collection on the account is paused until it is resolved."""
    return DisputeOut.model_validate(collections.open_dispute(session, account, body.reason, body.text))


@router.post(
    "/{account_id}/disputes/{dispute_id}/resolve",
    responses={404: {"description": "Unknown account or dispute"}, 409: {"description": "Not validated"}},
)
def resolve_dispute(
    account: AccountDep,
    dispute_id: Annotated[str, Path(max_length=36)],
    session: SessionDep,
    now: NowDep,
) -> DisputeOut:
    """Close a dispute (an agent's decision); refused until the validation information was sent."""
    dispute = collections.get_dispute(session, account, dispute_id)
    if dispute is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="dispute not found")
    if not collections.standing(session, account).validation_sent:
        detail = {"reason": "validation_not_sent"}
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=detail)
    return DisputeOut.model_validate(collections.resolve_dispute(session, dispute, now))


@router.get("/{account_id}/validation-notice", dependencies=[GrantAuth], responses=GRANT_RESPONSES)
def validation_notice(
    account: AccountDep, session: SessionDep, settings: SettingsDep, now: NowDep
) -> ValidationNoticeOut:
    """The Reg F Model Form B-1 fields; records that they were sent."""
    deadline = collections.dispute_by_date(collections.local_today(account, now))
    notice = ValidationNoticeOut(
        collector_name=settings.COLLECTOR_NAME,
        collector_address=settings.COLLECTOR_ADDRESS,
        collector_phone=settings.COLLECTOR_PHONE,
        consumer_name=f"{account.debtor.first_name} {account.debtor.last_name}",
        creditor=account.creditor,
        original_creditor=account.original_creditor,
        account_reference=account.reference,
        itemization_date=collections.itemization_date(account),
        amount_on_itemization_date=account.principal,
        interest_since=account.interest,
        fees_since=account.fees,
        payments_since=NO_PAYMENTS,
        current_amount=account.total,
        dispute_by_date=deadline,
        cfpb_url=CFPB_URL,
    )
    collections.record_validation_sent(session, account, deadline)
    return notice


@router.post("/{account_id}/distress-decisions", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def record_distress_decision(
    account: AccountDep, body: DistressDecisionIn, session: SessionDep
) -> DistressDecisionOut:
    """Append what the bot did about distress (verified debtor or not yet) to the account's event record."""
    data = body.model_dump(exclude={"verified"} if body.verified is None else None)
    event = record_event(session, account.id, EventType.DISTRESS_DECISION, data)
    session.commit()
    return DistressDecisionOut(id=event.id, type=event.type)


@router.post("/{account_id}/flags", status_code=status.HTTP_201_CREATED, responses=NOT_FOUND)
def create_flag(account: AccountDep, body: FlagIn, session: SessionDep, response: Response) -> FlagOut:
    """Record an attorney, bankruptcy, death or cease-communication request; 200 if already set."""
    contact = collections.FlagContact(name=body.attorney_name, phone=body.attorney_phone)
    flag, created = collections.set_flag(session, account, body.flag, body.note, contact)
    if not created:
        response.status_code = status.HTTP_200_OK
    return FlagOut.model_validate(flag)
